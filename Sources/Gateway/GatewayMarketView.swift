import FIXCodec

/// The market as the gateway's normalizer and signals have it, for the console: the derived
/// prices (calendar spreads, cracks, Brent−WTI) and each root's composite signal.
public struct GatewayMarketView: Sendable {
    public struct Derived: Sendable {
        public var symbol: String
        public var price: FIXDecimal
        /// `USD/bbl` and the like, as the reference data states it.
        public var unit: String
    }

    public struct Signal: Sendable {
        public var root: String
        public var direction: String
        /// The composite's score at four decimals; `nil` while no contributor has a value.
        public var score: FIXDecimal?
        public var confidence: FIXDecimal
    }

    public var derived: [Derived]
    public var signals: [Signal]
}

extension GatewayMarketData {
    func view() -> GatewayMarketView {
        withState { normalizer, signals in
            GatewayMarketView(
                derived: normalizer.derivedInstruments.compactMap { instrument in
                    normalizer.derivedPrice(instrument.id).map { .init(symbol: instrument.symbol, price: $0, unit: instrument.priceUnit) }
                },
                signals: signals.set.engines.map { engine in
                    .init(root: engine.root, direction: engine.direction.rawValue, score: engine.score.map(GatewaySignals.decimal),
                          confidence: GatewaySignals.decimal(engine.confidence))
                })
        }
    }
}

extension GatewayApplication {
    /// The normalizer's derived prices and the signals, as they stand (read under the market
    /// data's own lock, from anywhere).
    public func marketView() -> GatewayMarketView { marketData.view() }
}
