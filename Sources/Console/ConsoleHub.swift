import ConsoleAccess
import Foundation
import Synchronization

/// The consoles watching live, and the states they are sent. The publisher hands the hub each
/// new state; the hub keeps, for each distinct view (role and accounts), the last few versions
/// of what that view may see. Each page's WebSocket writer PULLS: woken when its view has a
/// newer version, it asks for the message that takes it from the version it last wrote to the
/// newest — a patch when its version is still kept, the whole state when it has none or its
/// version is too old. Each message is encoded once per view and shared by every page of the
/// view that needs it. A slow page skips the versions it had no time for; nothing queues for
/// it but one wake-up, so nothing grows however slow it is.
final class ConsoleHub: Sendable {
    /// Versions kept per view: a page this many behind is sent the whole state.
    static let keptVersions = 8

    struct View: Hashable, Sendable {
        let role: ConsoleRole
        let accounts: Set<String>

        init(_ user: ConsoleUser) {
            role = user.role
            accounts = user.role == .trader ? user.accounts : []
        }
    }

    /// One watching page: its user, the version it last wrote (0: none yet) and its wake-up.
    private struct Page: Sendable {
        let token: String
        let user: ConsoleUser
        let view: View
        var version = 0
        let wake: AsyncStream<Void>.Continuation
    }

    /// What one view was published: its last few versions, oldest first, and the messages
    /// already encoded to the newest, by the version they start from (0: the whole state).
    private struct Versions: Sendable {
        var kept: [(version: Int, state: ConsoleState)] = []
        var encoded: [Int: String] = [:]
        var newest: Int { kept.last?.version ?? 0 }

        func state(_ version: Int) -> ConsoleState? { kept.last(where: { $0.version == version })?.state }
    }

    private struct Shared: Sendable {
        var pages: [Int: Page] = [:]
        var views: [View: Versions] = [:]
        var nextVersion = 1
        /// Messages encoded since the hub began (for the tests: pages of a view share one).
        var encodings = 0
    }

    private let shared = Mutex(Shared())
    private let nextID = Atomic<Int>(1)

    /// Adds a page; `wakes` yields when its view has a version newer than the page has written,
    /// and ends when ``remove(_:)``, ``close(token:)`` or ``closeAll()`` is called. At most one
    /// wake-up waits, however many versions came.
    func watch(token: String, user: ConsoleUser) -> (id: Int, wakes: AsyncStream<Void>) {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        let (stream, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let view = View(user)
        let published = shared.withLock { shared in
            shared.pages[id] = Page(token: token, user: user, view: view, wake: wake)
            return shared.views[view] != nil
        }
        if published { wake.yield() }
        return (id, stream)
    }

    func remove(_ id: Int) {
        shared.withLock { $0.pages.removeValue(forKey: id) }?.wake.finish()
    }

    /// Ends every page of a console session (logged out or expired).
    func close(token: String) {
        let closed = shared.withLock { shared in
            let ids = shared.pages.filter { $0.value.token == token }.map(\.key)
            return ids.compactMap { shared.pages.removeValue(forKey: $0) }
        }
        for page in closed { page.wake.finish() }
    }

    func closeAll() {
        let all = shared.withLock { shared in
            defer { shared.pages.removeAll() }
            return Array(shared.pages.values)
        }
        for page in all { page.wake.finish() }
    }

    var count: Int { shared.withLock { $0.pages.count } }
    var isEmpty: Bool { shared.withLock { $0.pages.isEmpty } }
    var encodings: Int { shared.withLock { $0.encodings } }

    /// Makes `state` the newest version of every watched view, cut to what each may see, and
    /// wakes the pages of the views it changed (a state that differs from the view's newest
    /// only in its time is no new version). Nothing is encoded here: the pages' writers ask.
    func publish(_ state: ConsoleState) {
        let (views, newest) = shared.withLock { shared in
            var users: [View: ConsoleUser] = [:]
            for page in shared.pages.values where users[page.view] == nil { users[page.view] = page.user }
            // A view no page watches is forgotten.
            shared.views = shared.views.filter { users[$0.key] != nil }
            return (users, shared.views.mapValues { $0.kept.last?.state })
        }
        var changed: [View: ConsoleState] = [:]
        for (view, user) in views {
            let visible = state.visible(to: user)
            if var last = newest[view] ?? nil {
                last.time = visible.time
                if last == visible { continue }
            }
            changed[view] = visible
        }
        guard !changed.isEmpty else { return }
        let woken = shared.withLock { shared in
            for (view, visible) in changed {
                var versions = shared.views[view] ?? Versions()
                versions.kept.append((shared.nextVersion, visible))
                if versions.kept.count > Self.keptVersions { versions.kept.removeFirst(versions.kept.count - Self.keptVersions) }
                versions.encoded.removeAll()
                shared.views[view] = versions
                shared.nextVersion += 1
            }
            return shared.pages.values.filter { changed[$0.view] != nil }.map(\.wake)
        }
        for wake in woken { wake.yield() }
    }

    /// The message that takes page `id` from the version it last wrote to its view's newest,
    /// and that version, now counted as written; nil when it has the newest already (or is gone).
    /// Encoded at most once per view and starting version; the encoding runs outside the lock.
    func next(for id: Int) -> String? {
        enum Step {
            case done
            case ready(String, version: Int)
            case encode(from: Int, old: ConsoleState?, new: ConsoleState, version: Int, view: View)
        }
        let step: Step = shared.withLock { shared in
            guard let page = shared.pages[id], let versions = shared.views[page.view], versions.newest > page.version,
                  let newest = versions.kept.last else { return .done }
            // The page's version is still kept: a patch from it; else the whole state.
            let old = page.version == 0 ? nil : versions.state(page.version)
            let from = old == nil ? 0 : page.version
            if let text = versions.encoded[from] {
                shared.pages[id]?.version = newest.version
                return .ready(text, version: newest.version)
            }
            return .encode(from: from, old: old, new: newest.state, version: newest.version, view: page.view)
        }
        switch step {
        case .done:
            return nil
        case .ready(let text, _):
            return text
        case .encode(let from, let old, let new, let version, let view):
            let text = old.map { ConsoleMessage.patch(new.patch(from: $0)) } ?? ConsoleMessage.state(new)
            return shared.withLock { shared in
                shared.encodings += 1
                shared.pages[id]?.version = version
                // Another page of the view may have encoded the same meanwhile: its text is kept.
                guard shared.views[view]?.newest == version else { return text }
                if let other = shared.views[view]?.encoded[from] { return other }
                shared.views[view]?.encoded[from] = text
                return text
            }
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
