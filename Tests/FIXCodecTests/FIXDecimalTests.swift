import FIXCodec
import Testing

@Suite struct FIXDecimalTests {
    @Test func parsesFIXFloatText() throws {
        #expect(FIXDecimal("200") == FIXDecimal(mantissa: 200))
        #expect(FIXDecimal("200.00")?.scale == 2)
        #expect(FIXDecimal("200.00") == FIXDecimal(200))
        #expect(FIXDecimal("0.01") == FIXDecimal(mantissa: 1, scale: 2))
        #expect(FIXDecimal(".5") == FIXDecimal(mantissa: 5, scale: 1))
        #expect(FIXDecimal("5.") == FIXDecimal(5))
        #expect(FIXDecimal("000123.4500") == FIXDecimal(mantissa: 12345, scale: 2))
    }

    @Test func negativePricesAreValid() {
        // WTI May 2020 settled at -37.63 $/bbl.
        let settle = FIXDecimal("-37.63")
        #expect(settle == FIXDecimal(mantissa: -3763, scale: 2))
        #expect(settle?.isNegative == true)
        #expect(settle.map { $0 < .zero } == true)
        #expect(settle?.description == "-37.63")
    }

    @Test(arguments: ["", "+200.00", "-", ".", "1e5", "1.2.3", " 1", "1 ", "12a", "--1", "1,000", "0x10",
                      "1234567890123456789", "0.1234567890123456789"])
    func rejectsWhatFIXDoesNotAllow(_ text: String) {
        #expect(FIXDecimal(text) == nil, "\(text) should not parse")
    }

    @Test func eighteenSignificantDigitsFit() {
        #expect(FIXDecimal("123456789012345678") == FIXDecimal(mantissa: 123_456_789_012_345_678))
        #expect(FIXDecimal("0.000000000000000001") == FIXDecimal(mantissa: 1, scale: 18))
    }

    @Test func comparesAcrossScales() {
        #expect(FIXDecimal(mantissa: 150, scale: 2) == FIXDecimal(mantissa: 15, scale: 1))
        #expect(FIXDecimal(mantissa: 1501, scale: 3) > FIXDecimal(mantissa: 15, scale: 1))
        #expect(FIXDecimal(mantissa: -1, scale: 18) < FIXDecimal(mantissa: 0))
        #expect(FIXDecimal(mantissa: Int64.max, scale: 0) > FIXDecimal(mantissa: Int64.max, scale: 18))
        #expect(Set([FIXDecimal(mantissa: 10, scale: 1), FIXDecimal(1)]).count == 1)
    }

    @Test func arithmeticIsExact() {
        let price = FIXDecimal("71.23")!
        let quantity = FIXDecimal(3)
        let multiplier = FIXDecimal(1000)
        #expect(price * quantity * multiplier == FIXDecimal(213_690))
        #expect(FIXDecimal("0.1")! + FIXDecimal("0.2")! == FIXDecimal("0.3")!)
        #expect(FIXDecimal("0.3")! - FIXDecimal("0.35")! == FIXDecimal("-0.05")!)
        #expect(FIXDecimal("1.005")!.rounded(toScale: 2) == FIXDecimal("1.01")!)
        #expect(FIXDecimal("-1.005")!.rounded(toScale: 2) == FIXDecimal("-1.01")!)
        #expect(FIXDecimal("1.50")!.normalized.scale == 1)
        #expect(FIXDecimal("1.25")!.rescaled(to: 1) == nil)
    }

    @Test func writesFIXText() {
        #expect(FIXDecimal(mantissa: 5, scale: 2).description == "0.05")
        #expect(FIXDecimal(mantissa: -5, scale: 2).description == "-0.05")
        #expect(FIXDecimal(mantissa: 0).description == "0")
        #expect(FIXDecimal(mantissa: 0, scale: 2).description == "0.00")
        #expect(FIXDecimal(mantissa: 12345, scale: 2).description == "123.45")
        #expect(FIXDecimal(mantissa: Int64.min).description == "-9223372036854775808")
    }
}
