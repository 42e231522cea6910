import FIXCodec
import FIXJournal
@testable import Gateway
import MarketData
import Testing
import TestSupport
import OrderEntry

/// A FIX venue's market data in the gateway, and the venue's own symbols: the venue's side is
/// played by W, X and execution reports written as a venue writes them, in the venue's
/// symbology (Brent as `BRN`). The whole flow against the venue simulator in another process
/// is in `VenueRoutingTests`.
@Suite struct VenueMarketDataTests {
    static let dialect = VenueDialect(roots: ["BZ": "BRN"], orderFields: [.init(tag: 207, value: "IFEU"), .init(tag: 582, value: "1")])

    /// A gateway routing ICE to the venue session ICEVENUE, which calls Brent BRN; its
    /// application, journaling to a real SQLite file; and the front Brent month.
    struct Setup {
        var harness: GatewayHarness
        let application: GatewayApplication
        let journal: Journal
        let brent: String
        var venueBrent: String { "BRN" + brent.dropFirst(2) }

        /// With `alsoSIMVENUE`, a second venue (FIXSIM on SIMVENUE) lists the same instruments.
        init(alsoSIMVENUE: Bool = false) throws {
            harness = try GatewayHarness(fixVenues: alsoSIMVENUE ? ["ICE": "ICEVENUE", "FIXSIM": "SIMVENUE"] : ["ICE": "ICEVENUE"],
                                         venueDialects: ["ICEVENUE": VenueMarketDataTests.dialect])
            journal = try Journal(path: harness.directory.path("gateway.sqlite"))
            let clock = harness.now
            application = GatewayApplication(gateway: harness.gateway, journal: journal, clock: { clock })
            brent = try #require(harness.catalog.frontMonth(root: "BZ")).symbol
            _ = harness.gateway.venueSession("ICEVENUE", up: true, now: harness.now)
        }

        func venue(_ msgType: String, _ fields: String) -> FIXMessage {
            let venue = Counterparty(senderCompID: "ICEVENUE", targetCompID: "GATEWAY")
            return try! FIXMessage(parsing: venue.message(msgType, seq: 2, at: FIXTimestamp(nanosecondsSinceEpoch: harness.now), fields))
        }

        /// A venue snapshot of `venueBrent`: bids and asks as `price:size` pairs.
        func snapshot(bids: [String], asks: [String]) -> FIXMessage {
            var fields = "262=WH-\(brent)|55=\(venueBrent)|268=\(bids.count + asks.count)|"
            for (type, levels) in [("0", bids), ("1", asks)] {
                for level in levels {
                    let parts = level.split(separator: ":")
                    fields += "269=\(type)|270=\(parts[0])|271=\(parts[1])|"
                }
            }
            return venue("W", fields)
        }

        func apply(_ message: FIXMessage) throws -> GatewayMarketData.VenueUpdate {
            try application.marketData.venueData(message, from: "ICEVENUE", gateway: harness.gateway, now: harness.now)
        }

        /// Subscribes OMS1 to `symbol` (snapshot + updates, five levels, book and trades).
        func subscribe(_ symbol: String) -> [(msgType: String, body: FIXFieldList)] {
            let request = Counterparty(senderCompID: "OMS1").message(
                "V", seq: 9, at: FIXTimestamp(nanosecondsSinceEpoch: harness.now),
                "262=MD1|263=1|264=5|265=1|267=3|269=0|269=1|269=2|146=1|55=\(symbol)|")
            return application.marketData.handle(try! FIXMessage(parsing: request), from: "OMS1", gateway: harness.gateway, now: harness.now)
        }
    }

    @Test func theVenueIsAskedForEveryBookInItsOwnSymbols() throws {
        let setup = try Setup()
        let requests = try setup.application.marketData.venueLoggedOn("ICEVENUE").map {
            try FIXMessage(parsing: { var b = FIXMessageBuilder(msgType: "V"); b.body = $0; return b.encode() }($0))
        }
        #expect(requests.count == setup.harness.catalog.instruments.count)
        let brent = try #require(requests.first { $0[262]?.string == "WH-\(setup.brent)" })
        #expect(brent[55]?.string == setup.venueBrent && brent[263]?.string == "1" && brent[264]?.int == VenueFeed.depth)
        #expect(brent.values(of: 269).map(\.string) == ["0", "1", "2"])
        // Roots the venue names alike go as they are.
        #expect(requests.contains { $0[55]?.string == "CLF7" })
    }

