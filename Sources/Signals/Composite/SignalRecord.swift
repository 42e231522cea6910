import Instruments

/// What followed one direction change: the front month's return over the signal's horizon.
public struct SignalOutcome: Sendable, Hashable {
    public var change: DirectionChange
    /// When the outcome was measured (the end of the first bar at or after `change.time +
    /// change.horizon`, or the last bar of the contract if it rolled first) and the price then.
    public var exitTime: Int64
    public var exitPrice: Double
    /// `(exit − entry) / |entry|`: the front month's own return.
    public var priceReturn: Double
    /// `priceReturn` in the signal's direction: as is for LONG, negated for SHORT, 0 for NEUTRAL.
    public var signalReturn: Double
    /// The front month rolled before the horizon passed, so the return runs only to its last bar.
    public var cutShortByRoll: Bool

    public init(change: DirectionChange, exitTime: Int64, exitPrice: Double, priceReturn: Double, signalReturn: Double,
                cutShortByRoll: Bool) {
        self.change = change
        self.exitTime = exitTime
        self.exitPrice = exitPrice
        self.priceReturn = priceReturn
        self.signalReturn = signalReturn
        self.cutShortByRoll = cutShortByRoll
    }

    /// A LONG or SHORT whose signed return is above zero.
    public var isWin: Bool { change.direction != .neutral && signalReturn > 0 }
}

/// A root's signal record: each direction change kept with what followed it.
///
/// A change waits until its horizon has passed, then is measured at the first front-month
/// close at or after `time + horizon`: the return is the front month's from the change's close
/// to that one. The return is measured on the contract that was front at the change: when the
/// caller says which month each bar is and the front rolls first, the outcome is measured at
/// that contract's last close (`cutShortByRoll`), never across two contracts.
///
/// Win rate, average return and the number of signals count LONG and SHORT changes only (a
/// change to NEUTRAL closes a view rather than taking one, and has no side to win with); those
/// are kept among the outcomes too. The statistics cover every signal measured; `recent` keeps
/// the last `capacity` outcomes for the console.
public struct SignalRecord: Sendable {
    public let capacity: Int
    /// LONG and SHORT changes measured.
    public private(set) var signals = 0
    public private(set) var wins = 0
    public private(set) var totalReturn = 0.0
    /// The latest outcomes, oldest first, at most `capacity`.
    public private(set) var recent: [SignalOutcome] = []
    /// Changes waiting for their horizon, oldest first.
    public private(set) var pending: [DirectionChange] = []
    /// The close of each pending change's contract at the latest bar of it: where a rolled
    /// contract's outcome is measured.
    private var lastClose: (time: Int64, price: Double)?

    public init(capacity: Int = 100) {
        precondition(capacity >= 1, "a record keeps at least one outcome")
        self.capacity = capacity
    }

    /// Wins over signals; `nil` before the first.
    public var winRate: Double? { signals > 0 ? Double(wins) / Double(signals) : nil }
    /// The mean signed return of the signals; `nil` before the first.
    public var averageReturn: Double? { signals > 0 ? totalReturn / Double(signals) : nil }

    /// Starts measuring a change.
    public mutating func open(_ change: DirectionChange) { pending.append(change) }

    /// Reads one front-month close (`time` the bar's end); measures each pending change whose
    /// horizon has passed, or whose contract has rolled off. Returns how many were measured.
    @discardableResult
    public mutating func observe(close price: Double, month: ContractMonth?, time: Int64) -> Int {
        var measured = 0
        while let first = pending.first {
            if let entryMonth = first.frontMonth, let month, month != entryMonth {
                let last = lastClose ?? (first.time, first.frontPrice)
                close(first, at: last.time, price: last.price, cutShort: true)
            } else if time >= first.time + first.horizon {
                close(first, at: time, price: price, cutShort: false)
            } else {
                break
            }
            pending.removeFirst()
            measured += 1
        }
        lastClose = (time, price)
        return measured
    }

    /// Puts back what a record held before a restart (its journaled outcomes and the changes
    /// still waiting, oldest first), as if measured here: the statistics count each outcome,
    /// and the pending changes are measured at the bars to come.
    public mutating func restore(outcomes: [SignalOutcome], pending changes: [DirectionChange]) {
        for outcome in outcomes { add(outcome) }
        pending.append(contentsOf: changes)
    }

    private mutating func close(_ change: DirectionChange, at time: Int64, price: Double, cutShort: Bool) {
        let entry = change.frontPrice
        let priceReturn = entry != 0 ? (price - entry) / abs(entry) : 0
        add(SignalOutcome(change: change, exitTime: time, exitPrice: price, priceReturn: priceReturn,
                          signalReturn: priceReturn * change.direction.sign, cutShortByRoll: cutShort))
    }

    private mutating func add(_ outcome: SignalOutcome) {
        let change = outcome.change
        if change.direction != .neutral {
            signals += 1
            totalReturn += outcome.signalReturn
            if outcome.isWin { wins += 1 }
        }
        if recent.count == capacity { recent.removeFirst() }
        recent.append(outcome)
    }
}
