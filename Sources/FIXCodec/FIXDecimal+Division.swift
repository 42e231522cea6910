extension FIXDecimal {
    /// The quotient rounded half away from zero to `scale` digits, or `nil` when dividing
    /// by zero or when the result does not fit.
    ///
    /// Division is the one operation that cannot stay exact, so it takes the scale its
    /// caller needs: an average price at the instrument's price scale plus a few digits, a
    /// P&L figure at cents. Computed in 128 bits, so no intermediate overflows.
    public func divided(by divisor: FIXDecimal, toScale scale: UInt8) -> FIXDecimal? {
        guard !divisor.isZero, scale <= Self.maxScale else { return nil }
        // self / divisor × 10^scale = self.m × 10^(divisor.s + scale − self.s) / divisor.m
        let exponent = Int(divisor.scale) + Int(scale) - Int(self.scale)
        var numerator = Int128(mantissa)
        var denominator = Int128(divisor.mantissa)
        if exponent >= 0 {
            guard exponent <= 36 else { return nil }
            for _ in 0..<exponent { numerator *= 10 }
        } else {
            for _ in 0..<(-exponent) { denominator *= 10 }
        }
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder.magnitude * 2 >= denominator.magnitude {
            quotient += (numerator < 0) != (denominator < 0) ? -1 : 1
        }
        guard let value = Int64(exactly: quotient) else { return nil }
        return FIXDecimal(mantissa: value, scale: scale)
    }
}
