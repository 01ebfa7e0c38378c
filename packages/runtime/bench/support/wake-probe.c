/*
 * A host function for bench/wake-latency.ts: stamps the host clock when CUDA
 * runs it, then wakes the event loop the way completion-waiter.ts does
 * (uv_async_send). The stamp splits a late wake into the time CUDA took to
 * run the host function and the time the event loop took to notice.
 */
#include <stdint.h>
#include <time.h>

typedef int (*send_fn)(void*);

struct probe {
  double stamp_us;
  send_fn send;
  void* handle;
};

double probe_now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

void probe_fire(void* arg) {
  struct probe* p = arg;
  p->stamp_us = probe_now_us();
  if (p->send) p->send(p->handle);
}

/* The host function's address for cudaLaunchHostFunc: koffi loads this library
 * privately (RTLD_LOCAL), so dlsym on the global scope cannot see probe_fire. */
void* probe_fire_address(void) { return (void*)probe_fire; }
