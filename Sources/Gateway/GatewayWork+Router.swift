import FIXCodec
import FIXVocabulary
import Instruments
import OrderEntry
import SimulatedVenue

/// The router: each order's requests to the venue it went to, and what venues say back
/// through the one order state machine. Nothing here knows which kind of venue it talks to.
extension GatewayWork {
    /// Takes venue `index` out of the state while it works, so it is changed in place (never
    /// copied) and the gateway's state can still be read meanwhile.
    mutating func take(_ index: Int) -> (any Venue)? { state.venues[index].take() }

    /// Puts a venue back, then follows what it produced.
    mutating func put(_ venue: any Venue, at index: Int, _ output: VenueOutput) {
        state.venues[index] = venue
        follow(output)
    }

    /// A venue's output: its journal records, its FIX messages, the words for cancels it made
    /// on its own (the gateway's own reason, when it has one, wins), then its events.
    mutating func follow(_ output: VenueOutput) {
        for record in output.records { state.audit.append(GatewayAuditEvent(kind: record.kind, time: now, json: record.json)) }
        outbound += output.messages
        for (number, text) in output.cancelTexts where state.cancelReasons[number] == nil { state.cancelReasons[number] = text }
        apply(venue: output.events)
    }

    /// The venue an order went to and its number there, if it reached one.
    func placement(of order: ClientOrder) -> (venue: Int, number: UInt64)? {
        guard let number = state.venueIDByOrderID[order.orderID], let venue = state.venueOfOrder[number] else { return nil }
        return (venue, number)
    }

    /// Why `order`'s venue cannot take a cancel (or a replace) of it now.
    func refusal(changing order: ClientOrder, replace: Bool) -> String? {
        guard let (index, number) = placement(of: order), let venue = state.venues[index] else { return nil }
        return venue.refusal(changing: VenueRequest(number: number, order: order, owner: 0), replace: replace)
    }

    /// Sends an accepted order (`terms` as the venue is to take them) to venue `index`.
    mutating func submit(_ order: ClientOrder, number: UInt64, terms: OrderTerms, to index: Int) {
        state.venueOfOrder[number] = index
        let request = VenueRequest(number: number, order: order, terms: terms, owner: state.owner(of: order.terms.account))
        guard var venue = take(index) else { return }
        var output = VenueOutput()
        venue.submit(request, now: now, into: &output)
        put(venue, at: index, output)
    }

    /// Asks `order`'s venue to cancel it, or (with `newTerms`) to replace it.
    mutating func change(_ order: ClientOrder, to newTerms: OrderTerms? = nil) {
        guard let (index, number) = placement(of: order), var venue = take(index) else { return }
        let request = VenueRequest(number: number, order: order, owner: state.owner(of: order.terms.account))
        var output = VenueOutput()
        if let newTerms {
            venue.replace(request, with: newTerms, now: now, into: &output)
        } else {
            venue.cancel(request, now: now, into: &output)
        }
        put(venue, at: index, output)
    }

    /// Every venue's clock to `now`.
    mutating func advanceVenues() {
        for index in state.venues.indices {
            guard var venue = take(index) else { continue }
            var output = VenueOutput()
            venue.advance(to: now, into: &output)
            put(venue, at: index, output)
        }
    }

    /// A message from a FIX venue's session (`session`, its TargetCompID).
    mutating func venueMessage(_ message: FIXMessage, from session: String) {
        guard let index = state.venueBySession[session], var venue = take(index) else { return }
        var output = VenueOutput()
        venue.received(message, now: now, order: { order(number: $0) }, into: &output)
        put(venue, at: index, output)
    }

    /// A FIX venue's session logged on or went away. While it is away, every OMS with orders
    /// working there is told their state is unknown until it is back.
    mutating func venueConnected(_ session: String, up: Bool) {
        guard let index = state.venueBySession[session], var venue = take(index) else { return }
        var output = VenueOutput()
        venue.connected(up, now: now, order: { order(number: $0) }, into: &output)
        let name = venue.name
        put(venue, at: index, output)
        guard !up else { return }
        for (number, _) in state.venueOfOrder.filter({ $0.value == index }).sorted(by: { $0.key < $1.key }) {
            guard var order = order(number: number), !order.status.isTerminal else { continue }
            var report = order.statusReport()
            report.text = "venue \(name) disconnected: the order's state there is unknown until it reconnects"
            send(report, to: order.session)
            state.orders[order.orderID] = order
        }
    }

    /// The gateway's order numbered `number`.
    func order(number: UInt64) -> ClientOrder? {
        state.orderIDByVenueID[number].flatMap { state.orders[$0] }
    }

    /// Runs `body` on the in-process venue's market (nil when there is none), in place.
    mutating func withMarket<Result>(_ body: (inout SimulatedVenue) -> Result) -> Result? {
        guard let index = state.priceVenue else { return nil }
        var taken = take(index)
        guard var inProcess = taken as? InProcessVenue else {
            state.venues[index] = taken
            return nil
        }
        taken = nil  // `inProcess` now holds the only reference to the market: it changes in place
        defer { state.venues[index] = inProcess }
        return body(&inProcess.market)
    }

    /// Moves the in-process market's prices (a shock, a price set) and follows the client
    /// events it caused.
    mutating func moveMarket(_ change: (inout SimulatedVenue) throws(SimulatedVenueError) -> [VenueEvent]) -> Result<Void, SimulatedVenueError> {
        let moved: Result<[VenueEvent], SimulatedVenueError>? = withMarket { market in
            do throws(SimulatedVenueError) { return .success(try change(&market)) } catch { return .failure(error) }
        }
        switch moved {
        case .success(let events): apply(venue: events)
        case .failure(let error): return .failure(error)
        case nil: break
        }
        return .success(())
    }
}
