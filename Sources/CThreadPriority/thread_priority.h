// What Swift's Glibc module does not offer: a thread's own id (gettid(2)), to lower the
// priority of a background thread alone (the journal's writer and checkpointer, the console's
// event loop) so the threads on the order path win the cores, and to raise the journal's
// threads again from another thread when they fall behind (FillScheduling).
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int wellhead_set_thread_nice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}

#include <sched.h>

#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif

// The calling thread to SCHED_IDLE: it runs only when no other thread wants the core, and a
// thread that wakes takes the core from it at once (a nice value only shortens its turns).
static inline int wellhead_set_thread_idle(void) {
    struct sched_param param = { .sched_priority = 0 };
    return sched_setscheduler((pid_t)syscall(SYS_gettid), SCHED_IDLE, &param);
}

// The calling thread's kernel id, for raising or lowering it later from another thread.
static inline pid_t wellhead_thread_id(void) {
    return (pid_t)syscall(SYS_gettid);
}

// Thread `tid` to SCHED_IDLE (idle != 0) or back to SCHED_OTHER at its nice value.
static inline int wellhead_set_thread_policy(pid_t tid, int idle) {
    struct sched_param param = { .sched_priority = 0 };
    return sched_setscheduler(tid, idle ? SCHED_IDLE : SCHED_OTHER, &param);
}

#include <pthread.h>

static void *wellhead_idle_probe(void *result) {
    int *reversible = (int *)result;
    *reversible = wellhead_set_thread_idle() == 0 && wellhead_set_thread_policy(wellhead_thread_id(), 0) == 0;
    return 0;
}

// Whether a thread of this process may leave SCHED_IDLE once it has entered it: Linux lets it
// only with CAP_SYS_NICE or an RLIMIT_NICE that allows its nice value (root, or a service's
// LimitNICE=). Tried on a thread made for the purpose, so the caller's own policy is untouched.
static inline int wellhead_idle_is_reversible(void) {
    pthread_t thread;
    int reversible = 0;
    if (pthread_create(&thread, 0, wellhead_idle_probe, &reversible) != 0) return 0;
    pthread_join(thread, 0);
    return reversible;
}
