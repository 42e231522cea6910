import MarketData

/// The technical indicators' periods, in bars of the engine's interval.
public struct IndicatorParameters: Sendable, Hashable {
    public var rsi: Int
    public var macdFast: Int
    public var macdSlow: Int
    public var macdSignal: Int
    public var atr: Int
    public var bollinger: Int
    public var bollingerDeviations: Double
    /// The rate of change's period (the `momentum` contributor, scaled by the ATR).
    public var momentum: Int

    public init(rsi: Int = 14, macdFast: Int = 12, macdSlow: Int = 26, macdSignal: Int = 9, atr: Int = 14, bollinger: Int = 20,
                bollingerDeviations: Double = 2, momentum: Int = 20) {
        self.rsi = rsi
        self.macdFast = macdFast
        self.macdSlow = macdSlow
        self.macdSignal = macdSignal
        self.atr = atr
        self.bollinger = bollinger
        self.bollingerDeviations = bollingerDeviations
        self.momentum = momentum
    }
}

/// One root's signal set: the composite's weights and thresholds, its horizon, and the
/// periods of what feeds it.
public struct RootSignalConfiguration: Sendable, Hashable {
    /// Weights in [0, 1]; a contributor not listed weighs 0 and is left out of the composite.
    public var weights: [SignalContributor: Double]
    public var thresholds: CompositeThresholds
    /// How long after a direction change its outcome is measured, in nanoseconds.
    public var horizon: Int64
    public var indicators: IndicatorParameters
    public var termStructure: TermStructureParameters

    public init(weights: [SignalContributor: Double], thresholds: CompositeThresholds = CompositeThresholds(),
                horizon: Int64 = 5 * BarInterval.oneDay.nanoseconds, indicators: IndicatorParameters = IndicatorParameters(),
                termStructure: TermStructureParameters = TermStructureParameters()) {
        self.weights = weights
        self.thresholds = thresholds
        self.horizon = horizon
        self.indicators = indicators
        self.termStructure = termStructure
    }
}

/// The signals file (`Signals=` in the profile): the bar interval the signals read, each
/// spread's window and thresholds, and each root's composite.
///
/// ```yaml
/// interval: 1d                 # 1m, 5m, 1h or 1d: the bars each root's engine is fed
/// spreads:                     # each optional; defaults window 60, entry 2, exit 0.5
///   crack321: {window: 60, entry: 2, exit: 0.5}
/// roots:
///   CL:
///     horizon: 5d              # <n>m, <n>h or <n>d
///     thresholds: {entry: 0.3, exit: 0.1, minimumConfidence: 0.2}
///     weights: {rsi: 0.1, macd: 0.15, carry: 0.2, crack321: 0.05}   # each in [0, 1]
///     indicators: {rsi: 14, macd: [12, 26, 9], atr: 14, bollinger: 20, bollingerDeviations: 2, momentum: 20}
///     termStructure: {history: 60, spreadMomentum: 10, basisMomentum: 20, carryScale: 0.2}
/// ```
///
/// Every key is checked: an unknown key, a value of the wrong type or out of range, a weight
/// on a spread the root is not a leg of, or a root whose weights are all zero is an error
/// naming the file and the key (`SignalConfigurationError`).
public struct SignalConfiguration: Sendable, Hashable {
    public var interval: BarInterval
    public var spreads: [SpreadKind: SpreadParameters]
    public var roots: [String: RootSignalConfiguration]

    public init(interval: BarInterval = .oneDay, spreads: [SpreadKind: SpreadParameters] = [:],
                roots: [String: RootSignalConfiguration] = [:]) {
        self.interval = interval
        self.spreads = spreads
        self.roots = roots
    }

    /// A spread's parameters: the file's, or the defaults (60, 2, 0.5).
    public func parameters(of spread: SpreadKind) -> SpreadParameters { spreads[spread] ?? SpreadParameters() }

    /// The configuration the appliance runs with when the profile names no signals file:
    /// `defaultYAML` parsed.
    public static let standard: SignalConfiguration = {
        do {
            return try parse(yaml: defaultYAML, file: "default signals")
        } catch {
            fatalError("the built-in signals configuration does not parse: \(error)")
        }
    }()

    /// The default signals file for CL, BZ, RB and HO on daily bars, a five-day horizon.
    ///
    /// The weights lean on what each market is known for: crude (CL, BZ) on its curve (carry,
    /// calendar spread and basis-momentum) as much as on its price, and on Brent−WTI; the
    /// products (RB, HO) on their price and on the cracks they are legs of. No root weighs a
    /// spread it is not a leg of. Tests check it parses; it is the file format's worked example.
    public static let defaultYAML = """
        # Wellhead signals: the composite's weights and thresholds per root (defaults).
        interval: 1d
        spreads:
          crack321: {window: 60, entry: 2.0, exit: 0.5}
          crack211: {window: 60, entry: 2.0, exit: 0.5}
          brentWTI: {window: 60, entry: 2.0, exit: 0.5}
        roots:
          CL:
            horizon: 5d
            thresholds: {entry: 0.3, exit: 0.1, minimumConfidence: 0.2}
            weights: {rsi: 0.10, macd: 0.15, bollinger: 0.05, momentum: 0.15, carry: 0.15, slope: 0.05, curvature: 0.0,
                      calendarSpreadMomentum: 0.10, basisMomentum: 0.10, crack321: 0.05, crack211: 0.0, brentWTI: 0.10}
          BZ:
            horizon: 5d
            thresholds: {entry: 0.3, exit: 0.1, minimumConfidence: 0.2}
            weights: {rsi: 0.10, macd: 0.15, bollinger: 0.05, momentum: 0.15, carry: 0.20, slope: 0.05, curvature: 0.0,
                      calendarSpreadMomentum: 0.10, basisMomentum: 0.10, brentWTI: 0.10}
          RB:
            horizon: 5d
            thresholds: {entry: 0.3, exit: 0.1, minimumConfidence: 0.2}
            weights: {rsi: 0.10, macd: 0.20, bollinger: 0.05, momentum: 0.20, carry: 0.10, slope: 0.05,
                      calendarSpreadMomentum: 0.05, basisMomentum: 0.05, crack321: 0.15, crack211: 0.05}
          HO:
            horizon: 5d
            thresholds: {entry: 0.3, exit: 0.1, minimumConfidence: 0.2}
            weights: {rsi: 0.10, macd: 0.20, bollinger: 0.05, momentum: 0.20, carry: 0.10, slope: 0.05,
                      calendarSpreadMomentum: 0.05, basisMomentum: 0.05, crack321: 0.05, crack211: 0.15}

        """
}

/// A signals file that cannot be used: the file, the dotted key path and what is wrong, as
/// `signals.yaml: roots.CL.weights.rsi: must be a number between 0 and 1, got 'high'`.
public struct SignalConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// `roots.CL.weights.rsi`; `nil` for the file as a whole.
    public var keyPath: String?
    /// 1-based line, when the YAML parser knows it.
    public var line: Int?
    public var message: String

    public init(file: String, keyPath: String? = nil, line: Int? = nil, message: String) {
        self.file = file
        self.keyPath = keyPath
        self.line = line
        self.message = message
    }

    public var description: String {
        guard let keyPath else { return "\(file): \(message)" }
        return "\(file): \(keyPath): \(message)"
    }
}
