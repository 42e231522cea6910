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
        do {
            switch kind {
            case .loopback:
                let server = try LoopbackEchoServer()
                loopback = server
                client = try EchoClient(port: server.port, peer: .byteEcho)
            case .wellhead:
                let port = freeLoopbackPort()
                let directory = try Self.makeDirectory("wellhead")
                server = try ServerProcess(name: "wellhead", executable: try Self.wellheadExecutable(),
                                           arguments: ["serve", "--config", try Self.writeWellheadProfile(in: directory, port: port)],
                                           directory: directory, readyText: "accepting on")
                client = try EchoClient(port: port, peer: .fixEngine)
            case .quickfix:
                let port = freeLoopbackPort()
                let directory = try Self.makeDirectory("quickfix")
                var arguments = ["--port", "\(port)", "--dictionary", EchoPaths.dictionary, "--store", directory + "/store",
                                 "--acceptor", EchoSettings.quickfixAcceptorKind, "--exit-on-stdin-eof"]
                if EchoSettings.quickfixFileLog { arguments += ["--log", directory + "/log"] }
                server = try ServerProcess(name: "QuickFIX echo-acceptor", executable: try Self.quickfixExecutable(),
                                           arguments: arguments, directory: directory, readyText: "ready port=")
                client = try EchoClient(port: port, peer: .fixEngine)
            }
            if kind != .loopback { try client?.logOn() }
            try client?.verifyEcho()
        } catch {
            let log = server.map { "\n\($0.name) output:\n\($0.output)" } ?? ""
            stop()
            throw EchoFailure("\(kind.label) echo check failed: \(error)\(log)")
        }
    }

    /// Logs out, stops the server and removes its folder (journal, store, log).
    func stop() {
        client?.logOut()
        client = nil
        loopback?.stop()
        loopback = nil
        if let server {
            server.stop()
            try? FileManager.default.removeItem(atPath: server.directory)
        }
        server = nil
    }

    // MARK: - Servers

    private static func wellheadExecutable() throws -> String {
        let path = EchoPaths.wellhead
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw EchoFailure("""
                no wellhead executable at \(path): build it first with
                    cd \(EchoPaths.repositoryRoot) && swift build -c release --product wellhead
                (or set WELLHEAD_BINARY to a wellhead executable)
                """)
        }
        return path
    }

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

    private static func makeDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "wellhead-echo-bench-\(getpid())-\(name)"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The echo acceptor profile (sessions/echo-acceptor.cfg's rules: validation on,
    /// SendingTime within two minutes, no resets) on `port`, journal in `directory`.
    private static func writeWellheadProfile(in directory: String, port: Int) throws -> String {
        let text = """
            [DEFAULT]
            ConnectionType=acceptor
            BeginString=FIX.4.4
            SenderCompID=\(EchoClient.targetCompID)
            SocketAcceptHost=127.0.0.1
            SocketAcceptPort=\(port)
            SocketReuseAddress=Y
            SocketNodelay=Y
            DataDictionary=\(EchoPaths.dictionary)
            JournalPath=\(directory)/journal.sqlite
            Application=echo
            CheckLatency=Y
            MaxLatency=120
            ValidateFieldsOutOfOrder=Y
            ValidateFieldsHaveValues=Y
            ValidateUserDefinedFields=Y
            AllowUnknownMsgFields=N
            ResetOnLogon=N
            ResetOnLogout=N
            ResetOnDisconnect=N

            [SESSION]
            TargetCompID=\(EchoClient.senderCompID)

            """
        let path = directory + "/echo-acceptor.cfg"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
