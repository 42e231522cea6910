import CThreadPriority
import ConsoleAccess
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import JournalAudit
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// Where the console listens and how it keeps its sessions (the profile's `Console…` keys).
public struct ConsoleConfiguration: Sendable {
    /// The address to listen on: 127.0.0.1 unless the profile opens it wider.
    public var host: String
    /// 0 picks a free port (tests); ``ConsoleServer/port`` tells which.
    public var port: Int
    /// The users file (`Users=`): read at every login, so users added while running can log in.
    public var usersPath: String
    /// Served over TLS with this configuration (the profile's certificates); plain HTTP when nil.
    public var tls: TLSConfiguration?
    /// Cookies marked Secure: under TLS.
    public var secureCookies: Bool { tls != nil }
    /// A console session idle this long is signed out.
    public var idleTimeout: Int64
    /// The least time between two states pushed to the browsers: changes in between are
    /// folded into the next.
    public var publishInterval: Duration
    /// Failed logins before a user is locked out, and for how long.
    public var maxFailedLogins: Int
    public var lockout: Int64

    public init(host: String = "127.0.0.1", port: Int = 8080, usersPath: String, tls: TLSConfiguration? = nil,
                idleTimeout: Int64 = 30 * 60 * 1_000_000_000, publishInterval: Duration = .milliseconds(250), maxFailedLogins: Int = 5,
                lockout: Int64 = 15 * 60 * 1_000_000_000) {
        self.host = host
        self.port = port
        self.usersPath = usersPath
        self.tls = tls
        self.idleTimeout = idleTimeout
        self.publishInterval = publishInterval
        self.maxFailedLogins = maxFailedLogins
        self.lockout = lockout
    }
}

/// The console's own state: who is signed in, who is locked out, what waits for a second
/// person. One owner, this lock, never held across an await or a bcrypt check.
struct ConsoleAccessState: Sendable {
    var sessions: ConsoleSessions
    var logins: LoginGuard
    var approvals = DualControl()
}

/// The admin console: Hummingbird on threads of its own (never the gateway's loop), pages and
/// a JSON API behind logins, and a WebSocket per open page that the state is pushed over as
/// the gateway changes.
public final class ConsoleServer: Sendable {
    let configuration: ConsoleConfiguration
    let backend: any ConsoleBackend
    let access: Mutex<ConsoleAccessState>
    let hub = ConsoleHub()
    let clock: @Sendable () -> Int64
    let logger: Logger
    /// The appliance's metrics in Prometheus's text format, served at `/metrics`.
    let metrics: (@Sendable () -> String)?
    /// The journal for the audit page; `nil` for a console without one.
    let audit: AuditTrail?
    private let group: MultiThreadedEventLoopGroup
    /// The console's thread as a task executor: the publisher and every page's writer prefer it.
    let executor: ConsoleLoopExecutor
    private let bound = Mutex<Int?>(nil)
    private let running = Mutex<[CheckedContinuation<Int, Never>]>([])

    public static let cookieName = "wellhead_console"
    /// The console thread's nice value: the lowest. With 50 pages watching, order-to-New p99
    /// against the plain appliance's in the same run was 1.08 and 1.12 times at 10 (beside the
    /// journal's background threads), 0.67, 1.06 and 1.22 times at 19: within the noise of a
    /// two-core machine, not yet reliably under 1.05.
    static let threadNice: Int32 = 19

    public init(configuration: ConsoleConfiguration, backend: any ConsoleBackend, logger: Logger = Logger(label: "wellhead.console"),
                metrics: (@Sendable () -> String)? = nil, audit: AuditTrail? = nil, clock: @escaping @Sendable () -> Int64) {
        self.metrics = metrics
        self.audit = audit
        self.configuration = configuration
        self.backend = backend
        self.logger = logger
        self.clock = clock
        access = Mutex(ConsoleAccessState(sessions: ConsoleSessions(idleTimeout: configuration.idleTimeout),
                                          logins: LoginGuard(maxFailures: configuration.maxFailedLogins, lockout: configuration.lockout)))
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // The console's thread yields the cores to the gateway's loop when both want them, and
        // to the journal's background threads (nice 10) too: watching must not slow the
        // orders. The console's work runs there, not on the shared pool: the state cut per
        // view, each message encoded (``ConsoleLoopExecutor``).
        executor = ConsoleLoopExecutor(loop: group.next())
        group.next().execute { _ = wellhead_set_thread_nice(Self.threadNice) }
    }

