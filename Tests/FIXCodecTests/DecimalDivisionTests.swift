import Foundation
import FIXCodec
import Testing

@Suite struct DecimalDivisionTests {
    @Test func averagePriceOfFills() throws {
        // 3 @ 75.20 and 2 @ 75.31: 376.22 / 5 = 75.244
        let notional = FIXDecimal("75.20")! * FIXDecimal(mantissa: 3) + FIXDecimal("75.31")! * FIXDecimal(mantissa: 2)
        #expect(notional.divided(by: FIXDecimal(mantissa: 5), toScale: 6) == FIXDecimal("75.244"))
    }

    @Test func roundsHalfAwayFromZeroAtTheRequestedScale() {
        #expect(FIXDecimal(mantissa: 2).divided(by: FIXDecimal(mantissa: 3), toScale: 4) == FIXDecimal("0.6667"))
        #expect(FIXDecimal(mantissa: -2).divided(by: FIXDecimal(mantissa: 3), toScale: 4) == FIXDecimal("-0.6667"))
        #expect(FIXDecimal("0.5")!.divided(by: FIXDecimal(mantissa: 1), toScale: 0) == FIXDecimal(mantissa: 1))
        #expect(FIXDecimal("-0.5")!.divided(by: FIXDecimal(mantissa: 1), toScale: 0) == FIXDecimal(mantissa: -1))
        #expect(FIXDecimal(mantissa: 1).divided(by: FIXDecimal("-0.04")!, toScale: 2) == FIXDecimal(mantissa: -25))
    }

    @Test func negativePricesAndLargeScales() {
        #expect(FIXDecimal("-37.63")!.divided(by: FIXDecimal("0.01")!, toScale: 0) == FIXDecimal(mantissa: -3763))
        #expect(FIXDecimal(mantissa: 1).divided(by: FIXDecimal(mantissa: 7), toScale: 18) == FIXDecimal("0.142857142857142857"))
    }

    @Test func divisionByZeroOrOverflowIsNil() {
        #expect(FIXDecimal(mantissa: 1).divided(by: .zero, toScale: 2) == nil)
        #expect(FIXDecimal(mantissa: Int64.max).divided(by: FIXDecimal("0.001")!, toScale: 0) == nil)
    }
}

@Suite struct DecimalCodableTests {
    @Test func roundTripsAsExactText() throws {
        let values = [FIXDecimal("-37.63")!, FIXDecimal("75.2500")!, FIXDecimal("0.0001")!]
        let data = try JSONEncoder().encode(values)
        #expect(String(decoding: data, as: UTF8.self) == #"["-37.63","75.2500","0.0001"]"#)
        #expect(try JSONDecoder().decode([FIXDecimal].self, from: data) == values)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([FIXDecimal].self, from: Data(#"["7x"]"#.utf8)) }
    }
}
