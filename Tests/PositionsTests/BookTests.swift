import FIXCodec
import Instruments
import Positions
import Testing

/// Replay, totals over accounts, roots and the firm, and the fills the book refuses.
@Suite struct BookTests {
    @Test func duplicateExecIDsAreIgnored() throws {
        var desk = Blotter()
        let fills = [
            desk.fill("A", .buy, 3, "CLF7", at: "75.20", product: .cl, execID: "E1"),
            desk.fill("A", .buy, 2, "CLF7", at: "75.30", product: .cl, execID: "E2"),
            desk.fill("A", .sell, 4, "CLF7", at: "75.50", product: .cl, execID: "E3"),
        ]
        for fill in fills { try desk.book.apply(fill) }
        let once = desk.book.positions()

        // Replaying the journal, twice over, changes nothing.
        for fill in fills + fills {
            #expect(try desk.book.apply(fill) == .duplicate)
        }
        #expect(desk.book.positions() == once)
        #expect(try desk.position("A", "CLF7").realised == 1_040)
        #expect(try desk.position("A", "CLF7").fillCount == 3)
        #expect(desk.book.contains(execID: "E2"))
        #expect(!desk.book.contains(execID: "E4"))

        // Exec ids outlive the day roll, so yesterday's fills replay harmlessly too.
        try desk.book.startDay(settlements: ["CLF7": dec("75.50")])
        #expect(try desk.book.apply(fills[0]).isDuplicate)
        #expect(try desk.position("A", "CLF7").quantity == 1)
    }

