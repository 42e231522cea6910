import Foundation
import Testing
import TestSupport

/// `wellhead serve` running a generated profile in its own process, with QuickFIX's C++
/// engine (`Tests/Interop/qf_oms.cpp`) logging on to it as one counterparty to run scripts.
struct ServedProfile {
    let directory = TemporaryDirectory()
    let port = freePort()
    let server: BackgroundProcess
    /// The front contract month listed today, for orders and subscriptions.
    let symbol: String
    let config: String
    /// QuickFIX's SenderCompID and TargetCompID.
    let counterparty: String
    let ourCompID: String

    /// - Parameter profile: writes the settings file for a port into a folder, returning its path.
    init(counterparty: String, ourCompID: String,
         profile: (TemporaryDirectory, Int) throws -> String) throws {
        self.counterparty = counterparty
        self.ourCompID = ourCompID
        config = try profile(directory, port)
        server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config],
                                       log: directory.path("serve.log"))
        symbol = ApplianceTests.frontMonth(on: Date()) ?? "CLF7"
    }

    /// Runs `script` through QuickFIX; returns its exit status and output.
    func run(_ script: String, name: String = "oms") throws -> (status: Int32?, output: String) {
        let peer = try launch(script, name: name)
        let status = peer.wait(timeout: 60)
        return (status, peer.output)
    }

    /// Starts QuickFIX on `script` and returns at once, for tests that act while it runs.
    func launch(_ script: String, name: String = "oms") throws -> BackgroundProcess {
        let scriptPath = directory.path("\(name).txt")
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let settings = try QuickFIXPeer.settings(in: directory, connectionType: "initiator", sender: counterparty,
                                                 target: ourCompID, port: port)
        return try BackgroundProcess(try QuickFIXPeer.executable("qf_oms"), [settings, scriptPath],
                                     log: directory.path("\(name).log"))
    }

    /// A script line at which QuickFIX stops until the test, seeing it there, has done what
    /// `at(_:of:_:)` is given for `name`.
    func pause(_ name: String) -> String {
        "AWAIT 120 \(goFile(name))"
    }

    /// Waits until `oms`, running a script (``launch(_:name:)``), stops at ``pause(_:)`` for
    /// `name`; runs `body` (the test acts there, and waits for what it acted on to take
    /// effect); then lets the script go on.
    func at(_ name: String, of oms: BackgroundProcess, sourceLocation: SourceLocation = #_sourceLocation,
            _ body: () throws -> Void) rethrows {
        defer { _ = FileManager.default.createFile(atPath: goFile(name), contents: nil) }
        let reached = oms.waitForOutput("AWAITING \(goFile(name))", timeout: 90)
        #expect(reached, "QuickFIX did not reach \(name): \(oms.output)", sourceLocation: sourceLocation)
        if reached { try body() }
    }

    private func goFile(_ name: String) -> String { directory.path("\(name).go") }

    /// A script line running `wellhead <arguments> --config <this profile>`.
    func command(_ arguments: String) -> String {
        "RUN \(WellheadProcess.executable.path) \(arguments) --config \(config) > /dev/null"
    }

    func stop() {
        server.signal(SIGTERM)
        _ = server.wait(timeout: 10)
        directory.remove()
    }
}
