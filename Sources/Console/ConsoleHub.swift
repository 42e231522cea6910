import ConsoleAccess
import Foundation
import Synchronization

/// The consoles watching live: each WebSocket's user and the stream its writer drains. The
/// state is encoded once per distinct view (role and accounts), however many watch it, and a
/// slow browser only ever has the newest state waiting, never a backlog.
final class ConsoleHub: Sendable {
    struct Watcher: Sendable {
        let token: String
        let user: ConsoleUser
        let continuation: AsyncStream<String>.Continuation
    }

    private struct View: Hashable {
        let role: ConsoleRole
        let accounts: Set<String>
    }

    private let watchers = Mutex<[Int: Watcher]>([:])
    private let nextID = Atomic<Int>(1)

    /// Adds a watcher; its stream ends when ``remove(_:)`` or ``close(token:)`` is called.
    func watch(token: String, user: ConsoleUser) -> (id: Int, updates: AsyncStream<String>) {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1))
        watchers.withLock { $0[id] = Watcher(token: token, user: user, continuation: continuation) }
        return (id, stream)
    }

    func remove(_ id: Int) {
        watchers.withLock { $0.removeValue(forKey: id) }?.continuation.finish()
    }

    /// Ends every watcher of a console session (logged out or expired).
    func close(token: String) {
        let closed = watchers.withLock { watchers in
            let ids = watchers.filter { $0.value.token == token }.map(\.key)
            return ids.compactMap { watchers.removeValue(forKey: $0) }
        }
        for watcher in closed { watcher.continuation.finish() }
    }

    func closeAll() {
        let all = watchers.withLock { watchers in
            defer { watchers.removeAll() }
            return Array(watchers.values)
        }
        for watcher in all { watcher.continuation.finish() }
    }

    var count: Int { watchers.withLock { $0.count } }
    var isEmpty: Bool { watchers.withLock { $0.isEmpty } }

    /// Sends `state` to every watcher, cut to what each may see.
    func publish(_ state: ConsoleState) {
        let current = watchers.withLock { Array($0.values) }
        var encoded: [View: String] = [:]
        for watcher in current {
            let view = View(role: watcher.user.role, accounts: watcher.user.role == .trader ? watcher.user.accounts : [])
            let text: String
            if let done = encoded[view] {
                text = done
            } else {
                text = ConsoleMessage.state(state.visible(to: watcher.user))
                encoded[view] = text
            }
            watcher.continuation.yield(text)
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
    static func outcome(_ outcome: ConsoleOutcome) -> String { encode(Envelope(type: "outcome", body: outcome)) }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Every value here is a string, an integer or a Bool: encoding cannot fail.
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
