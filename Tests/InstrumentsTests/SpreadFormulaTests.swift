import FIXCodec
import Instruments
import Testing

@Suite struct SpreadFormulaTests {
    @Test func threeTwoOneCrack() throws {
        let crack = CrackDefinition.threeTwoOne
        // (2 × 2.1000 × 42 + 2.5000 × 42 − 3 × 75.00) / 3 = (176.4 + 105 − 225) / 3 = 18.8
        #expect(crack.value(crude: try dec("75.00"), products: [try dec("2.1000"), try dec("2.5000")]) == (try dec("18.8")))
        // (2 × 2.1034 × 42 + 2.4567 × 42 − 3 × 72.35) / 3 = (176.6856 + 103.1814 − 217.05) / 3 = 20.939
        #expect(crack.value(crude: try dec("72.35"), products: [try dec("2.1034"), try dec("2.4567")]) == (try dec("20.939")))
        // 20 April 2020: crude at −37.63. (2 × 0.60 × 42 + 1.00 × 42 + 112.89) / 3 = 68.43
        #expect(crack.value(crude: try dec("-37.63"), products: [try dec("0.6000"), try dec("1.0000")]) == (try dec("68.43")))
        #expect(crack.value(crude: try dec("75"), products: [try dec("2.1")]) == nil)
        #expect(crack.formula.coefficients == [-3, 84, 42])
        #expect(crack.formula.divisor == 3)
    }

    @Test func twoOneOneCrack() throws {
        let crack = CrackDefinition.twoOneOne
        // (2.1000 × 42 + 2.5000 × 42 − 2 × 75.00) / 2 = (88.2 + 105 − 150) / 2 = 21.6
        #expect(crack.value(crude: try dec("75.00"), products: [try dec("2.1000"), try dec("2.5000")]) == (try dec("21.6")))
        // A negative crack: products cheap against crude.
        #expect(crack.value(crude: try dec("90.00"), products: [try dec("1.9000"), try dec("2.0000")]) == (try dec("-8.1")))
    }

    @Test func roundingHalfAwayFromZero() throws {
        let thirds = SpreadFormula(coefficients: [1], divisor: 3)
        #expect(thirds.value([try dec("1")], scale: 4)?.description == "0.3333")
        #expect(thirds.value([try dec("2")], scale: 4)?.description == "0.6667")
        #expect(thirds.value([try dec("-2")], scale: 4)?.description == "-0.6667")
        #expect(thirds.value([try dec("-2")], scale: 2)?.description == "-0.67")
        let halves = SpreadFormula(coefficients: [1], divisor: 2)
        #expect(halves.value([try dec("0.0001")], scale: 4)?.description == "0.0001")   // 0.00005 rounds away
        #expect(halves.value([try dec("-0.0001")], scale: 4)?.description == "-0.0001")
        let difference = SpreadFormula(coefficients: [1, -1])
        #expect(difference.value([try dec("-37.63"), try dec("20.43")], scale: 2)?.description == "-58.06")
        #expect(difference.value([try dec("1.123456")], scale: 2) == nil)
    }

    @Test func outrightFormulaIsItsOwnPrice() throws {
        let outright = SpreadFormula(coefficients: [1])
        #expect(outright.value([try dec("75.25")]) == (try dec("75.25")))
    }
}
