import FIXCodec
import Instruments
import MarketData

/// One contract's price on one trading day as a signal's history takes it: its settlement (or
/// the day's last mark), with the day's open, high and low when the source has them.
public struct DailySettlement: Sendable, Hashable {
    public var date: CalendarDate
    /// The contract, as the reference data listed it that day (root, month, last trade date).
    public var instrument: Instrument
    public var open: FIXDecimal?
    public var high: FIXDecimal?
    public var low: FIXDecimal?
    public var settlement: FIXDecimal
    public var volume: Int64

    public init(date: CalendarDate, instrument: Instrument, open: FIXDecimal? = nil, high: FIXDecimal? = nil, low: FIXDecimal? = nil,
                settlement: FIXDecimal, volume: Int64 = 0) {
        self.date = date
        self.instrument = instrument
        self.open = open
        self.high = high
        self.low = low
        self.settlement = settlement
        self.volume = volume
    }
}

/// A history file that cannot be read: the file, the line (1 is the header) and what is wrong.
public struct SettlementHistoryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}

/// Daily settlements per contract as CSV, the format the profile's `SignalHistory=` names and
/// `wellhead signals sample` writes:
///
///     date,symbol,open,high,low,settlement,volume
///     2024-01-02,CLG4,71.65,72.41,69.90,70.38,301234
///
/// `date` (ISO, the trading day) and `symbol` (as the reference data lists it that day) and
/// `settlement` are required; `open`, `high`, `low` and `volume` may be left out, as columns or
/// as empty fields. Columns are found by their header's names, in any order.
public enum SettlementHistory {
    public static let header = "date,symbol,open,high,low,settlement,volume"

