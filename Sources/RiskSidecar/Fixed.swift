import FIXCodec

/// Internal fixed-point arithmetic for the check path: prices and money as `Int128` in units of
/// 10⁻⁸, so that every comparison is one integer comparison and nothing traps.
///
/// `FIXDecimal` traps on overflow, and a fat-fingered quantity of 10¹² at a price of 10⁹ must be
/// rejected, not crash the gateway: products here saturate instead, which any limit then rejects.
enum Fixed {
    static let scale: UInt8 = 8
    static let one: Int128 = 100_000_000

    /// `value` at scale 8 (more digits than that are rounded half away from zero).
    @inline(__always)
    static func raw(_ value: FIXDecimal) -> Int128 {
        let mantissa = Int128(value.mantissa)
        if value.scale <= scale {
            return mantissa * Int128(powerOfTen(scale - value.scale))
        }
        let divisor = Int128(powerOfTen(value.scale - scale))
        var quotient = mantissa / divisor
        let remainder = mantissa % divisor
        if remainder.magnitude * 2 >= divisor.magnitude { quotient += mantissa < 0 ? -1 : 1 }
        return quotient
    }

    /// A raw value back as a decimal: exact when it fits an `Int64` mantissa, else rounded.
    static func decimal(_ raw: Int128) -> FIXDecimal {
        var value = raw
        var scale = Fixed.scale
        while value > Int128(Int64.max) || value < Int128(Int64.min) {
            if scale == 0 { return FIXDecimal(mantissa: value < 0 ? Int64.min : Int64.max) }
            let remainder = value % 10
            value /= 10
            if remainder.magnitude >= 5 { value += raw < 0 ? -1 : 1 }
            scale -= 1
        }
        return FIXDecimal(mantissa: Int64(value), scale: scale).normalized
    }

    /// A raw value shown with at least `minimumScale` decimals (a price at its tick's precision).
    static func decimal(_ raw: Int128, minimumScale: UInt8) -> FIXDecimal {
        let value = decimal(raw)
        guard value.scale < minimumScale else { return value }
        return value.rescaled(to: minimumScale) ?? value
    }

    @inline(__always)
    static func powerOfTen(_ exponent: UInt8) -> Int64 {
        switch exponent {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        case 8: 100_000_000
        default:
            (9..<exponent).reduce(Int64(1_000_000_000)) { value, _ in value &* 10 }
        }
    }

    /// `lhs × rhs`, saturating at the `Int128` bounds.
    @inline(__always)
    static func multiply(_ lhs: Int128, _ rhs: Int128) -> Int128 {
        let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
        if !overflow { return product }
        return (lhs < 0) == (rhs < 0) ? Int128.max : Int128.min
    }

    /// `lhs + rhs`, saturating.
    @inline(__always)
    static func add(_ lhs: Int128, _ rhs: Int128) -> Int128 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        if !overflow { return sum }
        return rhs > 0 ? Int128.max : Int128.min
    }

    /// |price| × quantity × multiplier as raw dollars: what an order is worth.
    @inline(__always)
    static func notional(priceRaw: Int128, quantity: Int64, multiplier: Multiplier) -> Int128 {
        let price = priceRaw < 0 ? (priceRaw == Int128.min ? Int128.max : -priceRaw) : priceRaw
        // A whole multiplier (1,000 bbl, 42,000 gal) needs no 128-bit division.
        let perContract = multiplier.whole.map { multiply(price, $0) } ?? multiply(price, multiplier.raw) / one
        return multiply(perContract, Int128(quantity))
    }

    /// `value` / `by`, shown with two decimals (ticks and percentages in reject texts).
    static func ratio(_ value: Int128, _ divisor: Int128) -> FIXDecimal {
        guard divisor != 0 else { return FIXDecimal(mantissa: Int64.max) }
        let hundredths = multiply(value, 100) / divisor
        let clamped = Int64(clamping: hundredths)
        return FIXDecimal(mantissa: clamped, scale: 2).normalized
    }
}

/// A contract multiplier, raw, and as a whole number when it is one.
struct Multiplier: Sendable {
    let raw: Int128
    let whole: Int128?

    init(_ value: FIXDecimal) {
        raw = Fixed.raw(value)
        whole = raw % Fixed.one == 0 ? raw / Fixed.one : nil
    }
}
