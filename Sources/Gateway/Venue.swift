import FIXCodec
import Foundation
import Instruments
import OrderEntry

/// A place the gateway's orders go: the in-process simulated venue (``InProcessVenue``), a
/// venue reached over FIX (``FIXVenue``), or any other kind that takes an order's requests and
/// reports back in ``VenueEvent``s (an execution algorithm working a parent order, later).
///
/// The gateway is OMS sessions, the risk sidecar and a router over its venues: the router picks
/// a venue by the name an order gives (ExDestination or SecurityExchange) and from then on
/// hands that order's requests to it; what comes back goes through the one order state machine
/// (``ClientOrder``). A venue is a value the gateway's state owns, so it runs on the gateway's
/// executor and needs no lock of its own.
public protocol Venue: Sendable {
    /// What texts call the venue (the name orders give it).
    var name: String { get }
    /// Why a new order in `symbol` cannot go to this venue now (not connected, halted, outside
    /// its trading hours), in words for the reject's Text; `nil` when it can.
    mutating func refusal(newOrderIn symbol: String, now: Int64) -> String?
    /// Why a cancel (or a replace) of `request` cannot reach this venue now; `nil` when it can.
    func refusal(changing request: VenueRequest, replace: Bool) -> String?

    mutating func submit(_ request: VenueRequest, now: Int64, into output: inout VenueOutput)
    mutating func cancel(_ request: VenueRequest, now: Int64, into output: inout VenueOutput)
    mutating func replace(_ request: VenueRequest, with terms: OrderTerms, now: Int64, into output: inout VenueOutput)

    /// A working order the gateway restored from its journal after a restart: the venue is to
    /// hold it as it was, reporting nothing the OMS already knows.
    mutating func restore(_ request: VenueRequest, now: Int64, into output: inout VenueOutput)
    /// The venue's clock moved to `now` (every tick of the gateway's timer).
    mutating func advance(to now: Int64, into output: inout VenueOutput)
    /// The trading day ended: its day orders go, by the venue itself or on request; each is
    /// reported as a cancel, which the gateway reports to the OMS as Expired.
    mutating func endDay(dayOrders: [VenueRequest], now: Int64, into output: inout VenueOutput)
    /// Makes `catalog` what the venue lists; the symbols it lists anew.
    mutating func relist(_ catalog: InstrumentCatalog) -> [String]
    /// Forgets what it keeps about orders the gateway no longer holds (a day's end).
    mutating func forget(keeping numbers: Set<UInt64>)

    /// The venue's own prices for `symbol` (reference prices and a mark), when it has a market
    /// of its own; a FIX venue's come through its market data instead.
    func quote(symbol: String) -> MarketQuote?

    /// A message from the venue's own FIX session (an execution report, a cancel reject, a
    /// trading status). `order` finds the gateway's order by its number.
    mutating func received(_ message: FIXMessage, now: Int64, order: (UInt64) -> ClientOrder?, into output: inout VenueOutput)
    /// The venue's session logged on (`true`) or went away.
    mutating func connected(_ up: Bool, now: Int64, order: (UInt64) -> ClientOrder?, into output: inout VenueOutput)
    /// What the venue must carry over a day's end and a restart (a FIX venue's routes).
    var carried: [RouteAudit] { get }
    /// A carried record back after a restart; `false` when it is not this venue's.
    mutating func restore(_ route: RouteAudit) -> Bool
    /// Whether it can be reached and what it has halted, for the console.
    var status: VenueStatus { get }
}

/// A venue as the desk sees it: connected or not, and the halts it announced (the whole venue
/// when `symbol` is nil), in its own words.
public struct VenueStatus: Sendable, Equatable {
    public struct Halt: Sendable, Equatable {
        public var symbol: String?
        public var reason: String
    }

    public var name: String
    /// The venue's FIX session; nil for the in-process simulator.
    public var session: String?
    public var connected: Bool
    public var halts: [Halt]
}

extension Venue {
    public func quote(symbol: String) -> MarketQuote? { nil }
    public mutating func received(_ message: FIXMessage, now: Int64, order: (UInt64) -> ClientOrder?, into output: inout VenueOutput) {}
    public mutating func connected(_ up: Bool, now: Int64, order: (UInt64) -> ClientOrder?, into output: inout VenueOutput) {}
    public var carried: [RouteAudit] { [] }
    public mutating func restore(_ route: RouteAudit) -> Bool { false }
    public mutating func relist(_ catalog: InstrumentCatalog) -> [String] { [] }
    public mutating func forget(keeping numbers: Set<UInt64>) {}
    public var status: VenueStatus { VenueStatus(name: name, session: nil, connected: true, halts: []) }
}

/// One order as the router hands it to a venue.
public struct VenueRequest: Sendable {
    /// The gateway's number for the order (its OrderID's digits): the venue's events name the
    /// order by it.
    public var number: UInt64
    /// The order as the OMS sees it now.
    public var order: ClientOrder
    /// The terms to put to the venue: the OMS's, or a market order capped to a limit by the
    /// risk sidecar's market-order protection.
    public var terms: OrderTerms
    /// A small number per account for the venue's self-trade prevention.
    public var owner: UInt64

    public init(number: UInt64, order: ClientOrder, terms: OrderTerms? = nil, owner: UInt64) {
        self.number = number
        self.order = order
        self.terms = terms ?? order.terms
        self.owner = owner
    }
}

/// What a venue did in answer to one call: events for the order state machine, FIX messages
/// for its session, records for the journal, and the words for cancels nobody at the gateway
/// asked for.
public struct VenueOutput: Sendable {
    public var events: [VenueEvent] = []
    public var messages: [GatewayOutbound] = []
    /// Journal records: kind and JSON.
    public private(set) var records: [(kind: String, json: String)] = []
    /// Why the venue canceled an order on its own, by order number: the report's Text.
    public var cancelTexts: [UInt64: String] = [:]

    public init() {}

    /// Adds a journal record of `kind`.
    public mutating func record(_ kind: String, _ value: some Encodable) {
        records.append((kind, AuditJSON.encode(value)))
    }
}

/// The one JSON encoder for the gateway's journal records (set up once; encoding does not
/// change it).
enum AuditJSON {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func encode(_ value: some Encodable) -> String {
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            // The records are plain structs of strings and numbers: this cannot fail, and if it
            // ever did the journal says so rather than losing the record without a trace.
            return "{\"unencodable\":\"\(error)\"}"
        }
    }
}
