import FIXCodec
import FIXSession
import FIXTransportConfiguration
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs FIX sessions on SwiftNIO: acceptors (many sessions on one port, told apart by
/// CompIDs) and initiators (reconnecting, with failover addresses), over TCP or TLS.
public final class FIXEngine: Sendable {
    public let group: any EventLoopGroup
    private let logger: Logger
    private let servers = Mutex<[Channel]>([])
    private let initiators = Mutex<[Task<Void, Never>]>([])
    private let endpoints = Mutex<[SessionEndpoint]>([])

    /// Bytes buffered for a slow reader before the session stops reading from it.
    static let writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 256 * 1024, high: 1024 * 1024)
    /// Largest unframed input kept for one connection.
    static let maximumInputBuffer = 4 * 1024 * 1024

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger = Logger(label: "wellhead.fix")) {
        self.group = group
        self.logger = logger
    }

    /// Listens on `host:port` for the sessions in `registry`; returns the bound port (useful
    /// with port 0).
    @discardableResult
    public func listen(host: String = "0.0.0.0", port: Int, registry: SessionRegistry, tls: NIOSSLContext? = nil,
                       reuseAddress: Bool = true, noDelay: Bool = true, validateChecksum: Bool = true) async throws -> Int {
        let framer = FIXFramer(validateChecksum: validateChecksum)
        let logger = self.logger
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: reuseAddress ? 1 : 0)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.socketOption(.tcp_nodelay), value: noDelay ? 1 : 0)
            .childChannelOption(.writeBufferWaterMark, value: Self.writeBufferWaterMark)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls { try pipeline.addHandler(NIOSSLServerHandler(context: tls)) }
                    try pipeline.addHandler(ByteToMessageHandler(FIXFrameDecoder(framer: framer), maximumBufferSize: Self.maximumInputBuffer))
                    var connectionLogger = logger
                    connectionLogger[metadataKey: "peer"] = "\(channel.remoteAddress.map { "\($0)" } ?? "?")"
                    try pipeline.addHandler(FIXSessionHandler(binding: .acceptor(registry), logger: connectionLogger))
                }
            }
        let server = try await bootstrap.bind(host: host, port: port).get()
        servers.withLock { $0.append(server) }
        endpoints.withLock { $0.append(contentsOf: registry.all) }
        let bound = server.localAddress?.port ?? port
        logger.info("accepting connections", metadata: ["address": "\(host):\(bound)", "sessions": "\(registry.all.map(\.id.description))"])
        return bound
    }

    /// Keeps `endpoint` connected to the first reachable address, in turn, waiting
    /// `reconnectInterval` seconds between attempts, until the engine shuts down.
    public func connect(_ endpoint: SessionEndpoint, addresses: [ConnectAddress], reconnectInterval: Int = 30,
                        tls: NIOSSLContext? = nil, serverHostname: String? = nil, noDelay: Bool = true,
                        validateChecksum: Bool = true) {
        endpoints.withLock { $0.append(endpoint) }
        let logger = sessionLogger(endpoint)
        let task = Task {
            var attempt = 0
            while !Task.isCancelled {
                let address = addresses[attempt % addresses.count]
                attempt += 1
                if endpoint.configuration.schedule != nil && !SessionStateMachine(configuration: endpoint.configuration)
                    .isInSession(WallClock.now()) {
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                do {
                    let channel = try await openChannel(endpoint, host: address.host, port: address.port, tls: tls,
                                                        serverHostname: serverHostname, noDelay: noDelay,
                                                        validateChecksum: validateChecksum, logger: logger)
                    logger.info("connected", metadata: ["address": "\(address.host):\(address.port)"])
                    try await channel.closeFuture.get()
                } catch {
                    logger.notice("cannot connect", metadata: ["address": "\(address.host):\(address.port)", "error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(reconnectInterval))
            }
        }
        initiators.withLock { $0.append(task) }
    }

    /// Connects `endpoint` to `host:port` once, for a one-shot client: returns once connected
    /// (the session then logs on and runs until the connection closes or the engine shuts
    /// down, with no reconnecting), or throws at once when the connection cannot be made.
    public func connectOnce(_ endpoint: SessionEndpoint, host: String, port: Int, tls: NIOSSLContext? = nil,
                            serverHostname: String? = nil, noDelay: Bool = true, validateChecksum: Bool = true)
        async throws(ConnectionFailure) {
        let logger = sessionLogger(endpoint)
        let channel: Channel
        do {
            channel = try await openChannel(endpoint, host: host, port: port, tls: tls, serverHostname: serverHostname,
                                            noDelay: noDelay, validateChecksum: validateChecksum, logger: logger)
        } catch {
            throw ConnectionFailure(host: host, port: port, error: error)
        }
        endpoints.withLock { $0.append(endpoint) }
        logger.info("connected", metadata: ["address": "\(host):\(port)"])
        initiators.withLock { $0.append(Task { try? await channel.closeFuture.get() }) }
    }

    private func sessionLogger(_ endpoint: SessionEndpoint) -> Logger {
        var logger = self.logger
        logger[metadataKey: "session"] = "\(endpoint.id)"
        return logger
    }

    /// One TCP (or TLS) connection to `host:port` carrying `endpoint`'s session.
    private func openChannel(_ endpoint: SessionEndpoint, host: String, port: Int, tls: NIOSSLContext?, serverHostname: String?,
                             noDelay: Bool, validateChecksum: Bool, logger: Logger) async throws -> Channel {
        let framer = FIXFramer(validateChecksum: validateChecksum)
        return try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: noDelay ? 1 : 0)
            .channelOption(.writeBufferWaterMark, value: Self.writeBufferWaterMark)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                    }
                    try pipeline.addHandler(ByteToMessageHandler(FIXFrameDecoder(framer: framer), maximumBufferSize: Self.maximumInputBuffer))
                    try pipeline.addHandler(FIXSessionHandler(binding: .initiator(endpoint), logger: logger))
                }
            }
            .connect(host: host, port: port).get()
    }

    /// Logs every connected session out (waiting for the replies, up to each session's
    /// LogoutTimeout), then stops listening and connecting.
    public func shutdown(reason: String = "Wellhead shutting down") async {
        for task in initiators.withLock({ $0 }) { task.cancel() }
        let live = endpoints.withLock { $0 }
        let closing = live.compactMap { endpoint in endpoint.logout(reason: reason).map { (endpoint, $0) } }
        for (endpoint, closed) in closing {
            let limit = endpoint.configuration.logoutTimeout + 1
            let finished = await withTaskGroup(of: Bool.self) { group in
                group.addTask { (try? await closed.get()) != nil }
                group.addTask { try? await Task.sleep(for: .seconds(limit)); return false }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if !finished { logger.warning("session did not close in time after its Logout", metadata: ["session": "\(endpoint.id)", "seconds": "\(limit)"]) }
        }
        for server in servers.withLock({ $0 }) { try? await server.close() }
        for task in initiators.withLock({ $0 }) { _ = await task.value }
        // What the sessions' last turns journaled (a Logout, the final sequence numbers) is in
        // each loop's output commit until the loop flushes it, ahead of this task: once this
        // has run, it is queued on the journal, which commits it before it closes.
        for loop in group.makeIterator() {
            do {
                try await loop.submit {}.get()
            } catch {
                logger.error("an event loop stopped before its last journal writes were handed over", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Why a one-shot connection (``FIXEngine/connectOnce(_:host:port:tls:serverHostname:noDelay:validateChecksum:)``)
/// could not be made.
public struct ConnectionFailure: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// Nothing listens at the address (ECONNREFUSED).
        case refused
        /// No answer within the connect timeout.
        case timedOut
        /// Anything else: the name does not resolve, the network is unreachable …
        case other(String)
    }

    public let host: String
    public let port: Int
    public let reason: Reason

    public init(host: String, port: Int, reason: Reason) {
        self.host = host
        self.port = port
        self.reason = reason
    }

    /// Reads what SwiftNIO threw: refused and timed-out connections by their error codes,
    /// however NIO wraps them.
    init(host: String, port: Int, error: any Error) {
        self.init(host: host, port: port, reason: Self.reason(of: error))
    }

    private static func reason(of error: any Error) -> Reason {
        if let connection = error as? NIOConnectionError {
            if let dns = connection.dnsAError ?? connection.dnsAAAAError { return .other("cannot resolve the host: \(dns)") }
            let reasons = connection.connectionErrors.map { reason(of: $0.error) }
            return reasons.first { $0 == .refused } ?? reasons.first { $0 == .timedOut } ?? reasons.first ?? .other("\(error)")
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return .refused
            case ETIMEDOUT: return .timedOut
            default: return .other("\(io)")
            }
        }
        if let channel = error as? ChannelError, case .connectTimeout = channel { return .timedOut }
        return .other("\(error)")
    }

    public var description: String {
        switch reason {
        case .refused: "cannot connect to \(host):\(port): connection refused (nothing is listening there)"
        case .timedOut: "cannot connect to \(host):\(port): no answer (timed out)"
        case .other(let text): "cannot connect to \(host):\(port): \(text)"
        }
    }
}
