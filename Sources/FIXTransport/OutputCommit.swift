import FIXJournal
import NIOCore
import NIOPosix

/// One event loop's output commit to one journal: everything the loop's sessions and
/// applications journal in one turn of the loop goes to the journal as one group, committed in
/// one transaction, and what waits on it (the bytes to send) is released on the loop once that
/// transaction is durable.
///
/// So an inbound message is acted on as soon as it is read, and what it causes — the
/// messages it makes on any session the loop carries, the gateway's and the risk sidecar's
/// decisions, the sequence numbers — is committed with it, before any of it leaves the
/// process. A crash before the commit leaves no trace outside: the counterparty's message was
/// not committed, our sequence numbers did not move, and the counterparty sends it again. A
/// commit that fails leaves the journal failed (``Journal/failure``): every later write fails,
/// so nothing the process decides from then on is sent.
///
/// One per loop and journal (``shared(journal:loop:)``); used on its loop only.
public final class OutputCommit: @unchecked Sendable {
    // The journal keeps this object (``Journal/attachment(for:make:)``): not kept in return.
    private unowned let journal: Journal
    public let loop: any EventLoop
    /// What this turn wrote, and what waits on its commit.
    private var group = JournalGroup()
    private var waiting: [(JournalError?) -> Void] = []
    private var scheduled = false

    private init(journal: Journal, loop: any EventLoop) {
        self.journal = journal
        self.loop = loop
    }

    /// `loop`'s output commit to `journal`.
    public static func shared(journal: Journal, loop: any EventLoop) -> OutputCommit {
        journal.attachment(for: ObjectIdentifier(loop)) { OutputCommit(journal: journal, loop: loop) }
    }

    /// The output commit of the event loop this is called on, or `nil` off any loop (a
    /// thread of its own, a task): a write from there goes to the journal on its own.
    public static func current(journal: Journal) -> OutputCommit? {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        return shared(journal: journal, loop: loop)
    }

    /// Adds `entries` to this turn's commit; `then` runs on the loop once it is durable (with
    /// `nil`) or failed. On the loop only.
    public func write(_ entries: [JournalEntry], then: @escaping (JournalError?) -> Void = { _ in }) {
        loop.preconditionInEventLoop()
        group.append(entries)
        waiting.append(then)
        scheduleFlush()
    }

    /// Adds entries made, inside the commit's transaction, from `session`'s state as the
    /// writes before them left it (``JournalGroup/Item/build(_:make:)``). On the loop only.
    public func write(for session: JournalSession, building make: @escaping @Sendable (JournalSessionState) -> [JournalEntry],
                      then: @escaping (JournalError?) -> Void = { _ in }) {
        loop.preconditionInEventLoop()
        group.append(building: session, make)
        waiting.append(then)
        scheduleFlush()
    }

    /// The turn's writes go to the journal once the loop has run what this turn brought in:
    /// a message read, and whatever it caused on the loop's other sessions, share one commit.
    private func scheduleFlush() {
        guard !scheduled else { return }
        scheduled = true
        loop.execute { [self] in flush() }
    }

    private func flush() {
        scheduled = false
        guard !waiting.isEmpty else { return }
        let committed = group, released = NIOLoopBound(waiting, eventLoop: loop)
        group = JournalGroup()
        waiting = []
        let loop = self.loop
        // With the write-ahead log the commit is durable when `commit` returns, and this runs
        // here and now; otherwise it runs on the journal's writer thread, and hops back.
        journal.commit(committed) { error in
            if loop.inEventLoop {
                for then in released.value { then(error) }
            } else {
                loop.execute {
                    for then in released.value { then(error) }
                }
            }
        }
    }
}

extension Journal {
    /// Writes `entries` with this turn's output commit when called on an event loop (so they
    /// are committed with the message being handled and whatever else it caused, before any
    /// of it is sent), or on their own from anywhere else. `failed` runs if they could not be
    /// written, on the loop or on the journal's writer thread.
    public func writeInTurn(_ entries: [JournalEntry], failed: @escaping @Sendable (JournalError) -> Void) {
        guard !entries.isEmpty else { return }
        if let output = OutputCommit.current(journal: self) {
            output.write(entries) { error in if let error { failed(error) } }
        } else {
            write(entries) { error in if let error { failed(error) } }
        }
    }

    /// ``writeInTurn(_:failed:)`` for entries made from `session`'s state inside the commit
    /// (``JournalGroup/Item/build(_:make:)``).
    public func writeInTurn(for session: JournalSession, building make: @escaping @Sendable (JournalSessionState) -> [JournalEntry],
                            failed: @escaping @Sendable (JournalError) -> Void) {
        if let output = OutputCommit.current(journal: self) {
            output.write(for: session, building: make) { error in if let error { failed(error) } }
        } else {
            write(for: session, building: make) { error in if let error { failed(error) } }
        }
    }
}

extension OutputCommit {
    /// Returns once what `loop`'s turns so far have written is queued on the journal: a write
    /// queued on the journal after this is committed after it, never before. An admin request
    /// answered once its own record is durable awaits this first, so the decisions it caused
    /// on the loop are durable by then too.
    public static func handedOver(on loop: any EventLoop) async throws {
        // The turn's flush was scheduled on the loop before this task: it runs first.
        try await loop.submit {}.get()
    }
}
