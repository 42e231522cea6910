import FIXCodec
import Instruments
import Positions
import Testing

/// Average cost and realised P&L, each number worked by hand in the comments.
@Suite struct RealisedPnLTests {
    @Test func buysThenSellRealiseAgainstTheAveragePrice() throws {
        var desk = Blotter()
        // CL is $1,000 per $1 per contract. Cost: 3 × 75.20 × 1000 + 2 × 75.30 × 1000
        // = 225,600 + 150,600 = 376,200 for 5 contracts: average 75.24.
        #expect(try desk.trade("A", .buy, 3, "CLF7", at: "75.20") == 0)
        #expect(try desk.trade("A", .buy, 2, "CLF7", at: "75.30") == 0)
        var position = try desk.position("A", "CLF7")
        #expect(position.quantity == 5)
        #expect(position.costBasis == 376_200)
        #expect(position.averagePrice == dec("75.24"))

        // Sell 4 @ 75.50: (75.50 − 75.24) × 4 × 1000 = 1,040.
        let realised = try desk.trade("A", .sell, 4, "CLF7", at: "75.50")
        #expect(realised == 1_040)
        #expect(realised.description == "1040.00")
        position = try desk.position("A", "CLF7")
        #expect(position.quantity == 1)
        #expect(position.averagePrice == dec("75.24"))
        #expect(position.costBasis == 75_240)
        #expect(position.realised == 1_040)
        #expect(position.fillCount == 3)
    }

    @Test func shortPositionsRealiseWhenThePriceFalls() throws {
        var desk = Blotter()
        try desk.trade("A", .sell, 2, "CLF7", at: "80.00")
        try desk.trade("A", .sell, 2, "CLF7", at: "80.10")       // average 80.05
        #expect(try desk.position("A", "CLF7").averagePrice == dec("80.05"))
        // Buy back 3 @ 79.00: (80.05 − 79.00) × 3 × 1000 = 3,150.
        #expect(try desk.trade("A", .buy, 3, "CLF7", at: "79.00") == 3_150)
        // Buy the last @ 81.00: (80.05 − 81.00) × 1 × 1000 = −950.
        #expect(try desk.trade("A", .buy, 1, "CLF7", at: "81.00") == -950)
        let flat = try desk.position("A", "CLF7")
        #expect(flat.quantity == 0)
        #expect(flat.averagePrice == nil)
        #expect(flat.costBasis.isZero)
        #expect(flat.unrealised.isZero)
        #expect(flat.realised == 2_200)
    }

    @Test func flippingLongToShortClosesThenOpensAtTheFillPrice() throws {
        var desk = Blotter()
        try desk.trade("A", .buy, 2, "CLF7", at: "70.00")
        // Sell 5 @ 71.50: closes 2 for (71.50 − 70.00) × 2 × 1000 = 3,000, opens 3 short @ 71.50.
        #expect(try desk.trade("A", .sell, 5, "CLF7", at: "71.50") == 3_000)
        var position = try desk.position("A", "CLF7")
        #expect(position.quantity == -3)
        #expect(position.averagePrice == dec("71.50"))
        #expect(position.costBasis == -214_500)
        // Buy 3 @ 72.00: (71.50 − 72.00) × 3 × 1000 = −1,500.
        #expect(try desk.trade("A", .buy, 3, "CLF7", at: "72.00") == -1_500)
        position = try desk.position("A", "CLF7")
        #expect(position.quantity == 0)
        #expect(position.realised == 1_500)
    }

    @Test func flippingShortToLong() throws {
        var desk = Blotter()
        try desk.trade("A", .sell, 1, "CLF7", at: "80.00")
        // Buy 3 @ 79.00: closes 1 for 1,000, opens 2 long @ 79.00.
        #expect(try desk.trade("A", .buy, 3, "CLF7", at: "79.00") == 1_000)
        let position = try desk.position("A", "CLF7")
        #expect(position.quantity == 2)
        #expect(position.averagePrice == dec("79"))
        #expect(position.costBasis == 158_000)
    }

    @Test func productsInDollarsPerGallonUseTheirMultiplier() throws {
        var desk = Blotter()
        // RB: 42,000 gal, so one 0.0001 tick is $4.20 a contract.
        try desk.trade("A", .buy, 2, "RBF7", at: "2.1534", .rb)
        #expect(try desk.trade("A", .sell, 2, "RBF7", at: "2.1535", .rb) == dec("8.40"))
        #expect(try desk.position("A", "RBF7").realised.description == "8.40")

        // HO: sell 3 @ 2.4012, buy 1 @ 2.4000 → 0.0012 × 1 × 42,000 = 50.40.
        try desk.trade("A", .sell, 3, "HOF7", at: "2.4012", .ho)
        #expect(try desk.trade("A", .buy, 1, "HOF7", at: "2.4000", .ho) == dec("50.40"))
        // Mark 2.3950: (2.3950 − 2.4012) × −2 × 42,000 = 520.80.
        try desk.book.mark(symbol: "HOF7", price: dec("2.3950"))
        let position = try desk.position("A", "HOF7")
        #expect(position.averagePrice == dec("2.4012"))
        #expect(position.unrealised == dec("520.80"))
        #expect(position.unrealised.description == "520.80")
    }

