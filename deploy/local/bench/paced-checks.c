/*
 * paced-checks: open-loop agent checks at a fixed rate, the way HAProxy issues them: each check on its own
 * connection (connect, send "primary\n", read until the agent closes), started on schedule whether or not
 * earlier ones have finished. One thread, non-blocking sockets, epoll.
 *
 * Why C: on a 2-core VM the client shares the cores with the agent it measures, and a JVM client's own
 * compiler, GC and selector work showed up in the tail (against the same bare C server a Java NIO client
 * measured p99 1.5-9 ms where this one measures 0.7-0.85 ms). AgentCheckBench.java remains the fallback.
 *
 * Latency runs from connect() to the agent's close; how late each connect() was against the schedule is
 * printed as the slip (epoll waits in whole milliseconds). The share of CPU time the hypervisor took from this
 * VM during the run (steal, from /proc/stat) is printed too: on a shared host it, not the agent, can own the
 * tail (15% steal gave a bare server p99 3-16 ms where 1% steal gave 0.7-0.85 ms).
 * over_1ms counts the checks slower than 1 ms: p99 <= 1 ms holds exactly when that is at most 1% of them, and
 * the count, unlike p99, adds up (the agent's count minus a bare server's in the same run is what it adds).
 * With PACED_DUMP=FILE each counted check is written as "wall-clock-start-ns latency-ns", to line slow checks
 * up against the agent's loop tick, GC logs or other processes (docs/benchmarks.md did so).
 * Build: cc -O2 -o paced-checks paced-checks.c
 * Usage: paced-checks HOST PORT [RATE=1000] [SECONDS=5]   (one warm-up second first, not counted)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_FD 65536
#define GIVE_UP_NS 2000000000L

struct check { long start; long wall; int bytes; char last; };
static struct check checks[MAX_FD];
static FILE *dump;

static long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000L + t.tv_nsec;
}

static long wall_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Steal and total jiffies of all CPUs so far (zeros when /proc/stat cannot be read). */
static void cpu_jiffies(long long *steal, long long *total) {
  long long v[10] = {0};
  *steal = *total = 0;
  FILE *f = fopen("/proc/stat", "r");
  if (!f) return;
  if (fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
             &v[6], &v[7], &v[8], &v[9]) >= 8) {
    for (int i = 0; i < 8; i++) *total += v[i]; /* guest time is already inside user */
    *steal = v[7];
  }
  fclose(f);
}

static int by_value(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

static double pct(const long *sorted, int n, double q) {
  if (n == 0) return -1;
  int i = (int)(q * n + 0.999999) - 1;
  return sorted[i < 0 ? 0 : (i >= n ? n - 1 : i)] / 1e6;
}

/* One run; prints its line unless quiet. Returns the number of failed checks. */
static int run(struct sockaddr_in *agent, int rate, int seconds, int quiet) {
  int total = rate * seconds, sent = 0, done = 0, errors = 0, one = 1;
  long interval = 1000000000L / rate, *lat = calloc(total, sizeof(long)), *slip = calloc(total, sizeof(long));
  int ep = epoll_create1(0);
  struct epoll_event events[128];
  char buf[512];
  long t0 = now_ns() + 1000000, last_progress = t0;
  long long steal0, total0, steal1, total1;
  cpu_jiffies(&steal0, &total0);
  while (done + errors < total) {
    long t = now_ns();
    for (long due = t0 + sent * interval; sent < total && due <= t; due = t0 + sent * interval) {
      slip[sent++] = t - due;
      int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      if (fd < 0 || fd >= MAX_FD) { errors++; if (fd >= 0) close(fd); continue; }
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      checks[fd] = (struct check){.start = now_ns(), .wall = dump ? wall_ns() : 0};
      connect(fd, (struct sockaddr *)agent, sizeof *agent); /* EINPROGRESS: completion shows as EPOLLOUT */
      struct epoll_event e = {.events = EPOLLOUT, .data.fd = fd};
      epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
      t = now_ns();
    }
    long wait_ms = sent < total ? (t0 + sent * interval - t) / 1000000 : 100;
    int n = epoll_wait(ep, events, 128, wait_ms < 1 ? 1 : (int)wait_ms);
    if (n <= 0 && sent == total && now_ns() - last_progress > GIVE_UP_NS) {
      errors = total - done; /* what never finished counts as failed */
      break;
    }
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      struct check *c = &checks[fd];
      if (events[i].events & EPOLLOUT) {
        struct epoll_event e = {.events = EPOLLIN, .data.fd = fd};
        if (write(fd, "primary\n", 8) == 8 && epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e) == 0) continue;
        errors++;
      } else {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r > 0) { c->bytes += r; c->last = buf[r - 1]; continue; }
        if (r == 0 && c->bytes > 0 && c->last == '\n') {
          lat[done] = now_ns() - c->start;
          if (dump && !quiet) fprintf(dump, "%ld %ld\n", c->wall, lat[done]);
          done++;
        } else {
          errors++;
        }
      }
      last_progress = now_ns();
      epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
      close(fd);
    }
  }
  double took = (now_ns() - t0) / 1e9;
  cpu_jiffies(&steal1, &total1);
  double steal = total1 > total0 ? 100.0 * (steal1 - steal0) / (total1 - total0) : -1;
  int over = 0;
  for (int i = 0; i < done; i++) over += lat[i] > 1000000;
  qsort(lat, done, sizeof(long), by_value);
  qsort(slip, sent, sizeof(long), by_value);
  if (!quiet)
    printf("paced rate=%d/s achieved=%.0f/s p50=%6.3f ms p99=%6.3f ms max=%7.3f ms errors=%d slip_p99=%.3f ms "
           "slip_max=%.3f ms steal=%.1f%% over_1ms=%d client=c\n", rate, (done + errors) / took, pct(lat, done, 0.50),
           pct(lat, done, 0.99), pct(lat, done, 1.0), errors, pct(slip, sent, 0.99), pct(slip, sent, 1.0), steal, over);
  close(ep);
  free(lat);
  free(slip);
  return errors;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: paced-checks HOST PORT [RATE=1000] [SECONDS=5]\n");
    return 2;
  }
  int rate = argc > 3 ? atoi(argv[3]) : 1000, seconds = argc > 4 ? atoi(argv[4]) : 5;
  struct sockaddr_in agent = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[2]))};
  if (inet_pton(AF_INET, argv[1], &agent.sin_addr) != 1 || rate < 1 || seconds < 1 || rate > 20000) {
    fprintf(stderr, "paced-checks: bad host, rate (1-20000) or seconds\n");
    return 2;
  }
  if (getenv("PACED_DUMP") && !(dump = fopen(getenv("PACED_DUMP"), "w"))) {
    perror("paced-checks: PACED_DUMP");
    return 2;
  }
  run(&agent, rate, 1, 1);
  int failed = run(&agent, rate, seconds, 0);
  if (dump) fclose(dump);
  return failed == 0 ? 0 : 1;
}
