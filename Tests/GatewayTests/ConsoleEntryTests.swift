import FIXCodec
import FIXJournal
import FIXVocabulary
@testable import Gateway
import Instruments
import NIOPosix
import OrderEntry
import RiskSidecar
import Testing
import TestSupport

/// Orders a console user enters go through the console's own session (`CONSOLE`) exactly as an
/// OMS's do: a NewOrderSingle built with the codec, journaled with the user in its Parties
/// before it has effect, checked by the risk sidecar, placed on the simulated venue, its reports
/// journaled as the session's outbound messages. With a real SQLite journal and the gateway's
/// own event loop.
@Suite(.serialized) struct ConsoleEntryTests {
    struct Rig {
        let harness: GatewayHarness
        let loop: MultiThreadedEventLoopGroup
        let journal: Journal
        let application: GatewayApplication
        let console: GatewayConsoleSession

        init() throws {
            harness = try GatewayHarness()
            loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            journal = try Journal(path: harness.directory.path("journal.sqlite"))
            application = GatewayApplication(gateway: harness.gateway, journal: journal, loop: loop.next(), clock: { GatewayHarness.start })
            console = try application.openConsoleSession(ourCompID: "WELLHEAD")
        }

        func ticket(_ quantity: Int64, offsetTicks: Int64 = -40, account: String = "DESK1") -> ConsoleOrderTicket {
            ConsoleOrderTicket(account: account, symbol: "CLF7", side: .buy, type: .limit, quantity: quantity,
                               price: FIXDecimal(harness.price(offsetTicks: offsetTicks)), timeInForce: .day)
        }

        /// The console session's messages in the journal, as text.
        func messages() throws -> [(direction: JournalDirection, msgType: String, text: String)] {
            try journal.messages().filter { $0.session.name == "FIX.4.4:WELLHEAD->CONSOLE" }
                .map { ($0.direction, $0.msgType, String(decoding: $0.bytes, as: UTF8.self).replacingOccurrences(of: "\u{1}", with: "|")) }
        }

        func order(_ orderID: String) async throws -> ClientOrder? {
            try await application.onLoop { gateway in gateway.order(orderID) }
        }

        func stop() async throws {
            journal.close()
            try await loop.shutdownGracefully()
        }
    }

    @Test func aConsoleOrderIsJournaledWithItsUserAndReachesTheVenueThenIsReplacedAndCancelled() async throws {
        let rig = try Rig()
        let answer = try await rig.console.submit(rig.ticket(2), by: "tara", accounts: ["DESK1"])
        #expect(answer.accepted && answer.orderID == "WH00000001" && answer.clOrdID == "C00000001", "\(answer)")
        let placed = try #require(try await rig.order("WH00000001"))
        #expect(placed.session == "CONSOLE" && placed.enteredBy == "tara")
        #expect(placed.status == .new, "the simulated venue acknowledged it")

        // Journaled: the NewOrderSingle with the user as Order Origination Trader, then the reports.
        var messages = try rig.messages()
        let inbound = try #require(messages.first { $0.direction == .inbound })
        #expect(inbound.msgType == "D")
        #expect(inbound.text.contains("|49=CONSOLE|56=WELLHEAD|34=1|") && inbound.text.contains("|11=C00000001|1=DESK1|55=CLF7|54=1|"), "\(inbound.text)")
        #expect(inbound.text.contains("|453=1|448=tara|447=D|452=11|"), "\(inbound.text)")
        #expect(messages.filter { $0.direction == .outbound }.map(\.msgType) == ["8", "8"], "\(messages.map(\.text))")
        #expect(messages.filter { $0.direction == .outbound }.allSatisfy { $0.text.contains("|56=CONSOLE|") })
        let orderEvents = try rig.journal.events(kind: "order")
        #expect(orderEvents.contains { $0.json.contains(#""enteredBy":"tara""#) && $0.json.contains(#""session":"CONSOLE""#) }, "\(orderEvents)")
        let decisions = try rig.journal.events(kind: "risk.decision")
        #expect(decisions.contains { $0.json.contains(#""session":"CONSOLE""#) && $0.json.contains(#""clOrdID":"C00000001""#) }, "\(decisions)")

        // A replace changes the quantity; the price stays.
        let replaced = try await rig.console.replace(orderID: "WH00000001", quantity: 3, price: nil, by: "tara", accounts: ["DESK1"])
        #expect(replaced.accepted && replaced.clOrdID == "C00000002", "\(replaced)")
        let changed = try #require(try await rig.order("WH00000001"))
        #expect(changed.terms.quantity == 3 && changed.terms.price == placed.terms.price && changed.status == .new, "\(changed)")
        #expect(changed.clOrdID == "C00000002" && changed.enteredBy == "tara")

        let cancelled = try await rig.console.cancel(orderID: "WH00000001", by: "tara", accounts: ["DESK1"])
        #expect(cancelled.accepted, "\(cancelled)")
        #expect(try await rig.order("WH00000001")?.status == .canceled)
        messages = try rig.messages()
        #expect(messages.filter { $0.direction == .inbound }.map(\.msgType) == ["D", "G", "F"], "\(messages.map(\.text))")
        #expect(messages.filter { $0.direction == .inbound }.allSatisfy { $0.text.contains("|448=tara|") })
        try await rig.stop()
    }