    @Test func aContractSpecSuppliesRootAndMultiplier() throws {
        let rbob = ContractSpec(root: "RB", name: "RBOB Gasoline", exchange: "NYMEX", contractSize: 42_000,
                                priceUnit: "$/gal", tickSize: dec("0.0001"), tickValue: dec("4.20"))
        var book = PositionBook()
        let time = FIXTimestamp(nanosecondsSinceEpoch: 0)
        try book.apply(Fill(account: "A", symbol: "RBG7", contract: rbob, side: .buy, quantity: 1,
                            price: dec("2.0000"), execID: "R1", time: time))
        // One tick up is the contract's tick value.
        try book.mark(symbol: "RBG7", price: dec("2.0001"))
        let position = try #require(book.position(account: "A", symbol: "RBG7"))
        #expect(position.root == "RB")
        #expect(position.unrealised == rbob.tickValue)
        #expect(position.lastFillTime == time)
    }

    @Test func partialClosesRoundTheReleasedCostButNeverDrift() throws {
        var desk = Blotter()
        // Cost 75,200 + 150,420 = 225,620 for 3: average 75.20666…
        try desk.trade("A", .buy, 1, "CLF7", at: "75.20")
        try desk.trade("A", .buy, 2, "CLF7", at: "75.21")
        #expect(try desk.position("A", "CLF7").averagePrice == dec("75.20666667"))
        // Selling 1 releases 225,620 / 3 = 75,206.666… → 75,206.67: realised 75,300 − 75,206.67.
        #expect(try desk.trade("A", .sell, 1, "CLF7", at: "75.30") == dec("93.33"))
        #expect(try desk.position("A", "CLF7").costBasis == dec("150413.33"))
        // The last two release the rest exactly: 150,600 − 150,413.33.
        #expect(try desk.trade("A", .sell, 2, "CLF7", at: "75.30") == dec("186.67"))
        // 93.33 + 186.67 = 280.00 = 225,900 received − 225,620 paid.
        #expect(try desk.position("A", "CLF7").realised == 280)
    }

    @Test func releasedCostRoundsHalfToEven() throws {
        var desk = Blotter()
        // $1 per unit: cost 10.01 + 10.00 = 20.01; half of it is 10.005 → 10.00 (even).
        try desk.trade("A", .buy, 1, "XYZ1", at: "10.01", .unit)
        try desk.trade("A", .buy, 1, "XYZ1", at: "10.00", .unit)
        #expect(try desk.trade("A", .sell, 1, "XYZ1", at: "11.00", .unit) == 1)
        #expect(try desk.trade("A", .sell, 1, "XYZ1", at: "11.00", .unit) == dec("0.99"))

        // Cost 20.03; half is 10.015 → 10.02 (even).
        try desk.trade("B", .buy, 1, "XYZ1", at: "10.03", .unit)
        try desk.trade("B", .buy, 1, "XYZ1", at: "10.00", .unit)
        #expect(try desk.trade("B", .sell, 1, "XYZ1", at: "11.00", .unit) == dec("0.98"))
        #expect(try desk.trade("B", .sell, 1, "XYZ1", at: "11.00", .unit) == dec("0.99"))

        // Short: cost −20.01; half is −10.005 → −10.00. Buying back 1 @ 11.00 realises −1.00.
        try desk.trade("C", .sell, 1, "XYZ1", at: "10.01", .unit)
        try desk.trade("C", .sell, 1, "XYZ1", at: "10.00", .unit)
        #expect(try desk.trade("C", .buy, 1, "XYZ1", at: "11.00", .unit) == -1)
        #expect(try desk.trade("C", .buy, 1, "XYZ1", at: "11.00", .unit) == dec("-0.99"))
    }

    @Test func negativePricesRealiseLikeAnyOther() throws {
        var desk = Blotter()
        // Short 1 CLK0 @ −10.00 and buy back @ −37.63: (−10.00 − −37.63) × 1000 = 27,630.
        try desk.trade("A", .sell, 1, "CLK0", at: "-10.00")
        #expect(try desk.trade("A", .buy, 1, "CLK0", at: "-37.63") == 27_630)
        // Averages go negative too: (−37.63 + −36.00) / 2 = −36.815.
        try desk.trade("B", .buy, 1, "CLK0", at: "-37.63")
        try desk.trade("B", .buy, 1, "CLK0", at: "-36.00")
        #expect(try desk.position("B", "CLK0").averagePrice == dec("-36.815"))
        #expect(try desk.trade("B", .sell, 2, "CLK0", at: "-30.00") == 13_630)
    }
}