    /// The rows of `text`, oldest day first. `instrument` finds a symbol as the reference data
    /// listed it on a day; a symbol it does not know is an error naming the line.
    public static func parse(csv text: String, file: String, instrument: (CalendarDate, String) -> Instrument?)
        throws(SettlementHistoryError) -> [DailySettlement] {
        var rows: [DailySettlement] = []
        var columns: [String: Int] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if columns.isEmpty {
                for (index, name) in fields.enumerated() { columns[name.lowercased()] = index }
                for required in ["date", "symbol", "settlement"] where columns[required] == nil {
                    throw SettlementHistoryError(file: file, line: lineNumber, message: "the header has no '\(required)' column (expected \(header))")
                }
                continue
            }
            func field(_ name: String) -> String? {
                guard let index = columns[name], index < fields.count, !fields[index].isEmpty else { return nil }
                return fields[index]
            }
            func price(_ name: String) throws(SettlementHistoryError) -> FIXDecimal? {
                guard let text = field(name) else { return nil }
                guard let value = FIXDecimal(text) else {
                    throw SettlementHistoryError(file: file, line: lineNumber, message: "\(name) '\(text)' is not a decimal")
                }
                return value
            }
            guard let dateText = field("date"), let date = CalendarDate(iso: dateText) else {
                throw SettlementHistoryError(file: file, line: lineNumber, message: "date '\(field("date") ?? "")' is not YYYY-MM-DD")
            }
            guard let symbol = field("symbol") else {
                throw SettlementHistoryError(file: file, line: lineNumber, message: "no symbol")
            }
            guard let listed = instrument(date, symbol), listed.kind == .future else {
                throw SettlementHistoryError(file: file, line: lineNumber, message: "\(symbol) is not a futures contract listed on \(dateText)")
            }
            guard let settlement = try price("settlement") else {
                throw SettlementHistoryError(file: file, line: lineNumber, message: "no settlement")
            }
            let (open, high, low) = (try price("open"), try price("high"), try price("low"))
            if let high, let low, high < low {
                throw SettlementHistoryError(file: file, line: lineNumber, message: "high \(high) is below low \(low)")
            }
            var volume: Int64 = 0
            if let text = field("volume") {
                guard let parsed = Int64(text), parsed >= 0 else {
                    throw SettlementHistoryError(file: file, line: lineNumber, message: "volume '\(text)' is not a whole number of contracts")
                }
                volume = parsed
            }
            rows.append(DailySettlement(date: date, instrument: listed, open: open, high: high, low: low, settlement: settlement, volume: volume))
        }
        if columns.isEmpty { throw SettlementHistoryError(file: file, line: max(1, lineNumber), message: "empty: expected the header \(header)") }
        return rows.sorted { ($0.date, $0.instrument.symbol) < ($1.date, $1.instrument.symbol) }
    }

    /// The file's note on where its prices come from: its first `#` line, without the `#`.
    public static func note(in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("#") {
            return line.dropFirst().trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// The CSV of `rows` (a `#` line with `note` when given, then ``header``), as
    /// ``parse(csv:file:instrument:)`` reads it.
    public static func csv(_ rows: [DailySettlement], note: String? = nil) -> String {
        var text = note.map { "# \($0)\n" } ?? ""
        text += header + "\n"
        for row in rows {
            let fields = [row.date.description, row.instrument.symbol, row.open?.description ?? "", row.high?.description ?? "",
                          row.low?.description ?? "", row.settlement.description, String(row.volume)]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }
}

extension SignalSet {
    /// Feeds a history of daily prices (oldest day first) as the daily bars, curves and spreads
    /// they make, so the signals start with weeks of history instead of none: for each day, each
    /// root's curve from its contracts still trading, the cracks and Brent−WTI from the front
    /// months, then a daily bar of each root's front month (its open, high and low when the
    /// history has them, else the settlement) ending at the day's end (`dayEnd`).
    ///
    /// Only a configuration on daily bars reads it (returns 0 otherwise). Direction changes it
    /// makes go into each root's record (so the desk sees a signal's record from the start),
    /// never to the journal: nobody was shown them. Returns the days read.
    @discardableResult
    public mutating func backfill(_ history: [DailySettlement], dayEnd: (CalendarDate) -> Int64) -> Int {
        guard configuration.interval == .oneDay, !history.isEmpty else { return 0 }
        var days = 0
        var start = history.startIndex
        while start < history.endIndex {
            let date = history[start].date
            var end = start
            while end < history.endIndex, history[end].date == date { end += 1 }
            var byRoot: [String: [DailySettlement]] = [:]
            for row in history[start..<end] where row.instrument.lastTradeDate >= date {
                byRoot[row.instrument.root, default: []].append(row)
            }
            for root in byRoot.keys { byRoot[root]?.sort { $0.instrument.month < $1.instrument.month } }
            let time = dayEnd(date)
            for (index, engine) in engines.enumerated() {
                guard let months = byRoot[engine.root], months.count >= 2 else { continue }
                let points = months.enumerated().map { position, row in
                    CurvePoint(book: BookID(rawValue: Int32(position)), symbol: row.instrument.symbol, month: row.instrument.month,
                               lastTradeDate: row.instrument.lastTradeDate, price: row.settlement)
                }
                if let observation = CurveObservation(curve: FuturesCurve(root: engine.root, points: points)) {
                    update(curve: observation, root: index)
                }
            }
            for kind in SpreadKind.allCases {
                let legs = kind.legRoots.compactMap { byRoot[$0]?.first?.settlement }
                update(spread: kind, price: legs.count == kind.legRoots.count ? kind.value(legPrices: legs) : nil)
            }
            for index in engines.indices {
                guard let front = byRoot[engines[index].root]?.first else { continue }
                let close = front.settlement
                let high = [front.high, front.open, close].compactMap { $0 }.max() ?? close
                let low = [front.low, front.open, close].compactMap { $0 }.min() ?? close
                let bar = SignalBar(open: (front.open ?? close).signalValue, high: high.signalValue, low: low.signalValue,
                                    close: close.signalValue, volume: Double(front.volume))
                update(bar: bar, root: index, time: time, month: front.instrument.month)
            }
            days += 1
            start = end
        }
        return days
    }
}

extension SettlementHistory {
    /// Daily prices from prices seen through the day (a journal's market-data snapshots): each
    /// contract's first, highest, lowest and last price of each trading day, the last standing
    /// for the settlement. `marks` in time order; `tradingDate` says which day a time belongs
    /// to; prices of symbols `instrument` does not list that day are left out.
    public static func daily(fromMarks marks: [(time: Int64, symbol: String, price: FIXDecimal)], tradingDate: (Int64) -> CalendarDate,
                             instrument: (CalendarDate, String) -> Instrument?) -> [DailySettlement] {
        var days = DailyMarks()
        for mark in marks { days.add(date: tradingDate(mark.time), symbol: mark.symbol, price: mark.price, instrument: instrument) }
        return days.settlements
    }
}

/// Daily prices folded from prices seen through the day, one price at a time, so a reader of
/// months of snapshots keeps one row per contract and day rather than every price: each
/// contract's first, highest, lowest and last price of each trading day, the last standing for
/// the settlement.
public struct DailyMarks: Sendable {
    private struct Key: Hashable {
        var date: CalendarDate
        var symbol: String
    }

    private var days: [Key: DailySettlement] = [:]

    public init() {}

    /// Whether no price was kept.
    public var isEmpty: Bool { days.isEmpty }

    /// A price of `symbol` on the trading day `date`, in time order with the others of that
    /// day; one of a symbol `instrument` does not list as a future that day is left out.
    public mutating func add(date: CalendarDate, symbol: String, price: FIXDecimal, instrument: (CalendarDate, String) -> Instrument?) {
        let key = Key(date: date, symbol: symbol)
        if var day = days[key] {
            day.high = max(day.high ?? price, price)
            day.low = min(day.low ?? price, price)
            day.settlement = price
            days[key] = day
        } else if let listed = instrument(date, symbol), listed.kind == .future {
            days[key] = DailySettlement(date: date, instrument: listed, open: price, high: price, low: price, settlement: price)
        }
    }

    /// The days kept, oldest first, then by symbol.
    public var settlements: [DailySettlement] {
        days.values.sorted { ($0.date, $0.instrument.symbol) < ($1.date, $1.instrument.symbol) }
    }

    /// The days up to and including `date`, oldest first, then by symbol, no longer kept: a
    /// day that has ended.
    public mutating func take(through date: CalendarDate) -> [DailySettlement] {
        let ended = days.filter { $0.key.date <= date }
        for key in ended.keys { days[key] = nil }
        return ended.values.sorted { ($0.date, $0.instrument.symbol) < ($1.date, $1.instrument.symbol) }
    }
}
