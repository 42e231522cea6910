import FIXCodec
@testable import Gateway
import Instruments
import OrderEntry
import RiskSidecar
import Testing

/// The router knows venues only through ``Venue``: a kind it has never seen (here a crossing
/// engine that fills every order in halves at its limit, as an execution algorithm would work
/// a parent order in child fills) takes orders by the name they give, and its events reach the
/// OMS through the same order state machine, risk sidecar and positions as any venue's.
@Suite struct VenueSeamTests {
    /// Fills each order in two halves at its limit price, at once; cancels what it holds.
    struct HalvesVenue: Venue {
        let name = "HALVES"
        var held: Set<UInt64> = []

        func refusal(newOrderIn symbol: String, now: Int64) -> String? { symbol.hasPrefix("RB") ? "HALVES trades no RB" : nil }
        func refusal(changing request: VenueRequest, replace: Bool) -> String? { replace ? "HALVES takes no replaces" : nil }

        mutating func submit(_ request: VenueRequest, now: Int64, into output: inout VenueOutput) {
            let price = request.terms.price ?? .zero, quantity = request.terms.quantity, first = quantity / 2
            output.events.append(.accepted(id: request.number))
            output.events.append(.fill(fill(request, price: price, quantity: first, leaves: quantity - first)))
            if quantity - first > 0, quantity > 1 { held.insert(request.number) }
            output.record("halves.submitted", ["order": request.order.orderID])
        }

        mutating func cancel(_ request: VenueRequest, now: Int64, into output: inout VenueOutput) {
            guard held.remove(request.number) != nil else { return }
            output.events.append(.canceled(id: request.number, canceledQuantity: request.order.leavesQty, reason: .requested))
        }

        func replace(_ request: VenueRequest, with terms: OrderTerms, now: Int64, into output: inout VenueOutput) {}
        func restore(_ request: VenueRequest, now: Int64, into output: inout VenueOutput) {}
        func advance(to now: Int64, into output: inout VenueOutput) {}
        func endDay(dayOrders: [VenueRequest], now: Int64, into output: inout VenueOutput) {}

        private func fill(_ request: VenueRequest, price: FIXDecimal, quantity: Int64, leaves: Int64) -> VenueFill {
            VenueFill(id: request.number, owner: request.owner, symbol: request.terms.symbol, side: request.terms.side, price: price,
                      quantity: quantity, leavesQuantity: leaves, tradeID: 0, aggressor: true)
        }
    }

    @Test func aThirdKindOfVenueTakesOrdersByNameAndReportsThroughTheOrderStateMachine() throws {
        var harness = try GatewayHarness(venues: ["HALVES": HalvesVenue()])
        let price = harness.price(offsetTicks: -3)
        let reports = harness.order("H1", quantity: 4, price: price, extra: "100=HALVES|")
        #expect(reports.map { $0[150]?.string } == ["A", "0", "F"])
        #expect(reports.last?[32]?.string == "2" && reports.last?[151]?.string == "2" && reports.last?[39]?.string == "1")
        #expect(harness.gateway.positions.positions(account: "DESK1").first?.quantity == 2, "its fills move positions")

        let canceled = harness.send("F", "11=H1C|41=H1|55=CLF7|54=1|38=4|60=\(FIXTimestamp(nanosecondsSinceEpoch: harness.now))|")
        #expect(canceled.map { $0.message[150]?.string } == ["6", "4"])
        #expect(canceled.last?.message[11]?.string == "H1C" && canceled.last?.message[41]?.string == "H1")
    }

    @Test func aVenuesRefusalIsTheRejectsText() throws {
        var harness = try GatewayHarness(venues: ["HALVES": HalvesVenue()])
        let symbol = try #require(harness.catalog.frontMonth(root: "RB")).symbol
        let rejected = try #require(harness.order("R1", price: harness.price(offsetTicks: 0, symbol: symbol), symbol: symbol,
                                                  extra: "100=HALVES|").first)
        #expect(rejected[150]?.string == "8" && rejected[103]?.string == "2" && rejected[58]?.string == "HALVES trades no RB")
        let unknown = try #require(harness.order("R2", price: harness.price(offsetTicks: 0), extra: "100=NOWHERE|").first)
        #expect(unknown[58]?.string == "unknown venue NOWHERE: this gateway routes to HALVES, NYMEX, SIM")
    }

    /// A gateway in front of real venues only (`SimulatedVenue=N`): an order must name its
    /// venue, and one that does goes there; nothing in-process prices or fills it.
    @Test func withoutTheInProcessVenueEveryOrderNamesItsVenue() throws {
        var harness = try GatewayHarness(fixVenues: ["FIXSIM": "SIMVENUE"], simulatedVenue: false)
        _ = harness.gateway.venueSession("SIMVENUE", up: true, now: harness.now)
        let unnamed = try #require(harness.order("N1", price: "60.00").first)
        #expect(unnamed[150]?.string == "8" && unnamed[58]?.string == "no venue named: this gateway routes only by ExDestination (100), to FIXSIM")
        #expect(try #require(harness.order("N2", price: "60.00", extra: "100=FIXSIM|").first)[58]?.string
                == "price collar: no reference price (last, mid) for CLF7 (firm)", "no in-process market gives it prices")
        harness.gateway.quote([MarketQuote(symbol: "CLF7", prices: ReferencePrices(last: FIXDecimal("60.01"), bid: FIXDecimal("60.00"),
                                                                                ask: FIXDecimal("60.02")), mark: FIXDecimal("60.01"))],
                              now: harness.now)
        let routed = harness.send("D", "11=N3|55=CLF7|54=1|38=1|40=2|44=60.00|59=0|100=FIXSIM|60=\(FIXTimestamp(nanosecondsSinceEpoch: harness.now))|")
        #expect(routed.map(\.session) == ["OMS1", "SIMVENUE"] && routed.first?.message[150]?.string == "A", "\(routed.map { $0.message.debugText })")
        #expect(harness.gateway.positions.currentMark(symbol: "CLF7") == nil && harness.gateway.depth(symbol: "CLF7", levels: 5) == nil)
        #expect(harness.advance(seconds: 1).isEmpty, "no market of its own moves")
    }
}

/// The console's market rows read the in-process venue once for all its instruments.
@Suite struct VenueTopsTests {
    @Test func topsReadAtOnceAreWhatEachInstrumentsOwnReadsGive() throws {
        var harness = try GatewayHarness()
        _ = harness.order("T1", price: "60.00")
        let symbols = harness.gateway.catalog.instruments.filter { $0.kind == .future }.map(\.symbol)
        let tops = harness.gateway.tops(symbols: symbols)
        #expect(tops.count == symbols.count)
        for (symbol, top) in zip(symbols, tops) {
            let depth = harness.gateway.depth(symbol: symbol, levels: 1)
            #expect(top.bid == depth?.bids.first && top.ask == depth?.asks.first, "\(symbol)")
            #expect(top.last == harness.gateway.lastTradePrice(symbol: symbol) && top.mark == harness.gateway.mark(symbol: symbol), "\(symbol)")
        }
        #expect(tops.contains { $0.bid != nil && $0.mark != nil }, "the simulated venue quotes its months")
        // Without the in-process venue, nothing.
        let routed = try GatewayHarness(fixVenues: ["FIXSIM": "SIMVENUE"], simulatedVenue: false)
        #expect(routed.gateway.tops(symbols: ["CLF7"]).allSatisfy { $0.bid == nil && $0.mark == nil })
    }
}
