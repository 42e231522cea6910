import FIXCodec
import Instruments
import Positions
import Testing

/// Unrealised P&L against marks, and rolling the book from one trading day to the next.
@Suite struct MarksAndDaysTests {
    @Test func negativeMarkOnALongPosition() throws {
        var desk = Blotter()
        // Long 1 CLK0 @ 1.00 on 20 April 2020; it settled at −37.63.
        try desk.trade("A", .buy, 1, "CLK0", at: "1.00")
        try desk.book.mark(symbol: "CLK0", price: dec("-37.63"))
        let position = try desk.position("A", "CLK0")
        // (−37.63 − 1.00) × 1 × 1000 = −38,630.
        #expect(position.unrealised == -38_630)
        #expect(position.unrealised.description == "-38630.00")
        #expect(position.dayPnL == -38_630)
        // Notional at the mark is negative; gross exposure is its size.
        #expect(position.netExposure == -37_630)
        #expect(position.grossExposure == 37_630)
        #expect(desk.book.dayPnL(account: "A") == -38_630)
    }

    @Test func unrealisedFollowsTheMark() throws {
        var desk = Blotter()
        try desk.trade("A", .buy, 3, "CLF7", at: "75.20")
        try desk.trade("A", .buy, 2, "CLF7", at: "75.30")
        try desk.trade("A", .sell, 4, "CLF7", at: "75.50")
        // Until the venue marks the symbol, it is valued at the last fill.
        var position = try desk.position("A", "CLF7")
        #expect(position.mark == PositionMark(price: dec("75.50"), source: .lastFill))
        #expect(position.unrealised == 260)                      // (75.50 − 75.24) × 1 × 1000

        try desk.book.mark(symbol: "CLF7", price: dec("75.60"))
        position = try desk.position("A", "CLF7")
        #expect(position.mark.source == .venue)
        #expect(position.unrealised == 360)                      // (75.60 − 75.24) × 1 × 1000
        #expect(position.dayPnL == 1_400)                        // 1,040 realised + 360

        try desk.book.mark(symbol: "CLF7", price: dec("74.24"))
        #expect(try desk.position("A", "CLF7").unrealised == -1_000)

        // With a venue mark, fills no longer move it.
        try desk.trade("A", .buy, 1, "CLF7", at: "75.00")
        position = try desk.position("A", "CLF7")
        #expect(position.mark == PositionMark(price: dec("74.24"), source: .venue))
        #expect(position.costBasis == 150_240)
        #expect(position.unrealised == dec("-1760"))              // 2 × 74,240 − 150,240
    }

    @Test func aFillMovesTheLastFillMarkForEveryAccount() throws {
        var desk = Blotter()
        try desk.trade("A", .buy, 1, "CLF7", at: "75.00")
        try desk.trade("B", .buy, 1, "CLF7", at: "75.40")
        #expect(try desk.position("A", "CLF7").unrealised == 400)
    }

    @Test func dayRollRebasesCarriedPositionsAtSettlement() throws {
        var desk = Blotter()
        try desk.trade("A", .buy, 2, "CLF7", at: "75.00")
        #expect(try desk.trade("A", .sell, 1, "CLF7", at: "76.00") == 1_000)
        try desk.trade("A", .buy, 1, "RBF7", at: "2.0000", .rb)
        try desk.trade("A", .sell, 1, "RBF7", at: "2.0100", .rb)    // 0.01 × 42,000 = 420, flat
        try desk.book.mark(symbol: "CLF7", price: dec("76.50"))
        #expect(desk.book.dayPnL(account: "A") == 2_920)            // 1,000 + 420 + 1,500

        // The closing day, valued at settlement: 1,000 + (76.20 − 75.00) × 1000.
        let closing = try desk.book.startDay(settlements: ["CLF7": dec("76.20"), "CLG7": dec("76.00")])
        #expect(closing.map(\.symbol) == ["CLF7", "RBF7"])
        #expect(closing[0].mark == PositionMark(price: dec("76.20"), source: .settlement))
        #expect(closing[0].dayPnL == 2_200)
        #expect(closing[1].realised == 420)

        // The new day: realised reset, carried position at settlement, flat RB gone.
        var position = try desk.position("A", "CLF7")
        #expect(position.quantity == 1)
        #expect(position.averagePrice == dec("76.20"))
        #expect(position.realised.isZero)
        #expect(position.unrealised.isZero)
        #expect(position.fillCount == 0)
        #expect(position.mark.source == .settlement)
        #expect(desk.book.position(account: "A", symbol: "RBF7") == nil)
        #expect(desk.book.currentMark(symbol: "CLG7") == PositionMark(price: dec("76.00"), source: .settlement))

        try desk.book.mark(symbol: "CLF7", price: dec("75.90"))
        #expect(desk.book.dayPnL(account: "A") == -300)             // (75.90 − 76.20) × 1000
        #expect(try desk.trade("A", .sell, 1, "CLF7", at: "76.00") == -200)
        position = try desk.position("A", "CLF7")
        #expect(position.quantity == 0)
        #expect(desk.book.dayPnL(account: "A") == -200)

        // The next roll drops the now-flat position.
        try desk.book.startDay(settlements: [:])
        #expect(desk.book.accounts.isEmpty)
        #expect(desk.book.totals() == .zero)
    }

    @Test func dayRollNeedsASettlementForEveryOpenSymbol() throws {
        var desk = Blotter()
        try desk.trade("A", .buy, 1, "CLF7", at: "75.00")
        try desk.trade("B", .sell, 1, "HOF7", at: "2.4000", .ho)
        try desk.trade("B", .buy, 1, "RBF7", at: "2.0000", .rb)
        try desk.trade("B", .sell, 1, "RBF7", at: "2.0000", .rb)   // flat: needs no settlement
        let before = desk.book.positions()
        #expect(throws: PositionsError.missingSettlements(symbols: ["CLF7", "HOF7"])) {
            try desk.book.startDay(settlements: ["CLG7": dec("75")])
        }
        #expect(desk.book.positions() == before)
        #expect(PositionsError.missingSettlements(symbols: ["CLF7", "HOF7"]).description
                == "no settlement price for open positions in CLF7, HOF7")
    }

    @Test func settlementMayBeNegative() throws {
        var desk = Blotter()
        try desk.trade("A", .buy, 1, "CLK0", at: "1.00")
        let closing = try desk.book.startDay(settlements: ["CLK0": dec("-37.63")])
        #expect(closing.first?.dayPnL == -38_630)
        let position = try desk.position("A", "CLK0")
        #expect(position.averagePrice == dec("-37.63"))
        #expect(position.costBasis == -37_630)
        try desk.book.mark(symbol: "CLK0", price: dec("10.01"))
        #expect(desk.book.dayPnL(account: "A") == 47_640)            // (10.01 + 37.63) × 1000
    }
}
