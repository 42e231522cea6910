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
    private var server: ServerProcess?
    private var loopback: LoopbackEchoServer?
    private var client: EchoClient?

    init(_ kind: Kind) { self.kind = kind }

    /// The connected, logged-on client, which has already seen one echo checked field by field.
    func connectedClient() throws -> EchoClient {
        guard let client else { throw EchoFailure("\(kind.label): not started (the benchmark setup did not run)") }
        return client
    }

    /// Starts the server, connects, logs on and checks that an order really comes back.
    func start() throws {
        try ServerProcess.settingUp(failure: "\(kind.label) echo check failed", server: { server }, tearDown: stop) {
            switch kind {
            case .loopback:
                let server = try LoopbackEchoServer()
                loopback = server
                client = try EchoClient(port: server.port, peer: .byteEcho)
            case .wellhead:
                let (server, port) = try ServerProcess.wellhead(name: "wellhead", folderName: Self.folderName("wellhead")) { _ in
                    // sessions/echo-acceptor.cfg's rules, journal in the server's folder.
                    WellheadProfile(fileName: "echo-acceptor.cfg", application: "echo",
                                    engineCompID: EchoClient.targetCompID, clientCompID: EchoClient.senderCompID)
                }
                self.server = server
                client = try EchoClient(port: port, peer: .fixEngine)
            case .quickfix:
                let port = freeLoopbackPort()
                let directory = try ServerProcess.makeFolder(Self.folderName("quickfix"))
                var arguments = ["--port", "\(port)", "--dictionary", EchoPaths.dictionary, "--store", directory + "/store",
                                 "--acceptor", EchoSettings.quickfixAcceptorKind, "--exit-on-stdin-eof"]
                if EchoSettings.quickfixFileLog { arguments += ["--log", directory + "/log"] }
                server = try ServerProcess(name: "QuickFIX echo-acceptor", executable: try Self.quickfixExecutable(),
                                           arguments: arguments, directory: directory, readyText: "ready port=")
                client = try EchoClient(port: port, peer: .fixEngine)
            }
            if kind != .loopback { try client?.logOn() }
            try client?.verifyEcho()
        }
    }

    /// Logs out, stops the server and removes its folder (journal, store, log).
    func stop() {
        client?.logOut()
        client = nil
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
