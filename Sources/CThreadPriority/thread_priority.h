// The one call Swift's Glibc module does not offer: the calling thread's id (gettid(2)), to
// lower the priority of a background thread alone (the journal's writer and checkpointer, the
// console's event loop), so the threads on the order path win the cores.
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
