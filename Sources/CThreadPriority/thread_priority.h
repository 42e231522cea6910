// The one call Swift's Glibc module does not offer: the calling thread's id (gettid(2)), to
// lower the priority of a background thread alone (the journal's writer and checkpointer, the
// console's event loop), so the threads on the order path win the cores.
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int wellhead_set_thread_nice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}
