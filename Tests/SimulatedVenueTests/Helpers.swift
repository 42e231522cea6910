import FIXCodec
import Instruments
import SimulatedVenue
import Testing
import OrderEntry

/// 25 November 2026: CL's front month is January 2027 (CLF7), RB's and HO's December 2026.
func catalog() throws -> InstrumentCatalog {
    let date = try #require(CalendarDate(year: 2026, month: 11, day: 25))
    return InstrumentReference.standard.catalog(on: date)
}

/// A time on 25 November 2026, nanoseconds since the epoch, where every test's venue starts.
let t0: Int64 = 1_795_600_000_000_000_000
/// The standard settings' step.
let step: Int64 = 250_000_000

func dec(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> FIXDecimal {
    try #require(FIXDecimal(text), "not a decimal: \(text)", sourceLocation: sourceLocation)
}

/// The standard settings with no randomness: every root's fair price moves only by its drift
/// (CL's given here), so a test knows exactly where the market is after each step.
func calmSettings(clDrift: String = "0") throws -> SimulationSettings {
    var settings = SimulationSettings.standard
    for root in settings.roots.keys { settings.roots[root]?.volatility = .perStep(.zero) }
    settings.roots["CL"]?.drift = try dec(clDrift)
    return settings
}

/// A venue anchored at `t0`.
func makeVenue(seed: UInt64 = 7, settings: SimulationSettings = .standard) throws -> SimulatedVenue {
    try SimulatedVenue(catalog: try catalog(), seed: seed, settings: settings, startTime: t0)
}

func limit(_ id: UInt64, _ side: Side, _ price: String, _ quantity: Int64, symbol: String = "CLF7", owner: UInt64 = 1,
           tif: VenueTimeInForce = .day, stp: VenueSelfTradePrevention = .none) throws -> VenueOrder {
    VenueOrder(id: id, owner: owner, symbol: symbol, side: side, type: .limit(try dec(price)), quantity: quantity,
               timeInForce: tif, selfTradePrevention: stp)
}

func market(_ id: UInt64, _ side: Side, _ quantity: Int64, symbol: String = "CLF7", owner: UInt64 = 1) -> VenueOrder {
    VenueOrder(id: id, owner: owner, symbol: symbol, side: side, type: .market, quantity: quantity)
}

extension VenueEvent {
    var fill: VenueFill? { if case .fill(let fill) = self { fill } else { nil } }
    var cancelReason: VenueCancelReason? { if case .canceled(_, _, let reason) = self { reason } else { nil } }
    var rejectReason: String? { if case .rejected(_, let reason) = self { reason } else { nil } }
    var replacement: VenueReplacement? { if case .replaced(let replacement) = self { replacement } else { nil } }
    var isAccepted: Bool { if case .accepted = self { true } else { false } }
    var isStopTrigger: Bool { if case .stopTriggered = self { true } else { false } }
}

extension Array where Element == VenueEvent {
    var fills: [VenueFill] { compactMap(\.fill) }
    var cancelReasons: [VenueCancelReason] { compactMap(\.cancelReason) }
    var rejectReasons: [String] { compactMap(\.rejectReason) }
    var replacements: [VenueReplacement] { compactMap(\.replacement) }
    var filledQuantity: Int64 { fills.reduce(0) { $0 + $1.quantity } }
}
