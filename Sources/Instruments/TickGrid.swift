import FIXCodec

/// Prices as whole numbers of ticks: what the order book and risk arithmetic run on.
///
/// The tick size is normalized (`0.0100` becomes `0.01`), so a price in ticks converts back
/// at the tick's own scale: CL tick 0.01, `7525` ticks is `75.25`.
public struct TickGrid: Sendable, Hashable {
    /// The step, positive.
    public let tickSize: FIXDecimal

    /// A grid with step `tickSize`, which must be positive.
    public init(tickSize: FIXDecimal) {
        precondition(tickSize > .zero, "tick size must be positive, got \(tickSize)")
        self.tickSize = tickSize.normalized
    }

    /// The price in ticks, `nil` when it is between two ticks or the count overflows `Int64`.
    public func ticks(for price: FIXDecimal) -> Int64? {
        let scale = max(price.scale, tickSize.scale)
        let priceUnits = Int128(price.mantissa) * Int128(Self.powerOfTen(scale - price.scale))
        let tickUnits = Int128(tickSize.mantissa) * Int128(Self.powerOfTen(scale - tickSize.scale))
        guard priceUnits % tickUnits == 0 else { return nil }
        let ticks = priceUnits / tickUnits
        guard ticks >= Int128(Int64.min), ticks <= Int128(Int64.max) else { return nil }
        return Int64(ticks)
    }

    /// Whether the price lies on the grid.
    public func contains(_ price: FIXDecimal) -> Bool { ticks(for: price) != nil }

    /// The price of a tick count, at the tick size's scale. Traps if the price overflows a
    /// `FIXDecimal` (beyond 9.2 × 10^18 tick-size units), as integer arithmetic does.
    public func price(ticks: Int64) -> FIXDecimal {
        let (mantissa, overflow) = ticks.multipliedReportingOverflow(by: tickSize.mantissa)
        precondition(!overflow, "\(ticks) ticks of \(tickSize) overflow a decimal price")
        return FIXDecimal(mantissa: mantissa, scale: tickSize.scale)
    }

    /// The nearest tick count to a price, halves away from zero (for marks and simulated
    /// prices that come from arithmetic rather than from an order); `nil` on overflow.
    public func nearestTicks(to price: FIXDecimal) -> Int64? {
        let scale = max(price.scale, tickSize.scale)
        let priceUnits = Int128(price.mantissa) * Int128(Self.powerOfTen(scale - price.scale))
        let tickUnits = Int128(tickSize.mantissa) * Int128(Self.powerOfTen(scale - tickSize.scale))
        var ticks = priceUnits / tickUnits
        let remainder = priceUnits % tickUnits
        if remainder.magnitude * 2 >= tickUnits.magnitude { ticks += priceUnits < 0 ? -1 : 1 }
        guard ticks >= Int128(Int64.min), ticks <= Int128(Int64.max) else { return nil }
        return Int64(ticks)
    }

    private static func powerOfTen(_ exponent: UInt8) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result &*= 10 }
        return result
    }
}

/// Why an order price was refused, naming the instrument, the price and the rule.
public struct InstrumentPriceError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// Between two ticks of this size.
        case offTick(tickSize: FIXDecimal)
        /// Below zero on an instrument that does not allow negative prices.
        case negative
        /// No instrument has this symbol.
        case unknownSymbol
    }

    public var symbol: String
    public var price: FIXDecimal
    public var reason: Reason

    public init(symbol: String, price: FIXDecimal, reason: Reason) {
        self.symbol = symbol
        self.price = price
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .offTick(let tickSize): "\(symbol): price \(price) is not a multiple of the tick size \(tickSize)"
        case .negative: "\(symbol): price \(price) is negative and \(symbol) does not allow negative prices"
        case .unknownSymbol: "\(symbol): no such instrument (price \(price))"
        }
    }
}