    /// The port it listens on, once it does.
    public func port() async -> Int {
        if let port = bound.withLock({ $0 }) { return port }
        return await withCheckedContinuation { continuation in
            let port: Int? = bound.withLock { port in
                if port == nil { running.withLock { $0.append(continuation) } }
                return port
            }
            if let port { continuation.resume(returning: port) }
        }
    }

    /// Serves until cancelled or a graceful shutdown.
    public func run() async throws {
        let plain = HTTPServerBuilder.http1WebSocketUpgrade(webSocketRouter: webSocketRouter())
        let application = Application(
            router: router(),
            server: try configuration.tls.map { try .tls(plain, tlsConfiguration: $0) } ?? plain,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "Wellhead"),
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? configuration.port
                let waiting = bound.withLock { bound in
                    bound = port
                    return running.withLock { waiting in
                        defer { waiting.removeAll() }
                        return waiting
                    }
                }
                for continuation in waiting { continuation.resume(returning: port) }
                logger.info("console listening", metadata: ["address": "\(configuration.host):\(port)", "tls": "\(configuration.tls != nil)"])
                if !FileManager.default.fileExists(atPath: configuration.usersPath) {
                    logger.notice("console has no users yet: add one with wellhead user add", metadata: ["users": "\(configuration.usersPath)"])
                }
            },
            eventLoopGroupProvider: .shared(group),
            logger: logger
        )
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask(executorPreference: executor) { await self.publishChanges() }
            try await withGracefulShutdownHandler {
                try await application.run()
            } onGracefulShutdown: { [self] in
                backend.changes.finish()
                hub.closeAll()
            }
            backend.changes.finish()
            hub.closeAll()
        }
    }

    /// Hands the hub the state after each change, at most once a
    /// ``ConsoleConfiguration/publishInterval``; each page's writer then pulls what it lacks.
    private func publishChanges() async {
        await backend.changes.forEachChange { [self] in
            guard !hub.isEmpty else { return }
            do {
                hub.publish(try await currentState())
            } catch {
                logger.warning("console state not taken", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: configuration.publishInterval)
        }
    }

    /// The backend's state with the console's own: the changes waiting for a second person.
    func currentState() async throws -> ConsoleState {
        var state = try await backend.state()
        let now = clock()
        let (expired, pending) = access.withLock { access in (access.approvals.expire(now: now), access.approvals.pending) }
        for request in expired {
            logger.notice("approval request expired unapproved", metadata: ["id": "\(request.id)", "requestedBy": "\(request.requestedBy)"])
        }
        state.approvals = pending.map { request in
            ConsoleState.ApprovalRow(id: request.id, action: Self.describe(request.action), requestedBy: request.requestedBy,
                                     requestedAt: request.requestedAt)
        }
        return state
    }

    static func describe(_ action: ApprovalAction) -> String {
        switch action {
        case .releaseKillSwitch(let scope, let reason): "release the \(scope) kill switch" + (reason.isEmpty ? "" : " (\(reason))")
        case .changeLimit(let control, let scope, let value):
            value.trimmingCharacters(in: .whitespaces).isEmpty ? "remove \(control) at \(scope)" : "set \(control) at \(scope) to \(value)"
        }
    }

    /// Users signed in and pages watching live, for the metrics.
    public var watching: (users: Int, pages: Int) {
        let users = access.withLock { $0.sessions.signedInUsers }
        return (users, hub.count)
    }

    public func shutdown() async throws {
        try await group.shutdownGracefully()
    }
}

extension ConsoleServer: Service {}

/// Runs the console's tasks on its own event loop's thread (nice 19), so what watching costs
/// in CPU (the state cut per view, the patches, the JSON) is taken from the cores only when
/// the gateway's loop does not want them, never from the pool's threads at its priority.
final class ConsoleLoopExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
