import Foundation
import NIOCore
import NIOPosix

/// What can go wrong on the admin socket, said so a person knows what to do.
public enum AdminSocketError: Error, CustomStringConvertible, Sendable {
    /// The server could not bind its socket file.
    case cannotListen(path: String, reason: String)
    /// No appliance answers at the path.
    case cannotConnect(path: String, reason: String)
    /// The other side sent something that is not a request or a response.
    case malformed(String)

    public var description: String {
        switch self {
        case .cannotListen(let path, let reason): "cannot listen on the admin socket \(path): \(reason)"
        case .cannotConnect(let path, let reason):
            "cannot reach the admin socket \(path) (is `wellhead serve` running with this profile?): \(reason)"
        case .malformed(let text): "malformed admin message: \(text)"
        }
    }
}

/// The appliance's admin socket: a Unix domain socket, readable and writable by its owner
/// only, on which each connection sends one ``AdminRequest`` line and gets one
/// ``AdminResponse`` line back. Local only by design: whoever can reach it can stop the firm's
/// trading. What a request does is the handler's: the gateway's, or the venue simulator's.
public final class AdminServer: Sendable {
    public let path: String
    private let channel: any Channel

    private init(path: String, channel: any Channel) {
        self.path = path
        self.channel = channel
    }

    /// Binds `path` (replacing a stale socket file left by a process that died) and serves
    /// requests with `handler`, which runs on an event loop and must not block for long.
    public static func start(path: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                             handler: @escaping @Sendable (AdminRequest) async -> AdminResponse) async throws(AdminSocketError) -> AdminServer {
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .childChannelInitializer { child in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.addHandler(AdminLineHandler(role: .server(handler)))
                    }
                }
                .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
        } catch {
            throw .cannotListen(path: path, reason: "\(error)")
        }
        chmod(path, 0o600)
        return AdminServer(path: path, channel: channel)
    }

    public func close() async {
        try? await channel.close()
        unlink(path)
    }
}

/// Sends admin requests to a running appliance.
public enum AdminClient {
    public static func send(_ request: AdminRequest, to path: String,
                            group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws(AdminSocketError) -> AdminResponse {
        let line: String
        let answer = group.next().makePromise(of: String.self)
        do {
            let channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(AdminLineHandler(role: .client(answer)))
                    }
                }
                .connect(unixDomainSocketPath: path).get()
            let bytes = try JSONEncoder().encode(request) + Data("\n".utf8)
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
            line = try await answer.futureResult.get()
            try? await channel.close()
        } catch {
            // Completes the promise if nothing did (a refused connection); a no-op otherwise.
            answer.fail(error)
            throw .cannotConnect(path: path, reason: "\(error)")
        }
        do {
            return try JSONDecoder().decode(AdminResponse.self, from: Data(line.utf8))
        } catch {
            throw .malformed("\(line.prefix(200)): \(error)")
        }
    }
}

/// Reads one newline-terminated JSON line. The server answers it and closes; the client
/// hands it to whoever waits for it.
final class AdminLineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Role {
        case server(@Sendable (AdminRequest) async -> AdminResponse)
        case client(EventLoopPromise<String>)
    }

    /// A request or response longer than this is not one.
    static let maximumLength = 1 << 20
    private let role: Role
    private var buffer: [UInt8] = []
    private var done = false

    init(role: Role) { self.role = role }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        var input = unwrapInboundIn(data)
        buffer.append(contentsOf: input.readBytes(length: input.readableBytes) ?? [])
        if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            done = true
            answer(String(decoding: buffer[..<end], as: UTF8.self), context: context)
        } else if buffer.count > Self.maximumLength {
            done = true
            answer(nil, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .client(let promise) = role, !done {
            promise.fail(AdminSocketError.malformed("the appliance closed the connection without an answer"))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .client(let promise) = role, !done {
            done = true
            promise.fail(error)
        }
        context.close(promise: nil)
    }

    private func answer(_ line: String?, context: ChannelHandlerContext) {
        switch role {
        case .client(let promise):
            if let line { promise.succeed(line) } else { promise.fail(AdminSocketError.malformed("response too long")) }
        case .server(let handler):
            // The answer is written once the request is carried out and journaled, off the
            // event loop: nothing here waits on the journal.
            let promise = context.eventLoop.makePromise(of: AdminResponse.self)
            if let line, let request = try? JSONDecoder().decode(AdminRequest.self, from: Data(line.utf8)) {
                // The person acting is the operating-system user who connected, whatever the
                // request says: the journal records who it was, not what they claimed.
                let peer = PeerUser.uid(of: context.channel)
                promise.completeWithTask {
                    let uid: UInt32
                    do {
                        uid = try await peer.get()
                    } catch {
                        return AdminResponse(ok: false, message: "refused: cannot tell which operating-system user is asking: \(error)")
                    }
                    var signed = request
                    signed.by = "os:" + PeerUser.name(of: uid)
                    // A second person's approval is the console's to give: a limit is never
                    // raised through the socket.
                    signed.approvedBy = nil
                    return await handler(signed)
                }
            } else {
                promise.succeed(AdminResponse(ok: false, message: "not an admin request: \((line ?? "(too long)").prefix(200))"))
            }
            let channel = context.channel
            promise.futureResult.whenSuccess { response in
                let bytes = ((try? JSONEncoder().encode(response)) ?? Data()) + Data("\n".utf8)
                channel.writeAndFlush(ByteBuffer(bytes: bytes)).whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}

/// The operating-system user at the other end of a Unix domain socket: the kernel's
/// credentials of the connecting process (`SO_PEERCRED`), which the client cannot forge.
enum PeerUser {
    /// `struct ucred` as Linux lays it out (pid_t, uid_t, gid_t).
    struct Credentials: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    /// The uid of the process that connected `channel`, read on its event loop.
    static func uid(of channel: any Channel) -> EventLoopFuture<UInt32> {
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(AdminSocketError.malformed("the admin connection is not a socket"))
        }
        let credentials: EventLoopFuture<Credentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return credentials.map(\.uid)
        #else
        return channel.eventLoop.makeFailedFuture(AdminSocketError.malformed("peer credentials are read on Linux only"))
        #endif
    }

    /// The user name of `uid` from the password database (`uid<n>` when it has none).
    static func name(of uid: UInt32) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let name: String? = buffer.withUnsafeMutableBufferPointer { bytes in
            guard getpwuid_r(uid, &entry, bytes.baseAddress!, bytes.count, &result) == 0, result != nil, let name = entry.pw_name else {
                return nil
            }
            return String(cString: name)
        }
        return name ?? "uid\(uid)"
    }
}
