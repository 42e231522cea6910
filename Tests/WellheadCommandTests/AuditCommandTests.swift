import FIXJournal
import Foundation
import Testing
import TestSupport

/// `wellhead audit` run as compliance runs it, against the journal of a real appliance
/// (`wellhead serve` with QuickFIX's C++ engine as the OMS), while it runs.
@Suite(.serialized) struct AuditCommandTests {
    /// `wellhead audit <arguments>`.
    static func audit(_ arguments: [String]) throws -> WellheadProcess.Result {
        try WellheadProcess.run(["audit"] + arguments)
    }

    /// ISO-8601 UTC for `date`, as an officer types it.
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// `wellhead audit order --clordid <clOrdID>` once its output holds every one of `texts`:
    /// SQLite is filled a few milliseconds behind what is sent, so it is asked again until
    /// then, with a deadline (the last answer is returned either way, for the failure).
    static func lifecycle(_ clOrdID: String, _ config: [String], holding texts: [String],
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        var found = try audit(["order", "--clordid", clOrdID] + config)
        let complete = try eventually(timeout: 30) {
            found = try audit(["order", "--clordid", clOrdID] + config)
            return found.status == 0 && texts.allSatisfy(found.standardOutput.contains)
        }
        #expect(complete, "\(found.standardOutput)\n\(found.standardError)", sourceLocation: sourceLocation)
        return found.standardOutput
    }

    @Test func aRealAppliancesOrdersAreFoundWholeByAnyClOrdIDAndByOrderID() throws {
        let appliance = try QuickFIXOMSTests.appliance()
        defer { appliance.stop() }
        #expect(appliance.server.waitForOutput("accepting connections"), "\(appliance.server.output)")
        let started = Date().addingTimeInterval(-60)
        let s = appliance.symbol
        let (status, output) = try appliance.run("""
            D REST1 \(s) 1 5 2 1.00 1
            EXPECT REST1 0 10
            G REST2 REST1 \(s) 1 8 2 1.50 1
            EXPECT REST2 0 10
            F REST3 REST2 \(s) 1
            EXPECT REST3 4 10
            D BIG1 \(s) 1 150 2 1.00 1
            EXPECT BIG1 8 10
            D BUY1 \(s) 1 2 1 - 3
            EXPECT BUY1 2 10
            """)
        #expect(status == 0, "\(output)\n\(appliance.server.output.suffix(2000))")
        let config = ["--config", appliance.config]

        // The last order's fill first: once it is in SQLite, so is everything sent before it.
        let fill = try Self.lifecycle("BUY1", config, holding: ["OrdStatus(39)=2 (FILLED)"])
        #expect(fill.contains("  fill  event "), "a fill, as the gateway journaled it: \(fill)")

        let lifecycle = try Self.lifecycle("REST1", config, holding: ["OrdStatus(39)=4 (CANCELED)"])
        #expect(lifecycle.contains("ClOrdIDs: REST1 -> REST2 -> REST3"), "\(lifecycle)")
        #expect(lifecycle.contains("ClOrdID(11)=REST1"), "the OMS's messages decoded with the dictionary's names")
        #expect(lifecycle.contains("Side(54)=1 (BUY)"))
        #expect(lifecycle.contains("OrigClOrdID(41)=REST2"), "the cancel, naming only the replace before it")
        #expect(lifecycle.contains("risk.decision"))
        let orderID = try #require(lifecycle.split(separator: "\n").first?.split(separator: " ").dropFirst().first.map(String.init))
        #expect(orderID.hasPrefix("WH"), "\(lifecycle)")
        for clOrdID in ["REST2", "REST3"] {
            let found = try Self.audit(["order", "--clordid", clOrdID] + config)
            #expect(found.status == 0 && found.standardOutput == lifecycle, "\(clOrdID): \(found.standardOutput)\(found.standardError)")
        }
        let byOrderID = try Self.audit(["order", "--orderid", orderID] + config)
        #expect(byOrderID.status == 0 && byOrderID.standardOutput == lifecycle, "\(byOrderID.standardOutput)\(byOrderID.standardError)")

        // A risk reject, with the check that refused it and the limit.
        let reject = try Self.audit(["order", "--clordid", "BIG1"] + config)
        #expect(reject.status == 0, "\(reject.standardError)")
        #expect(reject.standardOutput.contains("REJECTED by check orderSize"), "\(reject.standardOutput)")
        #expect(reject.standardOutput.contains("limit 100"), "\(reject.standardOutput)")

        // A ClOrdID no order had: said so, non-zero exit.
        let missing = try Self.audit(["order", "--clordid", "NOPE"] + config)
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("no order with ClOrdID NOPE"), "\(missing.standardError)")

