import FIXCodec
import FIXJournal
import JournalAudit
import Testing
import TestSupport

/// The audit trail read from journals a real order gateway wrote (``JournaledGateway``).
@Suite struct AuditTrailTests {
    /// A limit price far under the market: the order rests.
    static let resting = "50.00"

    /// New → replace → cancel, each naming the one before by OrigClOrdID (41).
    static func chain(_ gateway: JournaledGateway) async throws {
        try await gateway.send("D", "11=A1|1=DESK1|55=CLF7|54=1|38=5|40=2|44=\(resting)|59=0|60=\(TestClock.start)|")
        try await gateway.send("G", "11=A2|41=A1|1=DESK1|55=CLF7|54=1|38=6|40=2|44=50.01|59=0|60=\(TestClock.start)|")
        try await gateway.send("F", "11=A3|41=A2|55=CLF7|54=1|38=6|60=\(TestClock.start)|")
    }

    @Test func aNewReplaceCancelChainIsFoundFromAnyOfItsClOrdIDsAndItsOrderID() async throws {
        let gateway = try JournaledGateway()
        try await Self.chain(gateway)
        let trail = AuditTrail(journal: gateway.journal, dictionary: TestDictionaries.fix44)
        var found: [OrderLifecycle] = []
        for clOrdID in ["A1", "A2", "A3"] { found += try trail.orders(clOrdID: clOrdID) }
        found += try trail.orders(orderID: "WH00000001")
        #expect(found.count == 4)
        #expect(Set(found).count == 1, "every ClOrdID of the chain and its OrderID find the same order")
        let order = try #require(found.first)
        #expect(order.clOrdIDs == ["A1", "A2", "A3"])
        #expect(order.orderIDs == ["WH00000001"])
        #expect(order.account == "DESK1")
        #expect(order.rows.map(\.time) == order.rows.map(\.time).sorted(), "in time order")
        let inbound = order.rows.filter { $0.table == .messages && $0.direction == "in" }
        #expect(inbound.map(\.msgType) == ["D", "G", "F"])
        #expect(inbound[0].text.contains("ClOrdID(11)=A1"), "\(inbound[0].text)")
        #expect(inbound[0].text.contains("Side(54)=1 (BUY)"), "\(inbound[0].text)")
        #expect(inbound[2].text.contains("OrigClOrdID(41)=A2"), "\(inbound[2].text)")
        let decisions = order.rows.filter { $0.kind == "risk.decision" }
        #expect(decisions.count == 3, "the new order's, the replace's and the cancel's decision")
        #expect(order.rows.contains { $0.kind == "order" && $0.text.contains("OrdStatus(39)=4 (CANCELED)") }, "the order's last state")
        let reports = order.rows.filter { $0.table == .messages && $0.direction == "out" && $0.msgType == "8" }
        #expect(reports.last?.text.contains("OrdStatus(39)=4 (CANCELED)") == true, "\(reports.last?.text ?? "")")
    }

    @Test func aRiskRejectShowsItsCheckAndLimit() async throws {
        let gateway = try JournaledGateway()
        try await gateway.send("D", "11=BIG1|55=CLF7|54=1|38=300|40=2|44=\(Self.resting)|59=0|60=\(TestClock.start)|")
        let order = try #require(try AuditTrail(journal: gateway.journal, dictionary: TestDictionaries.fix44).orders(clOrdID: "BIG1").first)
        let decision = try #require(order.rows.first { $0.kind == "risk.decision" })
        #expect(decision.text.contains("REJECTED by check orderSize"), "\(decision.text)")
        #expect(decision.text.contains("limit 200"), "\(decision.text)")
        #expect(decision.text.contains("value 300"), "\(decision.text)")
        #expect(order.rows.contains { $0.msgType == "8" && $0.text.contains("ExecType(150)=8 (REJECTED)") })
    }

    @Test func aFillIsInTheOrdersLifecycle() async throws {
        let gateway = try JournaledGateway()
        try await gateway.send("D", "11=M1|55=CLF7|54=1|38=2|40=1|59=3|60=\(TestClock.start)|")
        let order = try #require(try AuditTrail(journal: gateway.journal, dictionary: nil).orders(clOrdID: "M1").first)
        let fills = order.rows.filter { $0.kind == "fill" }
        #expect(!fills.isEmpty, "\(order.rows.map(\.kind))")
        #expect(fills.allSatisfy { $0.account == "DESK1" && $0.text.contains("fill WH00000001-") }, "\(fills.map(\.text))")
        // Without a dictionary, fields show by number.
        #expect(order.rows.contains { $0.text.contains("11=M1") })
    }

    @Test func aKillSwitchAndTheAdminActionThatEngagedItTouchTheOrdersItCancelled() async throws {
        let gateway = try JournaledGateway()
        try await gateway.send("D", "11=K1|55=CLF7|54=1|38=1|40=2|44=\(Self.resting)|59=0|60=\(TestClock.start)|")
        try await gateway.send("D", "11=K2|55=CLF7|54=1|38=1|40=2|44=\(Self.resting)|59=0|60=\(TestClock.start)|", from: "OMS2")
        try await gateway.engageKillSwitch("account:DESK1", by: "alice", reason: "desk, \"runaway\"")
        let trail = AuditTrail(journal: gateway.journal, dictionary: TestDictionaries.fix44)
        let cancelled = try #require(try trail.orders(clOrdID: "K1").first)
        #expect(cancelled.rows.contains { $0.kind == "risk.killSwitch" && $0.text.contains("alice") })
        #expect(cancelled.rows.contains { $0.kind == "admin" && $0.text.contains("kill-switch-engage account:DESK1 by alice") })
        let untouched = try #require(try trail.orders(clOrdID: "K2").first)
        #expect(!untouched.rows.contains { $0.kind == "admin" || $0.kind == "risk.killSwitch" }, "DESK2's order is not under the switch")
    }

