/*
 * pgha's small stand-in for SubstrateVM's libchelper: the C helpers the image calls on Linux/amd64
 * (CPU features, the signal counter behind sun.misc.Signal, locale, environ, thread ids, the time
 * zone). GraalVM distributions ship this library prebuilt; Maven Central serves only the Java side,
 * so deploy/local/native-builder compiles this file into liblibchelper.a.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "amd64cpufeatures.h"
#include "svm_locale.h"

/* ---- CPU features ---- */

static int xcr0_has(uint64_t mask) {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((((uint64_t)hi << 32) | lo) & mask) == mask;
}

void determineCPUFeatures(CPUFeatures *f) {
  unsigned a, b, c, d, max, maxext;
  memset(f, 0, sizeof(*f));
  max = __get_cpuid_max(0, NULL);
  if (max < 1) return;
  __cpuid(1, a, b, c, d);
  f->fCX8 = (d >> 8) & 1;  f->fCMOV = (d >> 15) & 1; f->fFXSR = (d >> 24) & 1; f->fHT = (d >> 28) & 1;
  f->fMMX = (d >> 23) & 1; f->fSSE = (d >> 25) & 1;  f->fSSE2 = (d >> 26) & 1;  f->fTSC = (d >> 4) & 1;
  f->fFLUSH = (d >> 19) & 1;
  f->fSSE3 = c & 1;        f->fCLMUL = (c >> 1) & 1; f->fSSSE3 = (c >> 9) & 1; f->fFMA = (c >> 12) & 1;
  f->fSSE4_1 = (c >> 19) & 1; f->fSSE4_2 = (c >> 20) & 1; f->fPOPCNT = (c >> 23) & 1; f->fAES = (c >> 25) & 1;
  f->fF16C = (c >> 29) & 1; f->fHV = (c >> 31) & 1;
  int osxsave = (c >> 27) & 1, avx_os = osxsave && xcr0_has(0x6), avx512_os = osxsave && xcr0_has(0xe6);
  f->fAVX = ((c >> 28) & 1) && avx_os;
  if (!avx_os) { f->fFMA = 0; f->fF16C = 0; }
  f->fVZEROUPPER = f->fAVX;
  if (max >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    f->fBMI1 = (b >> 3) & 1; f->fAVX2 = ((b >> 5) & 1) && avx_os; f->fBMI2 = (b >> 8) & 1; f->fERMS = (b >> 9) & 1;
    f->fRTM = (b >> 11) & 1; f->fADX = (b >> 19) & 1; f->fFLUSHOPT = (b >> 23) & 1; f->fCLWB = (b >> 24) & 1;
    f->fSHA = (b >> 29) & 1; f->fGFNI = (c >> 8) & 1; f->fRDPID = (c >> 22) & 1; f->fFSRM = (d >> 4) & 1;
    f->fSERIALIZE = (d >> 14) & 1; f->fPKU = (c >> 3) & 1; f->fOSPKE = (c >> 4) & 1;
    if (avx512_os) {
      f->fAVX512F = (b >> 16) & 1; f->fAVX512DQ = (b >> 17) & 1; f->fAVX512_IFMA = (b >> 21) & 1;
      f->fAVX512CD = (b >> 28) & 1; f->fAVX512BW = (b >> 30) & 1; f->fAVX512VL = (b >> 31) & 1;
      f->fAVX512_VBMI = (c >> 1) & 1; f->fAVX512_VBMI2 = (c >> 6) & 1; f->fAVX512_VAES = (c >> 9) & 1;
      f->fAVX512_VPCLMULQDQ = (c >> 10) & 1; f->fAVX512_VNNI = (c >> 11) & 1; f->fAVX512_BITALG = (c >> 12) & 1;
      f->fAVX512_VPOPCNTDQ = (c >> 14) & 1;
    }
  }
  maxext = __get_cpuid_max(0x80000000, NULL);
  if (maxext >= 0x80000001) {
    __cpuid(0x80000001, a, b, c, d);
    f->fLZCNT = (c >> 5) & 1; f->fSSE4A = (c >> 6) & 1; f->fAMD_3DNOW_PREFETCH = (c >> 8) & 1;
    f->fRDTSCP = (d >> 27) & 1;
  }
  if (maxext >= 0x80000007) {
    __cpuid(0x80000007, a, b, c, d);
    f->fTSCINV_BIT = (d >> 8) & 1;
    f->fTSCINV = f->fTSCINV_BIT;
  }
}

