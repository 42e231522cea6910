import Foundation
import Testing
import TestSupport

/// Wellhead against QuickFIX's C++ engine, each side a separate process on loopback.
@Suite(.serialized) struct QuickFIXInteropTests {
    @Test func quickFIXInitiatorThousandsOfMessagesAndAForcedGap() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        let server = try BackgroundProcess(WellheadProcess.executable.path,
                                           ["serve", "--config", try WellheadProfiles.echoAcceptor(in: directory, port: port)],
                                           log: directory.path("wellhead.log"))
        #expect(server.waitForOutput("accepting connections"), "\(server.output)")
        let settings = try QuickFIXPeer.settings(in: directory, connectionType: "initiator", sender: "OMS1", target: "WELLHEAD", port: port)
        // 3,000 orders; after the 1,000th QuickFIX skips three sequence numbers.
        let peer = try BackgroundProcess(try QuickFIXPeer.executable(), ["initiator", settings, "3000", "0", "1000"],
                                         log: directory.path("peer.log"))
        let status = peer.wait(timeout: 120)
        #expect(status == 0, "peer: \(peer.output)\nwellhead: \(server.output.suffix(3000))")
        #expect(peer.output.contains("echoed 3000 of 3000"))
        #expect(server.output.contains("expected=1002") && server.output.contains("received=1005") && server.output.contains("sequence gap; resend requested"), "\(server.output.suffix(2000))")
        server.signal(SIGTERM)
        #expect(server.wait(timeout: 10) == 0)
    }

    @Test func wellheadInitiatorAgainstAQuickFIXAcceptor() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        let settings = try QuickFIXPeer.settings(in: directory, connectionType: "acceptor", sender: "VENUE", target: "WELLHEAD", port: port)
        let peer = try BackgroundProcess(try QuickFIXPeer.executable(), ["acceptor", settings, "3000"], log: directory.path("peer.log"))
        #expect(peer.waitForOutput("listening"), "\(peer.output)")
        let client = try BackgroundProcess(
            WellheadProcess.executable.path,
            ["serve", "--config", try WellheadProfiles.echoInitiator(in: directory, port: port, sender: "WELLHEAD", target: "VENUE")],
            log: directory.path("wellhead.log"))
        let status = peer.wait(timeout: 120)
        #expect(status == 0, "peer: \(peer.output)\nwellhead: \(client.output.suffix(3000))")
        #expect(peer.output.contains("echoed 3000 of 3000"))
        client.signal(SIGTERM)
        #expect(client.wait(timeout: 10) == 0, "\(client.output.suffix(2000))")
    }

    @Test func sigkillMidStreamAndRestartResumesWithoutResettingSequenceNumbers() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        let config = try WellheadProfiles.echoAcceptor(in: directory, port: port)
        let first = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("first.log"))
        #expect(first.waitForOutput("accepting connections"))
        let settings = try QuickFIXPeer.settings(in: directory, connectionType: "initiator", sender: "OMS1", target: "WELLHEAD", port: port)
        // 2,000 orders, one every 500 µs: Wellhead is killed part-way through, once the first
        // hundred have come back (a second or more of orders still to send).
        let peer = try BackgroundProcess(try QuickFIXPeer.executable(), ["initiator", settings, "2000", "500"], log: directory.path("peer.log"))
        #expect(first.waitForOutput("logged on"))
        #expect(peer.waitForOutput("progress 100", timeout: 60), "peer: \(peer.output)\nwellhead: \(first.output.suffix(2000))")
        first.signal(SIGKILL)
        #expect(!peer.output.contains("progress 2000"), "killed mid-stream: \(peer.output)")
        _ = first.wait(timeout: 5)
        let second = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("second.log"))
        let status = peer.wait(timeout: 120)
        #expect(status == 0, "peer: \(peer.output)\nsecond: \(second.output.suffix(3000))")
        #expect(peer.output.contains("echoed 2000 of 2000"))
        // The Logon after the restart continues the numbering: it is not 1.
        let summary = peer.output
        let lastLogon = summary.components(separatedBy: "last-logon-seq ").last.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        #expect(lastLogon > 1, "\(summary)")
        #expect(summary.contains("logons 2") || summary.contains("logons 3"), "\(summary)")
        second.signal(SIGTERM)
        #expect(second.wait(timeout: 10) == 0)
    }
}
