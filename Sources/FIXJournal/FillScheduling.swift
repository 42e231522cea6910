import CThreadPriority
import CoreMetrics
import Dispatch
import Synchronization

/// How the journal's two background threads (the writer that fills SQLite behind the
/// write-ahead log, and the checkpointer) are scheduled, and their rescue when `idle` starves
/// them.
///
/// At `idle` the checkpointer runs under SCHED_IDLE, and so does the writer while it fills
/// SQLite or waits for work: a thread on the round trip that wakes takes the core from them at
/// once. A SCHED_IDLE thread can wait hundreds of milliseconds for a core on a busy host, so
/// it must never hold a lock an event loop takes: the writer raises itself to SCHED_OTHER
/// before it takes the journal's queue (or anything else the loops share) and lowers itself
/// only once it has let go, and nothing here is under a lock.
///
/// On a host kept busy by other work the threads would get almost no time, so the journal
/// raises both to SCHED_OTHER (a *rescue*) as soon as SQLite falls behind —
/// ``Journal/rescueBacklog`` writes queued, the oldest ``Journal/rescueAge`` old, or a reader
/// waiting for SQLite — and the writer lowers them again once it has caught up.
///
/// Linux lets a thread leave SCHED_IDLE only with CAP_SYS_NICE or an RLIMIT_NICE that allows
/// its nice value. Where that is refused (tried once, on a thread made for it), `idle` cannot
/// be rescued and the threads run at nice 10, as `background`: ``effective`` says which.
final class FillScheduling: Sendable {
    /// What the profile asked for.
    let requested: Journal.FillPriority
    /// What the threads run at: `idle` only where a rescue is possible.
    let effective: Journal.FillPriority
    private let writer = Atomic<Int32>(0)
    private let checkpointer = Atomic<Int32>(0)
    /// A rescue is under way: the writer stays at SCHED_OTHER until it has caught up.
    private let raised = Atomic<Bool>(false)
    /// When the last rescue raised the threads (monotonic nanoseconds): a loop that finds
    /// SQLite still behind raises them again at most once a millisecond.
    private let lastRaise = Atomic<UInt64>(0)
    private let rescueCount = Atomic<Int>(0)
    /// `wellhead_journal_fill_rescues_total`: times the idle threads were raised to catch up.
    private let rescueCounter = Counter(label: "wellhead_journal_fill_rescues_total")

    enum Role { case writer, checkpointer }

    init(_ requested: Journal.FillPriority) {
        self.requested = requested
        effective = requested == .idle && wellhead_idle_is_reversible() != 0 ? .idle : .background
    }

    /// Times the threads were raised so far.
    var rescues: Int { rescueCount.load(ordering: .relaxed) }

    /// The kernel ids of the writer and the checkpointer, once each has started (0 before).
    var threadIDs: [Int32] { [writer.load(ordering: .acquiring), checkpointer.load(ordering: .acquiring)] }

    /// Called first by each background thread: notes its id and sets its priority. The writer
    /// starts at SCHED_OTHER (it lowers itself around its work, ``fill(_:)``).
    func enter(_ role: Role) {
        let id = wellhead_thread_id()
        switch role {
        case .writer:
            writer.store(id, ordering: .releasing)
            if effective == .background { _ = wellhead_set_thread_nice(10) }
        case .checkpointer:
            checkpointer.store(id, ordering: .releasing)
            if effective == .idle, wellhead_set_thread_idle() == 0 { return }
            _ = wellhead_set_thread_nice(10)
        }
    }

    /// Runs `body` (the writer's SQLite work, or its wait for more) at SCHED_IDLE unless a rescue
    /// is under way, and raises the writer again before returning: `body` must take no lock an
    /// event loop takes.
    func fill<T>(_ body: () -> T) -> T {
        guard effective == .idle else { return body() }
        let id = writer.load(ordering: .relaxed)  // the caller's own id, noted by ``enter(_:)``
        if !raised.load(ordering: .acquiring) {
            _ = wellhead_set_thread_policy(id, 1)
            // A rescue that came between the check and the lowering finds the writer raised
            // by itself, or raises it, whichever comes last.
            if raised.load(ordering: .acquiring) { _ = wellhead_set_thread_policy(id, 0) }
        }
        defer { _ = wellhead_set_thread_policy(id, 0) }
        return body()
    }

    /// Raises both threads to SCHED_OTHER; from any thread, holding nothing. Called on every
    /// write while SQLite is behind: it makes the calls at most once a millisecond. Returns
    /// whether the writer must be woken: it caught up and settled while the calls were made,
    /// so the raise may have come after it lowered itself to wait; woken, it lowers itself again.
    /// (Only the writer ever lowers the writer: from outside it could be inside the queue's lock.)
    func rescue() -> Bool {
        guard effective == .idle else { return false }
        let now = DispatchTime.now().uptimeNanoseconds
        let last = lastRaise.load(ordering: .relaxed)
        guard now >= last + 1_000_000,
              lastRaise.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged else { return false }
        if !raised.exchange(true, ordering: .acquiringAndReleasing) {
            rescueCount.wrappingAdd(1, ordering: .relaxed)
            rescueCounter.increment()
        }
        // Each id read on its own: no array made on a loop's write path.
        let writerID = writer.load(ordering: .acquiring), checkpointerID = checkpointer.load(ordering: .acquiring)
        if writerID != 0 { _ = wellhead_set_thread_policy(writerID, 0) }
        if checkpointerID != 0 { _ = wellhead_set_thread_policy(checkpointerID, 0) }
        guard !raised.load(ordering: .acquiring) else { return false }
        if checkpointerID != 0 { _ = wellhead_set_thread_policy(checkpointerID, 1) }
        return true
    }

    /// The writer has caught up: the checkpointer goes back to SCHED_IDLE, and the writer's next
    /// ``fill(_:)`` lowers it too.
    func settle() {
        guard effective == .idle, raised.exchange(false, ordering: .acquiringAndReleasing) else { return }
        let id = checkpointer.load(ordering: .acquiring)
        if id != 0 { _ = wellhead_set_thread_policy(id, 1) }
    }
}
