#include <sqlite3.h>

// FIXJournal's one call Swift's Glibc module does not offer: the calling thread's id
// (gettid(2)), to lower the priority of the journal's background threads alone.
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int wellhead_set_thread_nice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}