    @Test func aRefusedFillDoesNotUseUpItsExecID() throws {
        var desk = Blotter()
        var fill = desk.fill("A", .buy, 0, "CLF7", at: "75.00", product: .cl, execID: "E1")
        #expect(throws: PositionsError.nonPositiveQuantity(execID: "E1", quantity: 0)) {
            try desk.book.apply(fill)
        }
        fill.quantity = 1
        #expect(try desk.book.apply(fill).realised == 0)
        #expect(try desk.position("A", "CLF7").quantity == 1)
    }

    /// A: long 2 CLF7 @ 75.00, short 1 CLG7 @ 75.50, long 1 HOF7 @ 2.4000.
    /// B: short 1 CLF7 @ 75.50, and 420 realised on RBF7 (now flat).
    /// Marks: CLF7 76.00, CLG7 75.80, HOF7 2.4100.
    private func twoAccounts() throws -> Blotter {
        var desk = Blotter()
        try desk.trade("A", .buy, 2, "CLF7", at: "75.00")
        try desk.trade("A", .sell, 1, "CLG7", at: "75.50")
        try desk.trade("A", .buy, 1, "HOF7", at: "2.4000", .ho)
        try desk.trade("B", .sell, 1, "CLF7", at: "75.50")
        try desk.trade("B", .buy, 1, "RBF7", at: "2.0000", .rb)
        try desk.trade("B", .sell, 1, "RBF7", at: "2.0100", .rb)
        try desk.book.mark(symbol: "CLF7", price: dec("76.00"))
        try desk.book.mark(symbol: "CLG7", price: dec("75.80"))
        try desk.book.mark(symbol: "HOF7", price: dec("2.4100"))
        return desk
    }

    @Test func totalsPerAccount() throws {
        let book = try twoAccounts().book
        #expect(book.accounts == ["A", "B"])
        // A: 2,000 on CLF7, −300 on CLG7, 0.01 × 42,000 = 420 on HOF7.
        let a = book.totals(account: "A")
        #expect(a.realised == 0)
        #expect(a.unrealised == 2_120)
        #expect(a.dayPnL == 2_120)
        // Notionals at the mark: 152,000, −75,800, 101,220.
        #expect(a.grossExposure == 329_020)
        #expect(a.netExposure == 177_420)
        #expect(a.positionCount == 3)
        // B: 420 realised, (75.50 − 76.00) × 1000 = −500 unrealised.
        let b = book.totals(account: "B")
        #expect(b.realised == 420)
        #expect(b.unrealised == -500)
        #expect(book.dayPnL(account: "B") == -80)
        #expect(b.grossExposure == 76_000)
        #expect(b.netExposure == -76_000)
        #expect(book.dayPnL(account: "nobody") == 0)
    }

    @Test func totalsPerRootSymbolAndFirm() throws {
        let book = try twoAccounts().book
        let crude = book.totals(root: "CL")
        #expect(crude.unrealised == 1_200)                  // 2,000 − 300 − 500
        #expect(crude.grossExposure == 303_800)             // 152,000 + 75,800 + 76,000
        #expect(crude.netExposure == 200)
        #expect(crude.positionCount == 3)
        #expect(book.totals(account: "A", root: "CL").unrealised == 1_700)
        #expect(book.totals(symbol: "CLF7").unrealised == 1_500)
        #expect(book.totals(root: "RB").realised == 420)
        #expect(book.positions(root: "CL").map(\.symbol) == ["CLF7", "CLG7", "CLF7"])

        let firm = book.totals()
        #expect(firm.realised == 420)
        #expect(firm.unrealised == 1_620)
        #expect(firm.dayPnL == 2_040)
        #expect(firm.grossExposure == 405_020)
        #expect(firm.netExposure == 101_420)
        #expect(firm.positionCount == 5)
        #expect(firm.dayPnL.description == "2040.00")
        #expect(firm.grossExposure.description == "405020.00")
    }

    @Test func fillsThatContradictTheSymbolAreRefused() throws {
        var desk = Blotter()
        try desk.trade("A", .buy, 1, "CLF7", at: "75.00")
        #expect(throws: PositionsError.instrumentMismatch(symbol: "CLF7", field: "root", held: "CL", given: "HO")) {
            try desk.trade("B", .buy, 1, "CLF7", at: "75.00", .ho)
        }
        let wrongSize = Blotter.Product(root: "CL", multiplier: 100)
        #expect(throws: PositionsError.instrumentMismatch(symbol: "CLF7", field: "multiplier",
                                                          held: "1000", given: "100")) {
            try desk.trade("B", .buy, 1, "CLF7", at: "75.00", wrongSize)
        }
        #expect(throws: PositionsError.invalidMultiplier(symbol: "QQQ", multiplier: 0)) {
            try desk.trade("B", .buy, 1, "QQQ", at: "75.00", Blotter.Product(root: "Q", multiplier: 0))
        }
        #expect(throws: PositionsError.emptyField(execID: "E9", field: "account")) {
            try desk.book.apply(desk.fill("", .buy, 1, "CLF7", at: "75.00", product: .cl, execID: "E9"))
        }
        #expect(throws: PositionsError.priceTooPrecise(symbol: "CLF7", price: dec("75.0000000001"))) {
            try desk.trade("A", .buy, 1, "CLF7", at: "75.0000000001")
        }
        #expect(throws: PositionsError.priceTooPrecise(symbol: "CLF7", price: dec("75.0000000001"))) {
            try desk.book.mark(symbol: "CLF7", price: dec("75.0000000001"))
        }
        #expect(desk.book.positions().count == 1)
        #expect(try desk.position("A", "CLF7").quantity == 1)
    }

    @Test func amountsBeyondRangeAreRefusedNotTrapped() throws {
        var desk = Blotter()
        // 9 × 10^14 contracts × 75 × 1000 does not fit 64 bits.
        #expect(throws: PositionsError.self) {
            try desk.trade("A", .buy, 900_000_000_000_000, "CLF7", at: "75.00")
        }
        try desk.trade("A", .buy, 1_000_000_000, "CLF7", at: "75.00")
        // A mark that would value the position out of range is refused and the old one kept.
        #expect(throws: PositionsError.self) {
            try desk.book.mark(symbol: "CLF7", price: dec("100000000000"))
        }
        #expect(desk.book.currentMark(symbol: "CLF7")?.price == dec("75.00"))
        #expect(desk.book.totals().netExposure == 75_000_000_000_000)
    }

    @Test func errorsNameWhatIsWrong() {
        #expect(PositionsError.instrumentMismatch(symbol: "CLF7", field: "root", held: "CL", given: "HO").description
                == "CLF7: root HO differs from CL already held for this symbol")
        #expect(PositionsError.nonPositiveQuantity(execID: "E1", quantity: -2).description
                == "fill E1: quantity -2 is not a positive number of contracts")
        #expect(PositionsError.priceTooPrecise(symbol: "CLF7", price: dec("1.0000000001")).description
                == "CLF7: price 1.0000000001 has more than 9 decimals")
    }
}