    @Test func csvQuotesATextHoldingCommasQuotesAndANewline() async throws {
        let gateway = try JournaledGateway()
        let text = "hedge, \"urgent\"\nsecond line"
        try await gateway.send("D", "11=T1|55=CLF7|54=2|38=1|40=2|44=99.00|59=0|58=\(text)|60=\(TestClock.start)|")
        let trail = AuditTrail(journal: gateway.journal, dictionary: TestDictionaries.fix44)
        let csv = AuditCSV.csv(try trail.orders(clOrdID: "T1"))
        let records = parseCSV(csv)
        #expect(records.first == AuditCSV.header)
        #expect(records.dropFirst().allSatisfy { $0.count == AuditCSV.header.count }, "\(records)")
        let column = try #require(AuditCSV.header.firstIndex(of: "text"))
        let inbound = try #require(records.first { $0.count > column && $0[column].contains("ClOrdID(11)=T1") && $0[7] == "in" })
        #expect(inbound[column].contains("Text(58)=\(text)"), "\(inbound[column])")
        #expect(csv.contains("\"\"urgent\"\""), "quotes doubled inside a quoted field")
        // The time in both forms.
        let nanoseconds = try #require(Int64(inbound[1]))
        #expect(inbound[0] == AuditTime.iso8601(nanoseconds))
        #expect(try AuditTime.nanoseconds(iso8601: inbound[0]) == nanoseconds)
    }

    @Test func anUnknownClOrdIDIsAnErrorNamingIt() async throws {
        let gateway = try JournaledGateway()
        try await Self.chain(gateway)
        let trail = AuditTrail(journal: gateway.journal, dictionary: nil)
        #expect(throws: AuditError.orderNotFound("no order with ClOrdID NOPE in the journal \(gateway.path)")) {
            try trail.orders(clOrdID: "NOPE")
        }
        #expect(throws: AuditError.self) { try trail.orders(orderID: "WH99999999") }
    }

    @Test func aRowThatDoesNotDecodeIsAnErrorNamingItsID() async throws {
        let gateway = try JournaledGateway()
        try await Self.chain(gateway)
        let (session, _) = try gateway.journal.session(named: "FIX.4.4:WELLHEAD->OMS1", now: gateway.now)
        try await gateway.journal.write([.message(JournalRecord(session: session, direction: .inbound, sequenceNumber: 9, msgType: "D",
                                                                time: gateway.now, bytes: Array("not FIX at all".utf8)))])
        try await gateway.journal.write([.event(kind: "order", time: gateway.now, json: "{broken")])
        let trail = AuditTrail(journal: gateway.journal, dictionary: nil)
        do {
            _ = try trail.orders(clOrdID: "A1")
            Issue.record("a journal with an undecodable row was read")
        } catch {
            switch error {
            case .undecodableEvent(let id, let kind, _): #expect(id > 0 && kind == "order")
            case .undecodableMessage(let id, _): #expect(id > 0)
            default: Issue.record("\(error)")
            }
        }
    }

    @Test func searchByAccountAndTimeRange() async throws {
        let gateway = try JournaledGateway()
        try await Self.chain(gateway)
        let middle = gateway.now
        try await gateway.send("D", "11=B1|55=CLF7|54=1|38=1|40=2|44=\(Self.resting)|59=0|60=\(TestClock.start)|", from: "OMS2")
        let trail = AuditTrail(journal: gateway.journal, dictionary: nil)
        #expect(try trail.orders(account: "DESK1").flatMap(\.clOrdIDs) == ["A1", "A2", "A3"])
        #expect(try trail.orders(account: "DESK2").flatMap(\.clOrdIDs) == ["B1"])
        #expect(try trail.orders(from: middle + 1).flatMap(\.clOrdIDs) == ["B1"])
        #expect(try trail.orders(through: middle).flatMap(\.clOrdIDs) == ["A1", "A2", "A3"])
        let rows = try trail.rows(account: "DESK2")
        #expect(!rows.isEmpty && rows.allSatisfy { $0.time > middle })
        #expect(rows.contains { $0.msgType == "D" && $0.account == "DESK2" && $0.orderID == "WH00000002" },
                "a row that names neither (B1 gave no Account) names its order's")
        #expect(try trail.rows(from: middle + 1).allSatisfy { $0.time > middle })
    }

    @Test func isoTimesReadAndWriteNanoseconds() throws {
        #expect(AuditTime.iso8601(TestClock.start.nanosecondsSinceEpoch + 5) == "2026-11-24T14:00:00.000000005Z")
        #expect(try AuditTime.nanoseconds(iso8601: "2026-11-24T14:00:00.000000005Z") == TestClock.start.nanosecondsSinceEpoch + 5)
        #expect(try AuditTime.nanoseconds(iso8601: "2026-11-24T14:00Z") == TestClock.start.nanosecondsSinceEpoch)
        #expect(try AuditTime.nanoseconds(iso8601: "2026-11-24") == TestClock.start.nanosecondsSinceEpoch - 14 * 3_600_000_000_000)
        #expect(AuditTime.iso8601(0) == "1970-01-01T00:00:00.000000000Z")
        #expect(throws: AuditError.badTime("2026-13-01")) { try AuditTime.nanoseconds(iso8601: "2026-13-01") }
        #expect(throws: AuditError.badTime("yesterday")) { try AuditTime.nanoseconds(iso8601: "yesterday") }
    }
}
