import FIXCodec

/// The exact arithmetic the book needs beyond `FIXDecimal`'s operators, which trap on
/// overflow: these return `nil` instead, so a fill or mark that would overflow is refused
/// with an error before it touches the book, and reading the book never traps.
enum Exact {
    /// Exact product, or `nil` if the mantissa or the scale would not fit.
    static func product(_ lhs: FIXDecimal, _ rhs: FIXDecimal) -> FIXDecimal? {
        let (left, right) = (lhs.normalized, rhs.normalized)
        let scale = Int(left.scale) + Int(right.scale)
        guard scale <= Int(FIXDecimal.maxScale) else { return nil }
        let (mantissa, overflow) = left.mantissa.multipliedReportingOverflow(by: right.mantissa)
        guard !overflow else { return nil }
        return FIXDecimal(mantissa: mantissa, scale: UInt8(scale)).normalized
    }

    /// `quantity × price × multiplier`: a notional in dollars.
    static func notional(_ quantity: Int64, _ price: FIXDecimal, _ multiplier: FIXDecimal) -> FIXDecimal? {
        guard let perContract = product(price, multiplier) else { return nil }
        return product(FIXDecimal(mantissa: quantity), perContract)
    }

    /// Exact sum, or `nil` on overflow.
    static func sum(_ lhs: FIXDecimal, _ rhs: FIXDecimal) -> FIXDecimal? {
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.rescaled(to: scale), let right = rhs.rescaled(to: scale) else { return nil }
        let (mantissa, overflow) = left.mantissa.addingReportingOverflow(right.mantissa)
        return overflow ? nil : FIXDecimal(mantissa: mantissa, scale: scale)
    }

    /// Exact difference, or `nil` on overflow.
    static func difference(_ lhs: FIXDecimal, _ rhs: FIXDecimal) -> FIXDecimal? {
        guard rhs.mantissa != .min else { return nil }
        return sum(lhs, FIXDecimal(mantissa: -rhs.mantissa, scale: rhs.scale))
    }

    /// `numerator × factor ÷ divisor` rounded half to even at `scale` digits, computed in
    /// 128 bits so the intermediate product cannot overflow; `nil` if the divisor is zero or
    /// the result does not fit a `FIXDecimal`.
    ///
    /// Half-even (banker's) rounding has no bias: over many roundings the ties go up as often
    /// as down, so amounts derived with it do not creep in one direction.
    static func quotient(_ numerator: FIXDecimal, times factor: Int64, dividedBy divisor: FIXDecimal,
                         scale: UInt8) -> FIXDecimal? {
        guard !divisor.isZero, scale <= FIXDecimal.maxScale else { return nil }
        // value = (n·10^-ns · f) / (d·10^-ds); the result's mantissa at `scale` is
        // n·f·10^(scale + ds − ns) / d.
        var top = Int128(numerator.mantissa) * Int128(factor)
        var bottom = Int128(divisor.mantissa)
        let exponent = Int(scale) + Int(divisor.scale) - Int(numerator.scale)
        let power = powerOfTen(abs(exponent))
        if exponent >= 0 {
            let (scaled, overflow) = top.multipliedReportingOverflow(by: power)
            guard !overflow else { return nil }
            top = scaled
        } else {
            let (scaled, overflow) = bottom.multipliedReportingOverflow(by: power)
            guard !overflow else { return nil }
            bottom = scaled
        }
        if bottom < 0 {
            top = -top
            bottom = -bottom
        }
        var result = top / bottom
        let remainder = top % bottom
        let twice = remainder.magnitude * 2
        if twice > bottom.magnitude || (twice == bottom.magnitude && result & 1 != 0) {
            result += top < 0 ? -1 : 1
        }
        guard let mantissa = Int64(exactly: result) else { return nil }
        return FIXDecimal(mantissa: mantissa, scale: scale)
    }

    private static func powerOfTen(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// A money amount as the book reports it: the fewest decimals, but at least
    /// ``PositionBook/moneyScale``, that hold the value exactly (`1040` → `1040.00`).
    static func money(_ amount: FIXDecimal) -> FIXDecimal {
        let normal = amount.normalized
        guard normal.scale < PositionBook.moneyScale else { return normal }
        return normal.rescaled(to: PositionBook.moneyScale) ?? normal
    }
}
