import FIXCodec
import Instruments
import Positions
import Testing
import TestSupport

/// Seeded random blotters checked against P&L computed independently from cash flows:
/// what was paid and received, plus what the open contracts are worth at the mark. No average
/// price appears in that computation, so it cannot share a rounding mistake with the book.
@Suite struct PnLPropertyTests {
    private struct Key: Hashable { var account: String; var symbol: String }

    private struct Instrument {
        var symbol: String
        var product: Blotter.Product
        /// Prices are `mantissa × 10^-scale` with the mantissa drawn from `range`.
        var scale: UInt8
        var range: Range<Int>
    }

    private static let instruments = [
        Instrument(symbol: "CLF7", product: .cl, scale: 2, range: -5_000..<12_000),   // through negative prices
        Instrument(symbol: "CLG7", product: .cl, scale: 2, range: 6_000..<9_000),
        Instrument(symbol: "RBF7", product: .rb, scale: 4, range: 15_000..<30_000),
        Instrument(symbol: "XYZ1", product: .unit, scale: 2, range: 900..<1_100),      // half cents galore
    ]
    private static let accounts = ["A", "B", "C"]

    /// The independent ledger: cash paid (negative) or received per position, and contracts held.
    private struct CashLedger {
        var cash: [Key: FIXDecimal] = [:]
        var quantity: [Key: Int64] = [:]

        mutating func record(_ fill: Fill) {
            let key = Key(account: fill.account, symbol: fill.symbol)
            let signed = fill.side.sign * fill.quantity
            cash[key, default: .zero] -= FIXDecimal(mantissa: signed) * fill.price * fill.multiplier
            quantity[key, default: 0] += signed
        }

        /// Cash-flow P&L: cash plus the open contracts valued at `mark`.
        func pnl(_ key: Key, mark: FIXDecimal, multiplier: FIXDecimal) -> FIXDecimal {
            (cash[key] ?? .zero) + FIXDecimal(mantissa: quantity[key] ?? 0) * mark * multiplier
        }
    }

    private static func price(_ instrument: Instrument, _ random: inout SeededRandom) -> FIXDecimal {
        let span = instrument.range.count
        return FIXDecimal(mantissa: Int64(instrument.range.lowerBound + random.next(upTo: span)), scale: instrument.scale)
    }

    /// Random fills (with replays of earlier exec ids mixed in) and random marks.
    private static func randomBlotter(seed: UInt64, fills count: Int, into book: inout PositionBook,
                                      ledger: inout CashLedger, random: inout SeededRandom,
                                      onEach: (inout PositionBook, inout SeededRandom) throws -> Void = { _, _ in })
        throws {
        var applied: [Fill] = []
        for index in 0..<count {
            if !applied.isEmpty, random.next(upTo: 10) == 0 {
                let replay = applied[random.next(upTo: applied.count)]
                #expect(try book.apply(replay) == .duplicate)
                continue
            }
            let instrument = instruments[random.next(upTo: instruments.count)]
            let fill = Fill(
                account: accounts[random.next(upTo: accounts.count)], symbol: instrument.symbol,
                root: instrument.product.root, multiplier: instrument.product.multiplier,
                side: random.next(upTo: 2) == 0 ? .buy : .sell, quantity: Int64(1 + random.next(upTo: 12)),
                price: price(instrument, &random), execID: "S\(seed)-\(index)",
                time: FIXTimestamp(nanosecondsSinceEpoch: Int64(index) * 1_000_000)
            )
            try book.apply(fill)
            ledger.record(fill)
            applied.append(fill)
            if random.next(upTo: 8) == 0 {
                let marked = instruments[random.next(upTo: instruments.count)]
                try book.mark(symbol: marked.symbol, price: price(marked, &random))
            }
            try onEach(&book, &random)
        }
    }

    @Test(arguments: [1, 2, 3, 42, 2020] as [UInt64])
    func realisedPlusUnrealisedEqualsCashFlowPnL(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var book = PositionBook()
        var ledger = CashLedger()
        try Self.randomBlotter(seed: seed, fills: 600, into: &book, ledger: &ledger, random: &random)
        for instrument in Self.instruments {
            try book.mark(symbol: instrument.symbol, price: Self.price(instrument, &random))
        }

        var firmCashFlow = FIXDecimal.zero
        for position in book.positions() {
            let key = Key(account: position.account, symbol: position.symbol)
            #expect(position.quantity == ledger.quantity[key])
            let cashFlow = ledger.pnl(key, mark: position.mark.price, multiplier: position.multiplier)
            #expect(position.realised + position.unrealised == cashFlow, "\(position.account) \(position.symbol)")
            #expect(position.dayPnL == cashFlow)
            if position.quantity == 0 { #expect(position.realised == cashFlow) }
            firmCashFlow += cashFlow
        }
        #expect(book.totals().dayPnL == firmCashFlow)

        // Closing everything at the mark turns exactly the unrealised into realised.
        let before = book.positions()
        for (index, position) in before.enumerated() where position.quantity != 0 {
            try book.apply(Fill(
                account: position.account, symbol: position.symbol, root: position.root,
                multiplier: position.multiplier, side: position.quantity > 0 ? .sell : .buy,
                quantity: Int64(position.quantity.magnitude), price: position.mark.price,
                execID: "close-\(index)", time: FIXTimestamp(nanosecondsSinceEpoch: 0)
            ))
        }
        for position in before {
            let closed = try #require(book.position(account: position.account, symbol: position.symbol))
            #expect(closed.quantity == 0)
            #expect(closed.unrealised.isZero)
            #expect(closed.costBasis.isZero)
            #expect(closed.realised == position.realised + position.unrealised)
        }
        #expect(book.totals().realised == firmCashFlow)
        #expect(book.totals().grossExposure.isZero)
    }

    @Test(arguments: [7, 8, 9] as [UInt64])
    func dayPnLAcrossRollsAddsUpToCashFlowPnL(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var book = PositionBook()
        var ledger = CashLedger()
        var closedDays: [Key: FIXDecimal] = [:]
        try Self.randomBlotter(seed: seed, fills: 500, into: &book, ledger: &ledger, random: &random) { book, random in
            guard random.next(upTo: 60) == 0 else { return }
            var settlements: [String: FIXDecimal] = [:]
            for instrument in Self.instruments { settlements[instrument.symbol] = Self.price(instrument, &random) }
            for position in try book.startDay(settlements: settlements) {
                closedDays[Key(account: position.account, symbol: position.symbol), default: .zero] += position.dayPnL
            }
            #expect(book.totals().realised.isZero)
            #expect(book.totals().unrealised.isZero)
        }
        for instrument in Self.instruments {
            try book.mark(symbol: instrument.symbol, price: Self.price(instrument, &random))
        }

        // Every position ever held: the days closed plus today equal its cash flows at today's mark.
        for key in ledger.quantity.keys {
            let today = book.position(account: key.account, symbol: key.symbol)
            let instrument = try #require(Self.instruments.first { $0.symbol == key.symbol })
            let mark = try #require(book.currentMark(symbol: key.symbol)).price
            let cashFlow = ledger.pnl(key, mark: mark, multiplier: instrument.product.multiplier)
            #expect((closedDays[key] ?? .zero) + (today?.dayPnL ?? .zero) == cashFlow, "\(key)")
            #expect((today?.quantity ?? 0) == ledger.quantity[key])
        }
    }
}
