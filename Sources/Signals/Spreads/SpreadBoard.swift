import FIXCodec

/// The spread states that changed at one observation.
public struct SpreadStateChanges: Sendable, Hashable {
    public var crack321: SpreadStateChange?
    public var crack211: SpreadStateChange?
    public var brentWTI: SpreadStateChange?

    public init(crack321: SpreadStateChange? = nil, crack211: SpreadStateChange? = nil, brentWTI: SpreadStateChange? = nil) {
        self.crack321 = crack321
        self.crack211 = crack211
        self.brentWTI = brentWTI
    }

    public var isEmpty: Bool { crack321 == nil && crack211 == nil && brentWTI == nil }
}

/// A spread signal as a root's composite reads it: plain values, cheap to hand over per bar.
public struct SpreadReading: Sendable, Hashable {
    public var state: MeanReversionState
    /// `nil` until the spread's window is full.
    public var zScore: Double?
    public var entry: Double

    public init(state: MeanReversionState = .flat, zScore: Double? = nil, entry: Double = 2) {
        self.state = state
        self.zScore = zScore
        self.entry = entry
    }

    init(_ signal: SpreadSignal) {
        self.init(state: signal.state, zScore: signal.zScore, entry: signal.parameters.entry)
    }
}

/// The three spreads' readings.
public struct SpreadReadings: Sendable, Hashable {
    public var crack321: SpreadReading
    public var crack211: SpreadReading
    public var brentWTI: SpreadReading

    public init(crack321: SpreadReading = SpreadReading(), crack211: SpreadReading = SpreadReading(),
                brentWTI: SpreadReading = SpreadReading()) {
        self.crack321 = crack321
        self.crack211 = crack211
        self.brentWTI = brentWTI
    }

    /// No spread has a value yet.
    public static let none = SpreadReadings()
}

/// The three spread signals, one of each for the whole desk: the 3-2-1 crack is one series
/// whichever root reads it, so its z-score and state are kept once (and a change reported
/// once), and each root's engine reads them from here.
///
/// Live prices are held as they change (`update(spread:price:)`); `observe(time:)` takes one
/// observation of each spread that has a price, the caller choosing the cadence (`SignalSet`:
/// once per bar time, so 60 observations on daily bars are 60 days).
public struct SpreadBoard: Sendable {
    public private(set) var crack321: SpreadSignal
    public private(set) var crack211: SpreadSignal
    public private(set) var brentWTI: SpreadSignal
    /// The three as the engines read them, as of the last observation.
    public private(set) var readings = SpreadReadings.none
    private var latest321: Double?
    private var latest211: Double?
    private var latestBrentWTI: Double?

    public init(parameters: [SpreadKind: SpreadParameters] = [:]) {
        crack321 = SpreadSignal(.crack321, parameters: parameters[.crack321] ?? SpreadParameters())
        crack211 = SpreadSignal(.crack211, parameters: parameters[.crack211] ?? SpreadParameters())
        brentWTI = SpreadSignal(.brentWTI, parameters: parameters[.brentWTI] ?? SpreadParameters())
    }

    public func signal(_ spread: SpreadKind) -> SpreadSignal {
        switch spread {
        case .crack321: crack321
        case .crack211: crack211
        case .brentWTI: brentWTI
        }
    }

    /// Holds a spread's live price ($/bbl) until the next observation; `nil` (a leg without a
    /// price) keeps the last one.
    public mutating func update(spread: SpreadKind, price: Double?) {
        guard let price else { return }
        switch spread {
        case .crack321: latest321 = price
        case .crack211: latest211 = price
        case .brentWTI: latestBrentWTI = price
        }
    }

    /// A `DerivedPrice`'s exact price.
    public mutating func update(spread: SpreadKind, price: FIXDecimal?) {
        update(spread: spread, price: price?.signalValue)
    }

    /// One observation of each spread with a price; the states that changed.
    public mutating func observe(time: Int64) -> SpreadStateChanges {
        var changes = SpreadStateChanges()
        if let value = latest321 { changes.crack321 = crack321.update(value, time: time) }
        if let value = latest211 { changes.crack211 = crack211.update(value, time: time) }
        if let value = latestBrentWTI { changes.brentWTI = brentWTI.update(value, time: time) }
        readings = SpreadReadings(crack321: SpreadReading(crack321), crack211: SpreadReading(crack211), brentWTI: SpreadReading(brentWTI))
        return changes
    }
}
