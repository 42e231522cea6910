import Foundation

/// A `wellhead serve` acceptor profile: the keys every benchmark's Wellhead shares (one
/// loopback acceptor, validation on, SendingTime within two minutes, no resets, the journal
/// in the server's folder), plus what its `Application` needs.
struct WellheadProfile {
    /// The profile's file name in the server's folder.
    var fileName: String
    /// `Application=` (`echo`, `gateway`).
    var application: String
    /// The engine's SenderCompID and the one session's TargetCompID (the client's).
    var engineCompID: String
    var clientCompID: String
    /// Lines written right after `Application=` in [DEFAULT] (the gateway's limits, listing, seed).
    var applicationKeys: [String] = []
    /// Lines written after `TargetCompID=` in [SESSION].
    var sessionKeys: [String] = []
    /// More sessions, each the lines of its [SESSION] (a gateway's route to a venue).
    var moreSessions: [[String]] = []

    /// `JournalFill` of every benchmark's Wellhead: `idle`, the appliance's default (the
    /// journal's filling and checkpointing threads at SCHED_IDLE), unless ECHO_BENCH_JOURNAL_FILL
    /// says `background` (nice 10).
    static let journalFill = ProcessInfo.processInfo.environment["ECHO_BENCH_JOURNAL_FILL"] ?? "idle"

    /// Writes the profile for an acceptor on `port` into `directory` and returns its path.
    func write(in directory: String, port: Int) throws -> String {
        let applicationLines = applicationKeys.map { $0 + "\n" }.joined()
        let sessionLines = sessionKeys.map { $0 + "\n" }.joined()
        let more = moreSessions.map { "\n[SESSION]\n" + $0.map { $0 + "\n" }.joined() }.joined()
        let text = """
            [DEFAULT]
            ConnectionType=acceptor
            BeginString=FIX.4.4
            SenderCompID=\(engineCompID)
            SocketAcceptHost=127.0.0.1
            SocketAcceptPort=\(port)
            SocketReuseAddress=Y
            SocketNodelay=Y
            DataDictionary=\(EchoPaths.dictionary)
            JournalPath=\(directory)/journal.sqlite
            JournalFill=\(Self.journalFill)
            Application=\(application)
            \(applicationLines)CheckLatency=Y
            MaxLatency=120
            ValidateFieldsOutOfOrder=Y
            ValidateFieldsHaveValues=Y
            ValidateUserDefinedFields=Y
            AllowUnknownMsgFields=N
            ResetOnLogon=N
            ResetOnLogout=N
            ResetOnDisconnect=N

            [SESSION]
            TargetCompID=\(clientCompID)
            \(sessionLines)\(more)
            """
        let path = directory + "/" + fileName
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

extension ServerProcess {
    /// Starts `wellhead serve` (`executable`, or ``EchoPaths/wellhead`` when nil) on a free
    /// loopback port in a fresh temporary folder named `folderName`, with the profile
    /// `profile(folder)` returns (it may write more files there first), and waits until it accepts.
    static func wellhead(name: String, folderName: String, executable: String? = nil,
                         profile: (_ directory: String) throws -> WellheadProfile) throws -> (server: ServerProcess, port: Int) {
        let port = freeLoopbackPort()
        let directory = try makeFolder(folderName)
        let server = try ServerProcess(name: name, executable: try executable.map(baselineExecutable) ?? wellheadExecutable(),
                                       arguments: ["serve", "--config", try profile(directory).write(in: directory, port: port)],
                                       directory: directory, readyText: "accepting connections")
        return (server, port)
    }

    /// An empty folder `name` in the temporary directory (emptied if a crashed run left it).
    static func makeFolder(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + name
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Stops the server and removes its folder (journal, store, profile, log).
    func stopAndRemoveFolder() {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a benchmark target's `setUp`; if it throws, takes the server's output (the last
    /// `lastCharacters` of it when given) while it is still there, runs `tearDown` and throws
    /// "<failure>: <error>" followed by that output, so a failed setup says what the server saw.
    static func settingUp(failure: String, server: () -> ServerProcess?, lastCharacters: Int? = nil,
                          tearDown: () -> Void, _ setUp: () throws -> Void) throws {
        do {
            try setUp()
        } catch {
            let log = server().map { server in
                let text = server.output
                return "\n\(server.name) output:\n\(lastCharacters.map { String(text.suffix($0)) } ?? text)"
            } ?? ""
            tearDown()
            throw EchoFailure("\(failure): \(error)\(log)")
        }
    }

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

    /// `path` when it is an executable (the baseline build WELLHEAD_BASELINE_BINARY names).
    private static func baselineExecutable(_ path: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw EchoFailure("""
                no wellhead executable at \(path) (WELLHEAD_BASELINE_BINARY): build the baseline commit first, e.g.
                    git worktree add ../wellhead-baseline <commit> && cd ../wellhead-baseline && swift build -c release --product wellhead
                """)
        }
        return path
    }
}