/* 0 when this CPU has every feature the image was compiled for (the build-time record, same layout). */
int checkCPUFeatures(uint8_t *required) {
  CPUFeatures now;
  determineCPUFeatures(&now);
  const uint8_t *have = (const uint8_t *)&now;
  for (size_t i = 0; i < sizeof(now); i++) {
    if (required[i] && !have[i]) return 1;
  }
  return 0;
}

int checkCPUFeaturesOrExit(uint8_t *required, const char *errorMessage) {
  int missing = checkCPUFeatures(required);
  if (missing) {
    fputs(errorMessage ? errorMessage : "this CPU lacks features the image was built for", stderr);
    fputc('\n', stderr);
    exit(1);
  }
  return missing;
}

void codeSynchronization_clearCache(char *start, char *end) { __builtin___clear_cache(start, end); }

/* ---- signals: a counter per signal and a semaphore the dispatcher thread waits on ---- */

static volatile int signal_open;
static volatile long signal_counts[NSIG];
static sem_t signal_sem;

int cSunMiscSignal_open(void) {
  if (__sync_val_compare_and_swap(&signal_open, 0, 1) != 0) { errno = EBUSY; return -1; }
  for (int i = 0; i < NSIG; i++) signal_counts[i] = 0;
  if (sem_init(&signal_sem, 0, 0) != 0) { signal_open = 0; return -1; }
  return 0;
}

int cSunMiscSignal_close(void) {
  if (signal_open) sem_destroy(&signal_sem);
  signal_open = 0;
  return 0;
}

int cSunMiscSignal_awaitSemaphore(void) {
  if (!signal_open) { errno = EINVAL; return -1; }
  while (sem_wait(&signal_sem) != 0) {
    if (errno != EINTR) return -1;
  }
  return 0;
}

int cSunMiscSignal_signalSemaphore(void) { return signal_open ? sem_post(&signal_sem) : -1; }

int cSunMiscSignal_signalRangeCheck(int sig) { return sig > 0 && sig < NSIG; }

/* One signal with a pending count (taken off), or -1 when none is pending. */
int cSunMiscSignal_checkPendingSignal(void) {
  for (int sig = 1; sig < NSIG; sig++) {
    long n;
    while ((n = signal_counts[sig]) > 0) {
      if (__sync_bool_compare_and_swap(&signal_counts[sig], n, n - 1)) return sig;
    }
  }
  return -1;
}

static void counting_handler(int sig) {
  int saved = errno;
  if (sig > 0 && sig < NSIG) {
    __sync_fetch_and_add(&signal_counts[sig], 1);
    if (signal_open) sem_post(&signal_sem);
  }
  errno = saved;
}

void *cSunMiscSignal_signalHandlerFunctionPointer(void) { return (void *)counting_handler; }

/* ---- process and thread facts ---- */

extern char **environ;
char **getEnviron(void) { return environ; }

int getThreadId(void) { return (int)syscall(SYS_gettid); }

/* User CPU time of thread tid in ns, from /proc (field 14 of stat), or -1. */
long getThreadUserTimeSlow(int tid) {
  char path[64], buf[1024];
  snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
  FILE *fp = fopen(path, "r");
  if (!fp) return -1;
  size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
  fclose(fp);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p) return -1;
  unsigned long utime = 0;
  /* after ") " come state (field 3) ... utime is field 14 */
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu", &utime) != 1) return -1;
  long ticks = sysconf(_SC_CLK_TCK);
  return (long)(utime * (1000000000L / (ticks > 0 ? ticks : 100)));
}

