import Foundation
import Testing
import TestSupport

/// Every pairing of the reset settings (none, ResetOnLogon, ResetOnLogout, ResetOnDisconnect)
/// on Wellhead and on QuickFIX, Wellhead as acceptor and as initiator, with Wellhead killed
/// (SIGKILL) mid-stream and started again: every order echoed, none twice, and no Logout from
/// Wellhead. QuickFIX (`Tests/Interop/qf_peer.cpp`) sends again, with PossResend=Y, what was
/// in flight when a reset made it unrecoverable by ResendRequest, as an OMS does.
@Suite(.serialized) struct ResetPairingTests {
    enum ResetSetting: String, CaseIterable, Sendable, CustomStringConvertible {
        case none, onLogon = "ResetOnLogon", onLogout = "ResetOnLogout", onDisconnect = "ResetOnDisconnect"

        /// The settings lines, with QuickFIX's keys (Wellhead's are the same).
        var lines: String {
            ["ResetOnLogon", "ResetOnLogout", "ResetOnDisconnect"]
                .map { "\($0)=\($0 == rawValue ? "Y" : "N")" }.joined(separator: "\n")
        }

        var description: String { rawValue }
    }

    struct Pairing: Sendable, CustomStringConvertible {
        let wellheadAccepts: Bool
        let wellhead: ResetSetting
        let quickFIX: ResetSetting
        var description: String {
            "Wellhead \(wellheadAccepts ? "acceptor" : "initiator") \(wellhead), QuickFIX \(quickFIX)"
        }
    }

    static let pairings: [Pairing] = [true, false].flatMap { accepts in
        ResetSetting.allCases.flatMap { ours in ResetSetting.allCases.map { Pairing(wellheadAccepts: accepts, wellhead: ours, quickFIX: $0) } }
    }

    static let orders = 600

    /// QuickFIX's own account of the session (its event log), for a failure's message: what it
    /// reset and when, beside Wellhead's.
    static func quickFIXEvents(in directory: TemporaryDirectory) -> String {
        let events = (try? FileManager.default.contentsOfDirectory(atPath: directory.path("qf-log")))?
            .filter { $0.hasSuffix(".event.current.log") && !$0.hasPrefix("GLOBAL") } ?? []
        return events.map { name in
            let text = (try? String(contentsOfFile: directory.path("qf-log/\(name)"), encoding: .utf8)) ?? "(unreadable)"
            return "QuickFIX \(name):\n\(text.suffix(3000))"
        }.joined(separator: "\n")
    }

    @Test(arguments: pairings)
    func survivesASigkillRestart(_ pairing: Pairing) throws {
        let directory = TemporaryDirectory("pairing")
        defer { directory.remove() }
        let port = freePort()
        let wellheadConfig: String
        let peer: BackgroundProcess
        var first: BackgroundProcess
        if pairing.wellheadAccepts {
            wellheadConfig = try WellheadProfiles.echoAcceptor(in: directory, port: port, extra: pairing.wellhead.lines)
            first = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", wellheadConfig],
                                          log: directory.path("first.log"))
            #expect(first.waitForOutput("accepting connections"), "\(first.output)")
            let settings = try QuickFIXPeer.settings(in: directory, connectionType: "initiator", sender: "OMS1", target: "WELLHEAD",
                                                     port: port, extra: pairing.quickFIX.lines)
            peer = try BackgroundProcess(try QuickFIXPeer.executable(), ["initiator", settings, "\(Self.orders)", "1000"],
                                         log: directory.path("peer.log"))
        } else {
            let settings = try QuickFIXPeer.settings(in: directory, connectionType: "acceptor", sender: "VENUE", target: "WELLHEAD",
                                                     port: port, extra: pairing.quickFIX.lines)
            peer = try BackgroundProcess(try QuickFIXPeer.executable(), ["acceptor", settings, "\(Self.orders)", "1000"],
                                         log: directory.path("peer.log"))
            wellheadConfig = try WellheadProfiles.echoInitiator(in: directory, port: port, sender: "WELLHEAD", target: "VENUE",
                                                                extra: pairing.wellhead.lines)
            first = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", wellheadConfig],
                                          log: directory.path("first.log"))
        }
        // Killed once a hundred orders have come back, with the rest in flight or still to send.
        #expect(peer.waitForOutput("progress 100", timeout: 60), "\(pairing)\npeer: \(peer.output)\nwellhead: \(first.output.suffix(2000))")
        first.signal(SIGKILL)
        _ = first.wait(timeout: 10)
        let second = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", wellheadConfig],
                                           log: directory.path("second.log"))
        let status = peer.wait(timeout: 90)
        let summary = peer.output
        print("\(pairing): \(summary.split(separator: "\n").last { $0.hasPrefix("echoed") } ?? "no summary")")
        #expect(status == 0, "\(pairing)\npeer: \(summary.suffix(1500))\nsecond: \(second.output.prefix(3000))\n\(Self.quickFIXEvents(in: directory))")
        #expect(summary.contains("echoed \(Self.orders) of \(Self.orders)"), "\(pairing): \(summary.suffix(600))")
        #expect(summary.contains("duplicates 0;"), "\(pairing): \(summary.suffix(600))")
        #expect(summary.contains("unsolicited-logouts 0;"), "\(pairing): \(summary.suffix(600))")
        second.signal(SIGTERM)
        #expect(second.wait(timeout: 10) == 0, "\(pairing): \(second.output.suffix(2000))")
        if let keep = ProcessInfo.processInfo.environment["WELLHEAD_KEEP_PAIRING_LOGS"] {
            let target = "\(keep)/\(pairing)".replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: ",", with: "")
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? FileManager.default.copyItem(atPath: directory.url.path, toPath: target)
        }
    }
}