    @Test func theVenuesBooksReachTheOMSAndSetTheCollarsAndMarks() throws {
        var setup = try Setup()
        let brent = setup.brent
        // Before the venue's snapshot, the OMS sees the in-process venue's book.
        let first = setup.subscribe(brent)
        #expect(first.map(\.msgType) == ["W"])

        let update = try setup.apply(setup.snapshot(bids: ["50.00:5", "49.99:7"], asks: ["50.04:3"]))
        let quote = try #require(update.quotes.first)
        #expect(quote.symbol == brent && quote.prices.bid == FIXDecimal("50.00") && quote.prices.ask == FIXDecimal("50.04"))
        #expect(quote.mark == FIXDecimal("50.02"))
        // The OMS subscriber gets the venue's levels, in the gateway's symbol.
        let published = try #require(update.published.first)
        #expect(published.session == "OMS1" && published.msgType == "X")
        let entries = FIXMessage.entries(published.body)
        #expect(entries.contains { $0[55] == brent && $0[270] == "50.00" && $0[271] == "5" && $0[279] == "0" })
        #expect(entries.allSatisfy { $0[55] == brent })

        setup.harness.gateway.quote(update.quotes, now: setup.harness.now)
        // The in-process venue moves on, but Brent's collar now measures from the venue's 50.02.
        _ = setup.harness.advance(seconds: 1)
        let inProcess = try #require(setup.harness.gateway.mark(symbol: brent))
        #expect(inProcess > FIXDecimal(70), "the simulator's own Brent stays near its reference: \(inProcess)")
        // At the simulator's own price: inside its collar, but 45 % from the venue's.
        let far = setup.harness.order("B1", price: setup.harness.price(offsetTicks: -20, symbol: brent), symbol: brent)
        #expect(far.last?[58]?.string.contains("price collar") == true, "\(far.map { $0[58]?.string ?? "" })")
        let near = setup.harness.order("B2", price: "50.50", symbol: brent, extra: "100=ICE|")
        #expect(near.map(\.msgType) == ["8", "D"] && near.first?.ordStatus == "A", "\(near.map { $0[58]?.string ?? "" })")
    }

    @Test func ordersGoOutInTheVenuesSymbolsWithItsFieldsAndFillsComeBack() throws {
        var setup = try Setup()
        let brent = setup.brent
        setup.harness.gateway.quote(try setup.apply(setup.snapshot(bids: ["50.00:5"], asks: ["50.04:3"])).quotes, now: setup.harness.now)
        let out = setup.harness.send("D", "11=B1|55=\(brent)|54=1|38=2|40=2|44=50.04|59=0|100=ICE|60=\(TestClock.start)|")
        let sent = try #require(out.last { $0.session == "ICEVENUE" }?.message)
        #expect(sent.msgType == "D" && sent[55]?.string == setup.venueBrent && sent[207]?.string == "IFEU" && sent[582]?.string == "1")
        let fill = setup.venue("8", "37=V1|11=WH00000001|17=E1|150=F|39=1|55=\(setup.venueBrent)|54=1|38=2|32=1|31=50.04|151=1|14=1|6=50.04|")
        let reports = GatewayHarness.parse(setup.harness.gateway.venueReport(fill, from: "ICEVENUE", now: setup.harness.now)).map(\.message)
        #expect(reports.map(\.execType) == ["0", "F"])
        #expect(reports.last?[55]?.string == brent, "the OMS hears its own symbol")
        // Marked at the venue's mid, which moves with the venue's book.
        let moved = setup.venue("X", "262=WH-\(brent)|268=2|279=1|269=0|55=\(setup.venueBrent)|270=50.00|271=9|279=0|269=1|55=\(setup.venueBrent)|270=50.02|271=4|")
        setup.harness.gateway.quote(try setup.apply(moved).quotes, now: setup.harness.now)
        let position = try #require(setup.harness.gateway.positions.positions(symbol: brent).first)
        #expect(position.mark.price == FIXDecimal("50.01") && position.unrealised == FIXDecimal(-30), "1 lot × 1,000 bbl × −0.03: \(position)")
        // The rest is cancelled at the venue, in its symbol, with its fields.
        let cancel = setup.harness.send("F", "11=C1|41=B1|55=\(brent)|54=1|60=\(TestClock.start)|")
        let request = try #require(cancel.last { $0.session == "ICEVENUE" }?.message)
        #expect(request.msgType == "F" && request[55]?.string == setup.venueBrent && request[207]?.string == "IFEU")
    }