/* The zone id for TimeZone.getDefault(): TZ, then /etc/timezone, then the /etc/localtime link; NULL = GMT. */
char *SVM_FindJavaTZmd(char *unused, int len) {
  (void)unused; (void)len;
  const char *tz = getenv("TZ");
  if (tz && *tz) return strdup(tz[0] == ':' ? tz + 1 : tz);
  char buf[PATH_MAX];
  FILE *fp = fopen("/etc/timezone", "r");
  if (fp) {
    if (fgets(buf, sizeof(buf), fp)) {
      buf[strcspn(buf, " \t\n")] = 0;
      if (buf[0]) { fclose(fp); return strdup(buf); }
    }
    fclose(fp);
  }
  ssize_t n = readlink("/etc/localtime", buf, sizeof(buf) - 1);
  if (n > 0) {
    buf[n] = 0;
    char *z = strstr(buf, "zoneinfo/");
    if (z) return strdup(z + strlen("zoneinfo/"));
  }
  return NULL;
}

/* ---- locale: LC_CTYPE/LC_MESSAGES parsed the way the JDK does (C and POSIX read as en_US) ---- */

static svm_locale_props_t locale_props;

static void parse_locale(const char *lc, char **language, char **script, char **country, char **variant) {
  char buf[256];
  if (!lc || !*lc || strcmp(lc, "C") == 0 || strcmp(lc, "POSIX") == 0) lc = "en_US";
  snprintf(buf, sizeof(buf), "%s", lc);
  char *at = strchr(buf, '@');
  if (at) { *at++ = 0; }
  char *dot = strchr(buf, '.');
  if (dot) *dot = 0;
  char *us = strchr(buf, '_');
  if (us) { *us++ = 0; *country = strdup(us); }
  *language = strdup(buf);
  *script = NULL;
  *variant = NULL;
  if (at) {
    if (strcmp(at, "latin") == 0) *script = strdup("Latn");
    else if (strcmp(at, "cyrillic") == 0) *script = strdup("Cyrl");
    else if (strcmp(at, "euro") != 0) *variant = strdup(at);
  }
}

int svm_initialize_locale(void) {
  setlocale(LC_ALL, "");
  parse_locale(setlocale(LC_CTYPE, NULL), &locale_props.format_language, &locale_props.format_script,
               &locale_props.format_country, &locale_props.format_variant);
#ifdef LC_MESSAGES
  parse_locale(setlocale(LC_MESSAGES, NULL), &locale_props.display_language, &locale_props.display_script,
               &locale_props.display_country, &locale_props.display_variant);
#endif
  return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

svm_locale_props_t *svm_get_locale(void) { return &locale_props; }

/* ---- the attach API is not built into pgha's image (no jcmd attach); these only satisfy the linker ---- */

void svm_attach_startup(char *path) { (void)path; }
void svm_attach_listener_cleanup(int fd, char *path) { (void)fd; (void)path; }
int svm_attach_check_socket_file(char *path) { (void)path; return 0; }
int svm_attach_is_init_trigger(char *path) { (void)path; return 0; }
int svm_attach_create_listener(char *path) { (void)path; return -1; }
int svm_attach_wait_for_request(int fd) { (void)fd; return -1; }
void svm_attach_shutdown_socket(int fd) { (void)fd; }

/* ---- fixed-argument forms of variadic libc calls (SubstrateVM calls these instead of the variadic ones) ---- */

#include <fcntl.h>
#include <sys/mman.h>
int openSII(const char *path, int flags, int mode) { return open(path, flags, mode); }
int openatISII(int dirfd, const char *path, int flags, int mode) { return openat(dirfd, path, flags, mode); }
void *mremapP(void *old, size_t old_size, size_t new_size, int flags, void *new_address) {
  return mremap(old, old_size, new_size, flags, new_address);
}
int fprintfSD(FILE *stream, const char *format, char *arg0, int arg1) { return fprintf(stream, format, arg0, arg1); }
