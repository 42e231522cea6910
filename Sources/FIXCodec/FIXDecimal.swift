/// An exact decimal for prices, quantities and amounts.
///
/// FIX carries these as text; binary floating point cannot hold `0.1` or a tick of
/// `0.01` exactly, so Wellhead keeps them as a scaled integer: `mantissa × 10^-scale`.
/// Negative values are valid (WTI settled at −37.63 $/bbl on 20 April 2020).
public struct FIXDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The digits of the value with the decimal point removed.
    public var mantissa: Int64
    /// How many of the mantissa's digits stand after the decimal point (0...18).
    public var scale: UInt8

    public init(mantissa: Int64, scale: UInt8 = 0) {
        precondition(scale <= FIXDecimal.maxScale, "FIXDecimal scale above \(FIXDecimal.maxScale)")
        self.mantissa = mantissa
        self.scale = scale
    }

    public init(_ value: Int) {
        self.init(mantissa: Int64(value))
    }

    /// The largest scale a decimal may carry; beyond it an `Int64` has no room for integer digits.
    public static let maxScale: UInt8 = 18
    public static let zero = FIXDecimal(mantissa: 0)

    /// Parses FIX `float` text: optional leading `-`, digits, an optional `.` and digits.
    /// A leading `+`, exponent notation, spaces, an empty value or more than 18 significant
    /// digits are not FIX and return `nil`.
    // Pre-specialized for the byte types the parser and builders use: callers in other
    // modules otherwise run the unspecialized generic, several times slower.
    @_specialize(exported: true, where Bytes == ArraySlice<UInt8>)
    @_specialize(exported: true, where Bytes == [UInt8])
    public init?<Bytes: Collection<UInt8>>(fixBytes bytes: Bytes) {
        var index = bytes.startIndex
        guard index != bytes.endIndex else { return nil }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            bytes.formIndex(after: &index)
        }
        var mantissa: Int64 = 0
        var scale: UInt8 = 0
        var digits = 0
        var seenPoint = false
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else if byte &- UInt8(ascii: "0") < 10 {
                if digits > 0 || byte != UInt8(ascii: "0") { digits += 1 }
                if seenPoint { scale &+= 1 }
                guard digits <= 18, scale <= FIXDecimal.maxScale else { return nil }
                mantissa = mantissa &* 10 &+ Int64(byte &- UInt8(ascii: "0"))
            } else {
                return nil
            }
            bytes.formIndex(after: &index)
        }
        // At least one digit, before or after the point ("." alone or "-" alone is not a number).
        guard digits > 0 || Self.containsDigit(bytes) else { return nil }
        self.mantissa = negative ? -mantissa : mantissa
        self.scale = scale
    }

    private static func containsDigit<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        bytes.contains { $0 &- UInt8(ascii: "0") < 10 }
    }

    public init?(_ text: String) {
        var text = text
        let parsed = text.withUTF8 { FIXDecimal(fixBytes: $0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// The same value with trailing fractional zeros removed: `1.500` becomes `1.5`.
    public var normalized: FIXDecimal {
        var result = self
        while result.scale > 0, result.mantissa % 10 == 0 {
            result.mantissa /= 10
            result.scale -= 1
        }
        return result
    }

    /// The value at `scale` digits, or `nil` if that loses digits or overflows.
    public func rescaled(to newScale: UInt8) -> FIXDecimal? {
        if newScale == scale { return self }
        if newScale > scale {
            guard newScale <= Self.maxScale else { return nil }
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: Self.powerOfTen(newScale - scale))
            return overflow ? nil : FIXDecimal(mantissa: product, scale: newScale)
        }
        let divisor = Self.powerOfTen(scale - newScale)
        guard mantissa % divisor == 0 else { return nil }
        return FIXDecimal(mantissa: mantissa / divisor, scale: newScale)
    }

    /// The value rounded half away from zero to `scale` digits (for display and tick rounding).
    public func rounded(toScale newScale: UInt8) -> FIXDecimal {
        if newScale >= scale { return rescaled(to: newScale) ?? self }
        let divisor = Self.powerOfTen(scale - newScale)
        var quotient = mantissa / divisor
        let remainder = mantissa % divisor
        if abs(remainder) * 2 >= divisor { quotient += mantissa < 0 ? -1 : 1 }
        return FIXDecimal(mantissa: quotient, scale: newScale)
    }

    static func powerOfTen(_ exponent: UInt8) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result &*= 10 }
        return result
    }

    public var isNegative: Bool { mantissa < 0 }
    public var isZero: Bool { mantissa == 0 }

    public static func == (lhs: FIXDecimal, rhs: FIXDecimal) -> Bool {
        compare(lhs, rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        let normal = normalized
        hasher.combine(normal.mantissa)
        hasher.combine(normal.scale)
    }

    public static func < (lhs: FIXDecimal, rhs: FIXDecimal) -> Bool {
        compare(lhs, rhs) < 0
    }

    private static func compare(_ lhs: FIXDecimal, _ rhs: FIXDecimal) -> Int {
        if lhs.scale == rhs.scale { return lhs.mantissa == rhs.mantissa ? 0 : (lhs.mantissa < rhs.mantissa ? -1 : 1) }
        // 10^18 × Int64.max still fits in 128 bits, so this never overflows.
        let scale = max(lhs.scale, rhs.scale)
        let left = Int128(lhs.mantissa) * Int128(powerOfTen(scale - lhs.scale))
        let right = Int128(rhs.mantissa) * Int128(powerOfTen(scale - rhs.scale))
        return left == right ? 0 : (left < right ? -1 : 1)
    }

    /// Exact sum; traps on overflow like integer arithmetic.
    public static func + (lhs: FIXDecimal, rhs: FIXDecimal) -> FIXDecimal {
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.rescaled(to: scale), let right = rhs.rescaled(to: scale) else {
            preconditionFailure("FIXDecimal overflow adding \(lhs) and \(rhs)")
        }
        return FIXDecimal(mantissa: left.mantissa + right.mantissa, scale: scale)
    }

    public static func - (lhs: FIXDecimal, rhs: FIXDecimal) -> FIXDecimal {
        lhs + FIXDecimal(mantissa: -rhs.mantissa, scale: rhs.scale)
    }

    public static prefix func - (value: FIXDecimal) -> FIXDecimal {
        FIXDecimal(mantissa: -value.mantissa, scale: value.scale)
    }

    /// Exact product; the scales add (capped by normalizing), trapping on overflow.
    public static func * (lhs: FIXDecimal, rhs: FIXDecimal) -> FIXDecimal {
        let (left, right) = (lhs.normalized, rhs.normalized)
        let product = left.mantissa * right.mantissa
        var result = FIXDecimal(mantissa: product, scale: 0)
        let scale = Int(left.scale) + Int(right.scale)
        precondition(scale <= Int(maxScale), "FIXDecimal scale overflow multiplying \(lhs) by \(rhs)")
        result.scale = UInt8(scale)
        return result.normalized
    }

    public static func += (lhs: inout FIXDecimal, rhs: FIXDecimal) { lhs = lhs + rhs }
    public static func -= (lhs: inout FIXDecimal, rhs: FIXDecimal) { lhs = lhs - rhs }

    /// FIX text: no exponent, no `+`, trailing zeros as given by `scale`.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the FIX text of this value, allocation-free when `buffer` has capacity.
    public func write(into buffer: inout [UInt8]) {
        var magnitude = mantissa.magnitude
        if mantissa < 0 { buffer.append(UInt8(ascii: "-")) }
        // Up to 20 digits plus the point, written backwards into a fixed tuple.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { scratch in
            var position = scratch.count
            var written = 0
            repeat {
                if written == Int(scale), scale > 0 {
                    position -= 1
                    scratch[position] = UInt8(ascii: ".")
                }
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                written += 1
            } while magnitude > 0 || written <= Int(scale)
            buffer.append(contentsOf: scratch[position...])
        }
    }
}

extension FIXDecimal: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        self.init(mantissa: value)
    }
}