        // The time range as CSV, the account's rows.
        let export = try Self.audit(["export", "--from", Self.iso(started), "--to", Self.iso(Date().addingTimeInterval(60)),
                                     "--account", "DESK1", "--csv"] + config)
        #expect(export.status == 0, "\(export.standardError)")
        let lines = export.standardOutput.components(separatedBy: "\r\n")
        #expect(lines.first == "time,time_ns,table,id,party,kind,session,direction,msg_type,account,clordid,origclordid,orderid,text")
        for clOrdID in ["REST1", "REST2", "REST3", "BIG1", "BUY1"] {
            #expect(lines.contains { $0.contains(",\(clOrdID),") }, "\(clOrdID) in the export")
        }
        let empty = try Self.audit(["export", "--from", Self.iso(started), "--to", Self.iso(Date().addingTimeInterval(60)),
                                    "--account", "NOBODY", "--csv"] + config)
        #expect(empty.status == 0 && empty.standardOutput.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1)
    }

    @Test func anOrderRoutedToAFIXVenueShowsTheMessagesToAndFromTheVenue() throws {
        let venueFolder = TemporaryDirectory()
        defer { venueFolder.remove() }
        let (venue, _, gateway) = try VenueRoutingTests.gatewayAndVenue(in: venueFolder, limits: QuickFIXOMSTests.limits)
        defer {
            venue.signal(SIGTERM)
            _ = venue.wait(timeout: 10)
            gateway.stop()
        }
        let s = gateway.symbol
        let (status, output) = try gateway.run("""
            D V1 \(s) 1 1 2 1.00 1 FIXSIM
            EXPECT V1 0 10
            G V2 V1 \(s) 1 3 2 1.05 1
            EXPECT V2 0 10
            F V3 V2 \(s) 1
            EXPECT V3 4 10
            """)
        #expect(status == 0, "\(output)\n\(gateway.server.output.suffix(2000))")
        let config = ["--config", gateway.config]
        let lifecycle = try Self.lifecycle("V3", config, holding: ["OrdStatus(39)=4 (CANCELED)", "venue in MsgType 8"])
        #expect(lifecycle.contains("ClOrdIDs: V1 -> V2 -> V3"), "\(lifecycle)")
        for msgType in ["D", "G", "F"] {
            #expect(lifecycle.contains("venue out MsgType \(msgType)"), "the \(msgType) sent to the venue: \(lifecycle)")
        }
        #expect(lifecycle.contains("  route  event "), "\(lifecycle)")
        // The venue's own OrderID finds the order too.
        let venueLine = try #require(lifecycle.split(separator: "\n").first { $0.contains("at the venue:") }, "\(lifecycle)")
        let venueOrderID = try #require(venueLine.components(separatedBy: "OrderIDs ").last?.components(separatedBy: ", ").first)
        #expect(!venueOrderID.isEmpty)
        let byVenueOrderID = try Self.audit(["order", "--orderid", venueOrderID] + config)
        #expect(byVenueOrderID.status == 0 && byVenueOrderID.standardOutput == lifecycle,
                "\(venueOrderID): \(byVenueOrderID.standardOutput)\(byVenueOrderID.standardError)")
    }

    @Test func exportQuotesATextHoldingCommasQuotesAndANewlineIntoAFile() async throws {
        let directory = TemporaryDirectory("audit-command")
        defer { directory.remove() }
        let path = directory.path("gateway.sqlite")
        let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000
        let journal = try Journal(path: path)
        let (session, _) = try journal.session(named: "FIX.4.4:WELLHEAD->OMS1", now: now)
        let text = "hedge, \"urgent\"\nsecond line"
        let bytes = Counterparty().message("D", seq: 2, "11=T1|1=DESK1|55=CLF7|54=2|38=1|40=2|44=99.00|59=0|58=\(text)|60=20261124-14:00:00|")
        try await journal.write([.message(JournalRecord(session: session, direction: .inbound, sequenceNumber: 2, msgType: "D",
                                                        time: now, bytes: bytes))])
        journal.close()
        let output = directory.path("audit.csv")
        let export = try Self.audit(["export", "--from", Self.iso(Date().addingTimeInterval(-3600)),
                                     "--to", Self.iso(Date().addingTimeInterval(3600)), "--csv", "--journal", path,
                                     "--dictionary", TestDictionaries.path("dictionaries/FIX44.xml"), "--output", output])
        #expect(export.status == 0, "\(export.standardError)")
        let csv = try String(contentsOfFile: output, encoding: .utf8)
        #expect(csv.contains("Text(58)=hedge, \"\"urgent\"\"\nsecond line"), "\(csv)")
        let record = try #require(csv.components(separatedBy: "\r\n").dropFirst().first)
        #expect(record.hasSuffix("\""), "the text field is quoted: \(record)")
        #expect(record.contains(",\(now),messages,"), "the raw nanoseconds beside the ISO time: \(record)")

        let missing = try Self.audit(["order", "--clordid", "T9", "--journal", path])
        #expect(missing.status != 0 && missing.standardError.contains("no order with ClOrdID T9"), "\(missing.standardError)")
        let noJournal = try Self.audit(["order", "--clordid", "T1", "--journal", directory.path("absent.sqlite")])
        #expect(noJournal.status != 0 && noJournal.standardError.contains("no journal at"), "\(noJournal.standardError)")
    }
}
