import FIXCodec
import FIXSession
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

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
        logger.info("accepting on \(host):\(bound)", metadata: ["sessions": "\(registry.all.map(\.id.description))"])
        return bound
    }

    /// Keeps `endpoint` connected to the first reachable address, in turn, waiting
    /// `reconnectInterval` seconds between attempts, until the engine shuts down.
    public func connect(_ endpoint: SessionEndpoint, addresses: [(host: String, port: Int)], reconnectInterval: Int = 30,
                        tls: NIOSSLContext? = nil, serverHostname: String? = nil, noDelay: Bool = true,
                        validateChecksum: Bool = true) {
        let framer = FIXFramer(validateChecksum: validateChecksum)
        endpoints.withLock { $0.append(endpoint) }
        let group = self.group
        let logger = {
            var logger = self.logger
            logger[metadataKey: "session"] = "\(endpoint.id)"
            return logger
        }()
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
                    let channel = try await ClientBootstrap(group: group)
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
                        .connect(host: address.host, port: address.port).get()
                    logger.info("connected to \(address.host):\(address.port)")
                    try await channel.closeFuture.get()
                } catch {
                    logger.notice("cannot connect to \(address.host):\(address.port): \(error)")
                }
                try? await Task.sleep(for: .seconds(reconnectInterval))
            }
        }
        initiators.withLock { $0.append(task) }
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
            if !finished { logger.warning("session \(endpoint.id) did not close within \(limit)s of its Logout") }
        }
        for server in servers.withLock({ $0 }) { try? await server.close() }
        for task in initiators.withLock({ $0 }) { _ = await task.value }
    }
}
