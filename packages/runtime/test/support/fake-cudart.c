/*
 * A stand-in for libcudart's stream, event and host-function behaviour, so the
 * waits in src/device run in CI with no GPU. Each stream is a thread working
 * through a queue in order, as a CUDA stream does: timed "kernels"
 * (fake_enqueue_work), event records, waits for another stream's event, host
 * functions (called on the stream's thread, as CUDA calls them on a thread of
 * its own; they can be held back, as a slow CUDA would), and injected
 * failures after which events report the error and host functions are not run.
 * Only what CudaDevice binds is exported; calls the tests do not use fail.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OK = 0, NOT_READY = 600, UNSUPPORTED = 801 };
enum { WORK, RECORD, WAIT_EVENT, HOST_FUNC, FAIL };

typedef void (*host_fn)(void*);

struct item {
  int kind;
  long micros;
  struct event* event;
  unsigned long event_seq;
  host_fn fn;
  void* data;
  int code;
  int held; /* a host function queued while hold_host_funcs was on */
  struct item* next;
};

struct event {
  unsigned long recorded; /* sequence of the latest record */
  unsigned long reached;  /* sequence the stream has passed */
  int error;
};

struct stream {
  pthread_t thread;
  struct item *head, *tail;
  int busy, error, stop;
  int gated; /* fake_gate_stream: takes no item while on, as a GPU still busy with earlier work would */
  long completed;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int drop_host_funcs;
static int hold_host_funcs;
static long held_host_funcs_run;

static void sleep_micros(long micros) {
  struct timespec t = {micros / 1000000, (micros % 1000000) * 1000};
  while (nanosleep(&t, &t) != 0) {
  }
}

static void* stream_main(void* arg) {
  struct stream* s = arg;
  pthread_mutex_lock(&lock);
  for (;;) {
    while ((!s->head || s->gated) && !s->stop) pthread_cond_wait(&changed, &lock);
    if (!s->head) break;
    struct item* it = s->head;
    s->busy = 1;
    if (it->kind == WAIT_EVENT)
      while (it->event->reached < it->event_seq) pthread_cond_wait(&changed, &lock);
    if (it->kind == HOST_FUNC && it->held)
      while (hold_host_funcs) pthread_cond_wait(&changed, &lock);
    int failed = s->error;
    int call = it->kind == HOST_FUNC && !failed && !drop_host_funcs;
    pthread_mutex_unlock(&lock);
    if (it->kind == WORK && !failed) sleep_micros(it->micros);
    if (call) it->fn(it->data);
    pthread_mutex_lock(&lock);
    if (it->kind == WORK && !s->error) s->completed++;
    if (call && it->held) held_host_funcs_run++;
    if (it->kind == FAIL) s->error = it->code;
    if (it->kind == RECORD && it->event->recorded == it->event_seq) {
      it->event->reached = it->event_seq;
      it->event->error = s->error;
    }
    s->head = it->next;
    if (!s->head) s->tail = NULL;
    s->busy = 0;
    free(it);
    pthread_cond_broadcast(&changed);
  }
  pthread_mutex_unlock(&lock);
  return NULL;
}

static void push(struct stream* s, struct item* it) {
  it->next = NULL;
  if (s->tail) s->tail->next = it;
  else s->head = it;
  s->tail = it;
  pthread_cond_broadcast(&changed);
}

static struct item* make(int kind) {
  struct item* it = calloc(1, sizeof *it);
  it->kind = kind;
  return it;
}

/* ---- controls for the tests ---- */

void fake_enqueue_work(uintptr_t stream, long micros) {
  struct item* it = make(WORK);
  it->micros = micros;
  pthread_mutex_lock(&lock);
  push((struct stream*)stream, it);
  pthread_mutex_unlock(&lock);
}

void fake_fail_stream(uintptr_t stream, int code) {
  struct item* it = make(FAIL);
  it->code = code;
  pthread_mutex_lock(&lock);
  push((struct stream*)stream, it);
  pthread_mutex_unlock(&lock);
}

long fake_completed(uintptr_t stream) {
  pthread_mutex_lock(&lock);
  long n = ((struct stream*)stream)->completed;
  pthread_mutex_unlock(&lock);
  return n;
}

void fake_gate_stream(uintptr_t stream, int on) {
  pthread_mutex_lock(&lock);
  ((struct stream*)stream)->gated = on;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
}

void fake_drop_host_funcs(int drop) { drop_host_funcs = drop; }

void fake_hold_host_funcs(int hold) {
  pthread_mutex_lock(&lock);
  hold_host_funcs = hold;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
}

/* Host functions queued while held that have run since: each runs once the hold is lifted. */
long fake_held_host_funcs_run(void) {
  pthread_mutex_lock(&lock);
  long n = held_host_funcs_run;
  pthread_mutex_unlock(&lock);
  return n;
}

/* ---- the CUDA runtime subset ---- */

const char* cudaGetErrorName(int status) {
  switch (status) {
    case OK: return "cudaSuccess";
    case NOT_READY: return "cudaErrorNotReady";
    case 700: return "cudaErrorIllegalAddress";
    default: return "cudaErrorUnknown";
  }
}

const char* cudaGetErrorString(int status) { return status == 700 ? "an illegal memory access was encountered" : "fake error"; }

int cudaStreamCreateWithFlags(uint64_t* out, unsigned flags) {
  (void)flags;
  struct stream* s = calloc(1, sizeof *s);
  pthread_create(&s->thread, NULL, stream_main, s);
  *out = (uint64_t)(uintptr_t)s;
  return OK;
}

int cudaStreamDestroy(uintptr_t stream) {
  struct stream* s = (struct stream*)stream;
  pthread_mutex_lock(&lock);
  s->stop = 1;
  pthread_cond_broadcast(&changed);
  pthread_mutex_unlock(&lock);
  pthread_join(s->thread, NULL);
  free(s);
  return OK;
}

int cudaStreamQuery(uintptr_t stream) {
  struct stream* s = (struct stream*)stream;
  pthread_mutex_lock(&lock);
  int status = s->error ? s->error : (s->head || s->busy) ? NOT_READY : OK;
  pthread_mutex_unlock(&lock);
  return status;
}

int cudaStreamSynchronize(uintptr_t stream) {
  struct stream* s = (struct stream*)stream;
  pthread_mutex_lock(&lock);
  while (s->head || s->busy) pthread_cond_wait(&changed, &lock);
  int status = s->error;
  pthread_mutex_unlock(&lock);
  return status;
}

int cudaEventCreateWithFlags(uint64_t* out, unsigned flags) {
  (void)flags;
  *out = (uint64_t)(uintptr_t)calloc(1, sizeof(struct event));
  return OK;
}

int cudaEventDestroy(uintptr_t event) {
  free((void*)event);
  return OK;
}

int cudaEventRecord(uintptr_t event, uintptr_t stream) {
  struct event* e = (struct event*)event;
  struct item* it = make(RECORD);
  it->event = e;
  pthread_mutex_lock(&lock);
  it->event_seq = ++e->recorded;
  push((struct stream*)stream, it);
  pthread_mutex_unlock(&lock);
  return OK;
}

int cudaEventQuery(uintptr_t event) {
  struct event* e = (struct event*)event;
  pthread_mutex_lock(&lock);
  int status = e->reached != e->recorded ? NOT_READY : e->error;
  pthread_mutex_unlock(&lock);
  return status;
}

int cudaEventSynchronize(uintptr_t event) {
  struct event* e = (struct event*)event;
  pthread_mutex_lock(&lock);
  while (e->reached != e->recorded) pthread_cond_wait(&changed, &lock);
  int status = e->error;
  pthread_mutex_unlock(&lock);
  return status;
}

int cudaStreamWaitEvent(uintptr_t stream, uintptr_t event, unsigned flags) {
  (void)flags;
  struct item* it = make(WAIT_EVENT);
  it->event = (struct event*)event;
  pthread_mutex_lock(&lock);
  it->event_seq = it->event->recorded;
  push((struct stream*)stream, it);
  pthread_mutex_unlock(&lock);
  return OK;
}

int cudaLaunchHostFunc(uintptr_t stream, host_fn fn, void* data) {
  struct item* it = make(HOST_FUNC);
  it->fn = fn;
  it->data = data;
  pthread_mutex_lock(&lock);
  it->held = hold_host_funcs;
  push((struct stream*)stream, it);
  pthread_mutex_unlock(&lock);
  return OK;
}

int cudaGetDevice(int* out) {
  *out = 0;
  return OK;
}

int cudaSetDevice(int device) { return device == 0 ? OK : 101; }

/* Bound by CudaDevice but not used by these tests. */
#define UNUSED(name) \
  int name(void) { return UNSUPPORTED; }
UNUSED(cudaRuntimeGetVersion)
UNUSED(cudaDriverGetVersion)
UNUSED(cudaGetDeviceCount)
UNUSED(cudaDeviceGetAttribute)
UNUSED(cudaGetDeviceProperties)
UNUSED(cudaMemGetInfo)
UNUSED(cudaMallocAsync)
UNUSED(cudaFreeAsync)
UNUSED(cudaMallocHost)
UNUSED(cudaFreeHost)
UNUSED(cudaHostRegister)
UNUSED(cudaHostUnregister)
UNUSED(cudaMemsetAsync)
UNUSED(cudaMemcpyAsync)
UNUSED(cudaMemcpy)
UNUSED(cudaEventElapsedTime)
UNUSED(cudaStreamBeginCapture)
UNUSED(cudaStreamEndCapture)
UNUSED(cudaGraphInstantiate)
UNUSED(cudaGraphLaunch)
UNUSED(cudaGraphDestroy)
UNUSED(cudaGraphExecDestroy)
