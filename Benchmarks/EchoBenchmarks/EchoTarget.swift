import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One echo server and the client connected to it, for one benchmark: started by the
/// benchmark's setup (after registration, so listing the benchmarks starts nothing), stopped
/// by its teardown. ordo-one/benchmark runs every benchmark in a process of its own, so each
/// benchmark gets a fresh server with an empty journal or store.
final class EchoTarget: @unchecked Sendable {
    // @unchecked: setup, the iterations and teardown run one after another, never together.
    enum Kind: Sendable {
        case wellhead, quickfix, loopback

        var label: String {
            switch self {
            case .wellhead: "Wellhead"
            case .quickfix: "QuickFIX C++"
            case .loopback: "bare loopback"
            }
        }
    }

    let kind: Kind
    /// Sessions served at once, each with a client of its own (OMS1, OMS2, …).
    let sessions: Int
    private var server: ServerProcess?
    private var loopback: LoopbackEchoServer?
    private var clients: [EchoClient] = []

    init(_ kind: Kind, sessions: Int = 1) {
        self.kind = kind
        self.sessions = sessions
    }

    /// The connected, logged-on client, which has already seen one echo checked field by field.
    func connectedClient() throws -> EchoClient {
        guard let client = clients.first else { throw EchoFailure("\(kind.label): not started (the benchmark setup did not run)") }
        return client
    }

    /// Every session's client, each logged on and checked.
    func connectedClients() throws -> [EchoClient] {
        guard clients.count == sessions else { throw EchoFailure("\(kind.label): not started (the benchmark setup did not run)") }
        return clients
    }

    /// The client CompIDs, one per session.
    private var clientCompIDs: [String] { (1...sessions).map { "OMS\($0)" } }

    /// Starts the server, connects, logs on and checks that an order really comes back.
    func start() throws {
        try ServerProcess.settingUp(failure: "\(kind.label) echo check failed", server: { server }, tearDown: stop) {
            switch kind {
            case .loopback:
                let server = try LoopbackEchoServer()
                loopback = server
                clients = try clientCompIDs.map { try EchoClient(port: server.port, peer: .byteEcho, senderCompID: $0) }
            case .wellhead:
                let compIDs = clientCompIDs
                let (server, port) = try ServerProcess.wellhead(name: "wellhead", folderName: Self.folderName("wellhead")) { _ in
                    // sessions/echo-acceptor.cfg's rules, journal in the server's folder.
                    WellheadProfile(fileName: "echo-acceptor.cfg", application: "echo",
                                    engineCompID: EchoClient.targetCompID, clientCompID: compIDs[0],
                                    moreSessions: compIDs.dropFirst().map { ["TargetCompID=\($0)"] })
                }
                self.server = server
                clients = try compIDs.map { try EchoClient(port: port, peer: .fixEngine, senderCompID: $0) }
            case .quickfix:
                let port = freeLoopbackPort()
                let directory = try ServerProcess.makeFolder(Self.folderName("quickfix"))
                var arguments = ["--port", "\(port)", "--dictionary", EchoPaths.dictionary, "--store", directory + "/store",
                                 "--target", clientCompIDs.joined(separator: ","),
                                 "--acceptor", EchoSettings.quickfixAcceptorKind, "--exit-on-stdin-eof"]
                if EchoSettings.quickfixFileLog { arguments += ["--log", directory + "/log"] }
                server = try ServerProcess(name: "QuickFIX echo-acceptor", executable: try Self.quickfixExecutable(),
                                           arguments: arguments, directory: directory, readyText: "ready port=")
                clients = try clientCompIDs.map { try EchoClient(port: port, peer: .fixEngine, senderCompID: $0) }
            }
            for client in clients {
                if kind != .loopback { try client.logOn() }
                try client.verifyEcho()
            }
        }
    }

    /// Logs out, stops the server and removes its folder (journal, store, log).
    func stop() {
        for client in clients { client.logOut() }
        clients = []
        loopback?.stop()
        loopback = nil
        server?.stopAndRemoveFolder()
        server = nil
    }

    // MARK: - Servers

    private static func quickfixExecutable() throws -> String {
        let path = EchoPaths.quickfixAcceptor
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw EchoFailure("""
                no QuickFIX echo acceptor at \(path): build it first with
                    \(EchoPaths.repositoryRoot)/Benchmarks/quickfix-peer/build-echo.sh
                (needs libquickfix-dev; or set QUICKFIX_ECHO_ACCEPTOR)
                """)
        }
        return path
    }

    /// The server's temporary folder, one per benchmark process and server.
    private static func folderName(_ name: String) -> String {
        "wellhead-echo-bench-\(getpid())-\(name)"
    }
}
