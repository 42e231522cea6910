import FIXCodec
import Instruments
import MarketData

/// Every root's signal engine and the desk's spread signals, as the appliance keeps them: one
/// value fed by the normalizer's events, whose updates return what changed.
///
/// The spreads are observed once per bar time: the first root's bar that ends later than the
/// last observation takes one observation of each spread (its latest price), and that bar's
/// update reports the spread states that changed; the other roots' bars of the same time read
/// the same states. Resolve a root's index once (`index(of:)`) and update by index: no string
/// is compared per bar.
public struct SignalSet: Sendable {
    public let configuration: SignalConfiguration
    /// One engine per configured root, in root order.
    public private(set) var engines: [SignalEngine]
    public private(set) var spreads: SpreadBoard
    /// The end of the bar that last took the spreads' observation.
    public private(set) var spreadsObservedAt: Int64 = .min

    public init(configuration: SignalConfiguration = .standard, recordCapacity: Int = 100) {
        self.configuration = configuration
        engines = configuration.roots.keys.sorted().map { root in
            SignalEngine(root: root, configuration: configuration.roots[root]!, recordCapacity: recordCapacity)
        }
        spreads = SpreadBoard(parameters: configuration.spreads)
    }

    /// The index of `root`'s engine; `nil` for a root the configuration does not list.
    public func index(of root: String) -> Int? { engines.firstIndex { $0.root == root } }

    public func engine(_ root: String) -> SignalEngine? { index(of: root).map { engines[$0] } }

    /// Holds a root's live curve until its next bar (a root not configured is ignored).
    public mutating func update(curve: FuturesCurve) {
        guard let index = index(of: curve.root) else { return }
        engines[index].update(curve: curve)
    }

    public mutating func update(curve: CurveObservation, root index: Int) { engines[index].update(curve: curve) }

    /// The root at `index` carries on from a record and a direction made before
    /// (``SignalEngine/resume(record:direction:)``).
    public mutating func resume(root index: Int, record: SignalRecord, direction: SignalDirection?) {
        engines[index].resume(record: record, direction: direction)
    }

    /// Holds a spread's live price ($/bbl) until the next observation.
    public mutating func update(spread: SpreadKind, price: Double?) { spreads.update(spread: spread, price: price) }

    public mutating func update(spread: SpreadKind, price: FIXDecimal?) { spreads.update(spread: spread, price: price) }

    /// A closed bar of the front month of the root at `index`, `time` its end.
    @discardableResult
    public mutating func update(bar: SignalBar, root index: Int, time: Int64, month: ContractMonth? = nil) -> SignalUpdate {
        var spreadChanges = SpreadStateChanges()
        if time > spreadsObservedAt {
            spreadChanges = spreads.observe(time: time)
            spreadsObservedAt = time
        }
        return engines[index].update(bar: bar, time: time, month: month, spreads: spreads.readings).with(spreadChanges: spreadChanges)
    }
}
