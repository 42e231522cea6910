/// One bar as the indicators read it: open, high, low and close in price units, and the
/// volume traded over the bar. Plain `Double`s: signals are analytics, never on the order path.
///
/// The indicators take bars of any interval (1m, 5m, 1h, 1d): an indicator's period counts
/// bars, whatever their length.
public struct SignalBar: Sendable, Hashable {
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double

    public init(open: Double, high: Double, low: Double, close: Double, volume: Double = 0) {
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }
}
