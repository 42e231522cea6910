import CThreadPriority
import CoreMetrics
import Synchronization

/// How the journal's two background threads (the writer that fills SQLite behind the
/// write-ahead log, and the checkpointer) are scheduled, and their rescue when `idle` starves
/// them.
///
/// At `idle` both run under SCHED_IDLE: a thread on the round trip that wakes takes the core
/// from them at once. On a host kept busy by other work they would get almost no time, so the
/// journal raises them back to SCHED_OTHER (a *rescue*) as soon as SQLite falls behind —
/// ``Journal/rescueBacklog`` writes queued, the oldest ``Journal/rescueAge`` old, or a
/// reader waiting for SQLite — and the writer lowers them again once it has caught up.
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
    /// Whether the threads are raised now: read without the lock on the hot path.
    private let raised = Atomic<Bool>(false)
    /// The same, changed only with the threads' policy, under this lock.
    private let policy = Mutex<Bool>(false)
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

    /// Whether the threads run at SCHED_OTHER now, for a rescue.
    var isRaised: Bool { raised.load(ordering: .acquiring) }

    /// Called first by each background thread: notes its id and lowers it (unless a rescue is
    /// under way, under the same lock as the rescue).
    func enter(_ role: Role) {
        let id = wellhead_thread_id()
        policy.withLock { raisedNow in
            switch role {
            case .writer: writer.store(id, ordering: .releasing)
            case .checkpointer: checkpointer.store(id, ordering: .releasing)
            }
            guard !raisedNow else { return }
            if effective == .idle, wellhead_set_thread_idle() == 0 { return }
            _ = wellhead_set_thread_nice(10)
        }
    }

    /// Raises both threads to SCHED_OTHER, once per rescue; from any thread. A refusal (which
    /// the probe rules out) leaves them where they were: the backlog's bound still holds.
    func rescue() {
        guard effective == .idle, !raised.load(ordering: .acquiring) else { return }
        let raisedHere = change { raised in
            guard !raised else { return nil }
            raised = true
            return 0
        }
        guard raisedHere else { return }
        rescueCount.wrappingAdd(1, ordering: .relaxed)
        rescueCounter.increment()
    }

    /// Lowers both threads to SCHED_IDLE again after a rescue; the writer calls it once it has
    /// caught up.
    func settle() {
        guard raised.load(ordering: .acquiring) else { return }
        _ = change { raised in
            guard raised else { return nil }
            raised = false
            return 1
        }
    }

    /// Flips the state and sets both threads' policy (`decide` returns 1 for SCHED_IDLE, 0 for
    /// SCHED_OTHER, `nil` for no change) under one lock, so a rescue and a settling that race
    /// leave the threads where the state says; whether it changed anything.
    private func change(_ decide: (inout Bool) -> Int32?) -> Bool {
        policy.withLock { raisedNow in
            guard let idle = decide(&raisedNow) else { return false }
            raised.store(raisedNow, ordering: .releasing)
            for id in [writer.load(ordering: .acquiring), checkpointer.load(ordering: .acquiring)] where id != 0 {
                _ = wellhead_set_thread_policy(id, idle)
            }
            return true
        }
    }
}