    /// A trade the venue prints reaches the subscriber as a trade entry and becomes the
    /// collar's last price.
    @Test func theVenuesTradesReachTheSubscriberAndSetTheLastPrice() throws {
        let setup = try Setup()
        _ = setup.subscribe(setup.brent)
        _ = try setup.apply(setup.snapshot(bids: ["50.00:5"], asks: ["50.04:3"]))
        let trade = setup.venue("X", "262=WH-\(setup.brent)|268=1|279=0|269=2|55=\(setup.venueBrent)|270=50.04|271=3|")
        let update = try setup.apply(trade)
        let entries = update.published.flatMap { FIXMessage.entries($0.body) }
        #expect(entries.contains { $0[269] == "2" && $0[270] == "50.04" && $0[271] == "3" && $0[55] == setup.brent }, "\(entries)")
        #expect(update.quotes.first?.prices.last == FIXDecimal("50.04"))
    }

    @Test func anUpdateThatDoesNotFitAsksTheVenueForASnapshot() throws {
        let setup = try Setup()
        _ = try setup.apply(setup.snapshot(bids: ["50.00:5"], asks: ["50.04:3"]))
        let misfit = setup.venue("X", "262=WH-\(setup.brent)|268=1|279=2|269=0|55=\(setup.venueBrent)|270=49.50|")
        let update = try setup.apply(misfit)
        let request = try #require(update.requests.first)
        var builder = FIXMessageBuilder(msgType: "V")
        builder.body = request
        let message = try FIXMessage(parsing: builder.encode())
        #expect(message[263]?.string == "0" && message[55]?.string == setup.venueBrent, "a snapshot of that book alone")
        #expect(update.quotes.isEmpty, "a book waiting for its snapshot sets no prices")
        // The snapshot ends the recovery and prices flow again.
        let recovered = try setup.apply(setup.snapshot(bids: ["49.90:1"], asks: ["50.10:1"]))
        #expect(recovered.quotes.first?.mark == FIXDecimal("50.00"))
    }

