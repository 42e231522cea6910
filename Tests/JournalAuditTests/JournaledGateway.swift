import AdminSocket
import FIXCodec
import FIXJournal
import Foundation
import Gateway
import Instruments
import RiskSidecar
import SimulatedVenue
import Testing
import TestSupport

/// A real order gateway (the standard listing of 25 November 2026, the simulated venue with a
/// fixed seed, the risk sidecar) whose every message in and out and every decision is written
/// to a real SQLite journal as the appliance writes them: the OMS's message, then the
/// gateway's events, then its answers. Time is the test's, stepped a millisecond a message.
final class JournaledGateway {
    static let limits = """
        firm:
          maxOrderSize: 500
          marketProtection: {ticks: 100}
        accounts:
          DESK1:
            maxOrderSize: 200
        """

    let directory = TemporaryDirectory("journal-audit")
    let journal: Journal
    let gateway: OrderGateway
    private(set) var now = TestClock.start.nanosecondsSinceEpoch
    private var sessions: [String: JournalSession] = [:]
    private var sequences: [String: (inbound: Int, outbound: Int)] = [:]

    var path: String { journal.path }

    init() throws {
        let limitsPath = directory.path("risk-limits.yaml")
        try Self.limits.write(toFile: limitsPath, atomically: true, encoding: .utf8)
        let reference = InstrumentReference.standard
        let catalog = reference.catalog(on: CalendarDate(year: 2026, month: 11, day: 25)!)
        let risk = try RiskSidecar(limitsPath: limitsPath, contracts: reference.products.map(\.spec))
        let venue = try SimulatedVenue(catalog: catalog, seed: 7, startTime: now)
        gateway = OrderGateway(catalog: catalog, venue: venue, risk: risk,
                               settings: GatewaySettings(defaultAccounts: ["OMS1": "DESK1", "OMS2": "DESK2"]), now: now)
        journal = try Journal(path: directory.path("gateway.sqlite"))
    }

    deinit {
        journal.close()
        directory.remove()
    }

    /// `35=<msgType>` from `session` with `fields` (`|`-separated, ending in `|`), journaled
    /// with the gateway's decisions and answers; returns the answers.
    @discardableResult
    func send(_ msgType: String, _ fields: String, from session: String = "OMS1") async throws -> [FIXMessage] {
        now += 1_000_000
        let journalSession = try self.session(session)
        let sequence = sequences[session, default: (1, 1)]
        sequences[session] = (sequence.inbound + 1, sequence.outbound)
        let bytes = Counterparty(senderCompID: session).message(msgType, seq: sequence.inbound,
                                                                at: FIXTimestamp(nanosecondsSinceEpoch: now), fields)
        try await journal.write([.message(JournalRecord(session: journalSession, direction: .inbound, sequenceNumber: sequence.inbound,
                                                        msgType: msgType, time: now, bytes: bytes))])
        return try await deliver(gateway.handle(try FIXMessage(parsing: bytes), from: session, now: now) ?? [])
    }

    /// Engages a kill switch as the admin socket does: the gateway cancels, then the admin
    /// record (who, why, the answer) is journaled.
    @discardableResult
    func engageKillSwitch(_ scope: String, by person: String, reason: String) async throws -> [FIXMessage] {
        now += 1_000_000
        let level = try #require(KillSwitchLevel(scope: scope))
        let reports = try await deliver(gateway.engageKillSwitch(level, by: person, reason: reason, now: now))
        let request = AdminRequest(command: .engageKillSwitch, scope: scope, by: person, reason: reason)
        now += 1_000_000
        let time = now
        let answer = await AdminResponse(ok: true, message: "kill switch engaged at \(level) by \(person)")
            .recorded(for: request) { [journal] json in try await journal.write([.event(kind: "admin", time: time, json: json)]) }
        #expect(answer.ok, "\(answer.message)")
        return reports
    }

    /// Journals the gateway's decisions, then `outbound` as sent; returns it parsed.
    private func deliver(_ outbound: [GatewayOutbound]) async throws -> [FIXMessage] {
        try await journal.write(gateway.drainAudit().map { .event(kind: $0.kind, time: $0.time, json: $0.json) })
        var sent: [FIXMessage] = []
        for out in outbound {
            let journalSession = try session(out.session)
            let sequence = sequences[out.session, default: (1, 1)]
            sequences[out.session] = (sequence.inbound, sequence.outbound + 1)
            var builder = FIXMessageBuilder(msgType: out.msgType)
            builder.header.append(FIXTag.msgSeqNum, sequence.outbound)
            builder.header.append(FIXTag.senderCompID, "WELLHEAD")
            builder.header.append(FIXTag.sendingTime, FIXTimestamp(nanosecondsSinceEpoch: now))
            builder.header.append(FIXTag.targetCompID, out.session)
            builder.body = out.body
            let bytes = builder.encode()
            try await journal.write([.message(JournalRecord(session: journalSession, direction: .outbound,
                                                            sequenceNumber: sequence.outbound, msgType: out.msgType, time: now,
                                                            bytes: bytes))])
            sent.append(try FIXMessage(parsing: bytes))
        }
        return sent
    }

    private func session(_ counterparty: String) throws -> JournalSession {
        if let known = sessions[counterparty] { return known }
        let (session, _) = try journal.session(named: "FIX.4.4:WELLHEAD->\(counterparty)", now: now)
        sessions[counterparty] = session
        return session
    }
}

/// Reads RFC 4180 CSV back into records of fields, for checking what the export wrote.
func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text)[...]
    while let character = characters.popFirst() {
        if quoted {
            if character == "\"" {
                if characters.first == "\"" {
                    field.append("\"")
                    characters.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.append(character)
            }
        } else if character == "\"" {
            quoted = true
        } else if character == "," {
            record.append(field)
            field = ""
        } else if character == "\r\n" || character == "\n" {
            record.append(field)
            records.append(record)
            record = []
            field = ""
        } else {
            field.append(character)
        }
    }
    return records
}
