import ConsoleAccess
import Foundation
import Synchronization

/// The consoles watching live: each WebSocket's user and the stream its writer drains. A page
/// is sent the whole state once, then only what changed ("patch"), each computed and encoded
/// once per distinct view (role and accounts) however many pages watch it. A slow page never
/// has a backlog: when a patch would be dropped unread, the whole state replaces it.
final class ConsoleHub: Sendable {
    struct Watcher: Sendable {
        let token: String
        let user: ConsoleUser
        let continuation: AsyncStream<String>.Continuation
        /// Whether the page has a state that patches apply to.
        var primed = false

        var view: View { View(role: user.role, accounts: user.role == .trader ? user.accounts : []) }
    }

    struct View: Hashable, Sendable {
        let role: ConsoleRole
        let accounts: Set<String>
    }

    private struct Shared: Sendable {
        var watchers: [Int: Watcher] = [:]
        /// The state each view was last sent.
        var sent: [View: ConsoleState] = [:]
    }

    private let shared = Mutex(Shared())
    private let nextID = Atomic<Int>(1)

    /// Adds a watcher; its stream ends when ``remove(_:)`` or ``close(token:)`` is called.
    func watch(token: String, user: ConsoleUser) -> (id: Int, updates: AsyncStream<String>) {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1))
        shared.withLock { $0.watchers[id] = Watcher(token: token, user: user, continuation: continuation) }
        return (id, stream)
    }

    func remove(_ id: Int) {
        shared.withLock { $0.watchers.removeValue(forKey: id) }?.continuation.finish()
    }

    /// Ends every watcher of a console session (logged out or expired).
    func close(token: String) {
        let closed = shared.withLock { shared in
            let ids = shared.watchers.filter { $0.value.token == token }.map(\.key)
            return ids.compactMap { shared.watchers.removeValue(forKey: $0) }
        }
        for watcher in closed { watcher.continuation.finish() }
    }

    func closeAll() {
        let all = shared.withLock { shared in
            defer { shared.watchers.removeAll() }
            return Array(shared.watchers.values)
        }
        for watcher in all { watcher.continuation.finish() }
    }

    var count: Int { shared.withLock { $0.watchers.count } }
    var isEmpty: Bool { shared.withLock { $0.watchers.isEmpty } }

    /// Sends `state` to every watcher, cut to what each may see: the whole of it to a page
    /// that has none yet, else what changed since the view's last state.
    func publish(_ state: ConsoleState) {
        let (watchers, sent) = shared.withLock { ($0.watchers, $0.sent) }
        var byView: [View: [Int]] = [:]
        for (id, watcher) in watchers { byView[watcher.view, default: []].append(id) }
        var primedNow: [Int] = []
        var newlySent: [View: ConsoleState] = [:]
        for (view, ids) in byView {
            guard let first = ids.first, let user = watchers[first]?.user else { continue }
            let visible = state.visible(to: user)
            newlySent[view] = visible
            var full: String?
            func whole() -> String {
                if let full { return full }
                let text = ConsoleMessage.state(visible)
                full = text
                return text
            }
            var patchText: String?
            if let last = sent[view] {
                let patch = visible.patch(from: last)
                patchText = patch.isEmpty ? nil : ConsoleMessage.patch(patch)
            }
            for id in ids {
                guard let watcher = watchers[id] else { continue }
                if watcher.primed, let last = sent[view], last == visible || patchText == nil {
                    continue
                }
                if watcher.primed, let patchText {
                    // A patch that pushed out one the page had not read yet would leave it
                    // behind: the whole state goes instead.
                    if case .dropped = watcher.continuation.yield(patchText) { watcher.continuation.yield(whole()) }
                } else {
                    watcher.continuation.yield(whole())
                    primedNow.append(id)
                }
            }
        }
        shared.withLock { shared in
            for (view, state) in newlySent { shared.sent[view] = state }
            for id in primedNow { shared.watchers[id]?.primed = true }
            let live = Set(shared.watchers.values.map(\.view))
            shared.sent = shared.sent.filter { live.contains($0.key) }
        }
    }
}

/// What goes over the WebSocket, as JSON text: `{"type":"state","state":{…}}` and
/// `{"type":"outcome","outcome":{…}}`.
enum ConsoleMessage {
    private struct Envelope<Body: Encodable>: Encodable {
        let type: String
        let body: Body
    }

    static func state(_ state: ConsoleState) -> String { encode(Envelope(type: "state", body: state)) }
    static func patch(_ patch: ConsolePatch) -> String { encode(Envelope(type: "patch", body: patch)) }
    static func outcome(_ outcome: ConsoleOutcome) -> String { encode(Envelope(type: "outcome", body: outcome)) }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            // Every value here is a string, an integer or a Bool; were one ever not, the page
            // is told rather than sent nothing.
            return #"{"type":"error","body":{"message":"the console could not encode its state"}}"#
        }
    }
}