    @Test func aVenueThatDropsShowsNoMarketUntilItsNextSnapshotAndUnreadableDataIsRefused() throws {
        let setup = try Setup()
        _ = try setup.apply(setup.snapshot(bids: ["50.00:5"], asks: ["50.04:3"]))
        #expect(setup.subscribe(setup.brent).first.map { FIXMessage.entries($0.body).first?[270] } == "50.00")
        setup.application.marketData.venueLoggedOff("ICEVENUE")
        // The subscriber sees the venue's levels go, not the in-process venue's book instead.
        let gone = setup.application.marketData.publish(gateway: setup.harness.gateway, now: setup.harness.now)
        let deletes = gone.flatMap { FIXMessage.entries($0.body) }
        #expect(!deletes.isEmpty && deletes.allSatisfy { $0[279] == "2" && $0[55] == setup.brent }, "\(deletes)")
        // Back, and a fresh snapshot shows the book again.
        _ = setup.application.marketData.venueLoggedOn("ICEVENUE")
        let back = try setup.apply(setup.snapshot(bids: ["50.10:2"], asks: ["50.14:2"]))
        #expect(back.published.flatMap { FIXMessage.entries($0.body) }.contains { $0[279] == "0" && $0[270] == "50.10" })
        #expect(throws: FIXMarketDataError.unknownSymbol("BRNZ9")) {
            _ = try setup.apply(setup.venue("W", "262=X|55=BRNZ9|268=1|269=0|270=50|271=1|"))
        }
    }

    /// Two venues list Brent: the book of the first (by session) is the gateway's market and
    /// sets the reference prices; the other's updates set none.
    @Test func whereTwoVenuesListAnInstrumentOneSetsItsPrices() throws {
        let setup = try Setup(alsoSIMVENUE: true)
        let ice = try setup.apply(setup.snapshot(bids: ["50.00:5"], asks: ["50.04:3"]))
        #expect(ice.quotes.map(\.symbol) == [setup.brent])
        let sim = Counterparty(senderCompID: "SIMVENUE", targetCompID: "GATEWAY").message(
            "W", seq: 2, at: FIXTimestamp(nanosecondsSinceEpoch: setup.harness.now),
            "262=WH-\(setup.brent)|55=\(setup.brent)|268=2|269=0|270=60.00|271=1|269=1|270=60.04|271=1|")
        let other = try setup.application.marketData.venueData(try FIXMessage(parsing: sim), from: "SIMVENUE",
                                                               gateway: setup.harness.gateway, now: setup.harness.now)
        #expect(other.quotes.isEmpty, "SIMVENUE's Brent is not the gateway's market")
    }

    @Test func symbolsTranslateOutrightsAndSpreadLegsBothWays() {
        let dialect = VenueDialect(roots: ["BZ": "BRN", "H": "X", "HO": "OH"])
        #expect(dialect.venueSymbol("BZF7") == "BRNF7")
        #expect(dialect.venueSymbol("BZF7-BZG7") == "BRNF7-BRNG7")
        #expect(dialect.venueSymbol("HOF7") == "OHF7", "the longest root first")
        #expect(dialect.venueSymbol("CLF7") == "CLF7" && dialect.venueSymbol("CRK321F7") == "CRK321F7" && dialect.venueSymbol("BZ") == "BZ")
        #expect(dialect.canonicalSymbol("BRNF7-CLF7") == "BZF7-CLF7")
        #expect(dialect.aliases(of: ["BZF7", "CLF7"]) == ["BRNF7": "BZF7"])
    }

    /// A venue simulator naming Brent BRN: a request's Symbol is read into the catalog's where
    /// the request is read, a report's Symbol written in the venue's where the report is built,
    /// and a reject echoes what was sent; no message is rewritten.
    @Test func requestsAreReadAndReportsWrittenInTheParticipantsSymbols() throws {
        let dialect = Self.dialect
        let time = FIXTimestamp(nanosecondsSinceEpoch: GatewayHarness.start)
        let message = try FIXMessage(parsing: Counterparty(senderCompID: "QA1").message("D", seq: 7, at: time,
                                                                                       "11=A|55=BRNF7|54=1|38=1|40=2|44=70.00|59=0|"))
        let terms = try OrderRequestParser.terms(of: message, defaultAccount: "QA1", symbols: dialect).get()
        #expect(terms.symbol == "BZF7")
        var order = ClientOrder(orderID: "SIM-1", session: "QA1", clOrdID: "A", terms: terms)
        let written = { (body: FIXFieldList) throws -> FIXMessage in
            var builder = FIXMessageBuilder(msgType: "8")
            builder.body = body
            return try FIXMessage(parsing: builder.encode())
        }
        #expect(try written(order.accepted().fields(transactTime: time, symbols: dialect))[55]?.string == "BRNF7")
        #expect(try written(order.accepted().fields(transactTime: time))[55]?.string == "BZF7", "the gateway's own symbols by default")
        let echo = ExecutionReport.aboutRequest(OrderRequestEcho(message), clOrdID: "A", execID: "R1", execType: .rejected,
                                                reason: .other, text: "refused")
        #expect(try written(echo.fields(transactTime: time, symbols: dialect))[55]?.string == "BRNF7", "as the participant sent it")
    }
}

extension FIXMessage {
    /// The market-data entries (group 268) of a message body, each as tag → value text.
    static func entries(_ body: FIXFieldList) -> [[Int: String]] {
        var builder = FIXMessageBuilder(msgType: "X")
        builder.body = body
        guard let message = try? FIXMessage(parsing: builder.encode()), let start = message.position(of: 268) else { return [] }
        var entries: [[Int: String]] = []
        for position in (start + 1)..<message.count {
            let tag = message.tag(at: position)
            if tag == 10 { break }
            if tag == 279 || (tag == 269 && entries.last?[269] != nil) || entries.isEmpty { entries.append([:]) }
            entries[entries.count - 1][tag] = message.value(at: position).string
        }
        return entries
    }
}
