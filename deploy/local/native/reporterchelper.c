/* The builder-side helper native-image's progress reporter loads (terminal width, peak RSS of the build). */
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *e, jclass c) {
  (void)e; (void)c;
  struct winsize w;
  return ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 ? w.ws_col : -1;
}

JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *e, jclass c) {
  (void)e; (void)c;
  struct rusage u;
  return getrusage(RUSAGE_SELF, &u) == 0 ? (jlong)u.ru_maxrss * 1024 : -1;
}