    /// After a restart from the journal the console's order is still the user's, and the
    /// console's session goes on numbering (and naming ClOrdIDs) where it stopped.
    @Test func aRestartKeepsTheUserAndTheConsolesNumbers() async throws {
        let rig = try Rig()
        _ = try await rig.console.submit(rig.ticket(2), by: "tara", accounts: ["DESK1"])
        let path = rig.harness.directory.path("journal.sqlite")
        try await rig.stop()

        let restarted = try GatewayHarness()
        let (restored, _, _) = try restarted.restore(fromJournal: path)
        #expect(restored.workingOrders == 1, "\(restored)")
        let order = try #require(restarted.gateway.order("WH00000001"))
        #expect(order.session == "CONSOLE" && order.enteredBy == "tara" && order.clOrdID == "C00000001")
        let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let journal = try Journal(path: path)
        let application = GatewayApplication(gateway: restarted.gateway, journal: journal, loop: loop.next(), clock: { GatewayHarness.start })
        let console = try application.openConsoleSession(ourCompID: "WELLHEAD")
        let replaced = try await console.replace(orderID: "WH00000001", quantity: 4, price: nil, by: "tara", accounts: ["DESK1"])
        #expect(replaced.accepted && replaced.clOrdID == "C00000002", "\(replaced)")
        let second = try await console.submit(rig.ticket(1), by: "tara", accounts: ["DESK1"])
        #expect(second.accepted && second.clOrdID == "C00000003" && second.orderID == "WH00000002", "\(second)")
        journal.close()
        try await loop.shutdownGracefully()
    }

    @Test func anAccountTheUserMayNotTradeIsRefusedBeforeAnythingIsJournaled() async throws {
        let rig = try Rig()
        await #expect(throws: ConsoleEntryError.self) {
            _ = try await rig.console.submit(rig.ticket(1, account: "DESK2"), by: "tara", accounts: ["DESK1"])
        }
        var offTick = rig.ticket(1)
        offTick.price = offTick.price.map { $0 + FIXDecimal(mantissa: 1, scale: 3) }
        do {
            _ = try await rig.console.submit(offTick, by: "tara", accounts: ["DESK1"])
            Issue.record("a price off the tick grid was taken")
        } catch {
            #expect("\(error)".contains("tick grid"), "\(error)")
        }
        #expect(try rig.messages().isEmpty)
        #expect(try await rig.application.onLoop { $0.orders().isEmpty })
        // The sidecar too lets the console's session trade only the user's accounts.
        _ = try await rig.console.submit(rig.ticket(1), by: "tara", accounts: ["DESK1"])
        let stranger = RiskOrder(key: "X1", clOrdID: "X1", account: "DESK2", session: GatewayConsoleSession.name, symbol: "CLF7", root: "CL",
                                 side: .buy, quantity: 1, type: .limit, price: FIXDecimal(rig.harness.price(offsetTicks: -40)))
        #expect(rig.application.risk.preview(stranger, now: GatewayHarness.start).rejection?.check == .unknownAccount)
        try await rig.stop()
    }

    @Test func anOrderOverALimitIsRejectedNamingTheCheck() async throws {
        let rig = try Rig()
        let answer = try await rig.console.submit(rig.ticket(300), by: "tara", accounts: ["DESK1"])
        #expect(!answer.accepted && answer.status == "rejected", "\(answer)")
        #expect(answer.text.contains("200"), "the reject names the limit: \(answer.text)")
        let rejected = try #require(try await rig.order("WH00000001"))
        #expect(rejected.status == .rejected && rejected.enteredBy == "tara")
        try await rig.stop()
    }

    @Test func aPreviewSendsNothingAndTheOrderAfterItIsDecidedAlike() async throws {
        let rig = try Rig()
        _ = try await rig.console.submit(rig.ticket(150), by: "tara", accounts: ["DESK1"])
        let before = try rig.messages().count
        let working = try await rig.application.onLoop { $0.orders().count }

        let over = try await rig.console.preview(rig.ticket(300), accounts: ["DESK1"])
        #expect(over.rejection != nil && over.rejection?.text.contains("200") == true, "\(over.decision)")
        let fine = try await rig.console.preview(rig.ticket(10), accounts: ["DESK1"])
        #expect(fine.rejection == nil, "\(fine.decision)")
        #expect(try rig.messages().count == before, "a preview journals no message")
        #expect(try await rig.application.onLoop { $0.orders().count } == working, "a preview places no order")
        #expect(rig.application.risk.workingOrders().count == 1)
        let answer = try await rig.console.submit(rig.ticket(10), by: "tara", accounts: ["DESK1"])
        #expect(answer.accepted, "\(answer)")
        try await rig.stop()
    }
}
