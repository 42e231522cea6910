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
        guard let value = FIXDigits.contiguous(bytes, FIXDecimal.parse) else { return nil }
        self = value
    }

    /// The same on a byte view, as the validator reads values in place.
    public init?(fixBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard let value = FIXDecimal.parse(bytes) else { return nil }
        self = value
    }

    /// Whether `bytes` is FIX `float` text, exactly when ``init(fixBytes:)-(UnsafeBufferPointer<UInt8>)``
    /// would succeed, without building the value: the validator's test.
    public static func isWellFormed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var index = bytes.first == UInt8(ascii: "-") ? 1 : 0
        // Leading zeros are not significant digits; the first other digit starts the count.
        let digitsStart = index
        while index < count, bytes[index] == UInt8(ascii: "0") { index += 1 }
        let significantStart = index
        while index < count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        var significant = index - significantStart
        var anyDigit = index > digitsStart
        guard index < count else { return anyDigit && significant <= 18 }
        guard bytes[index] == UInt8(ascii: ".") else { return false }
        index += 1
        let fractionStart = index
        while index < count {
            let byte = bytes[index]
            guard byte &- UInt8(ascii: "0") < 10 else { return false }
            if significant > 0 || byte != UInt8(ascii: "0") { significant += 1 }
            index += 1
        }
        anyDigit = anyDigit || index > fractionStart
        return anyDigit && significant <= 18 && index - fractionStart <= Int(FIXDecimal.maxScale)
    }

    /// The integer digits, then after a point the fraction digits: two tight loops.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> FIXDecimal? {
        let count = bytes.count
        guard count > 0 else { return nil }
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        var mantissa: Int64 = 0
        // Significant digits (leading zeros do not count) and whether there was any digit.
        var significant = 0
        var anyDigit = false
        while index < count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            if significant > 0 || digit != 0 { significant &+= 1 }
            mantissa = mantissa &* 10 &+ Int64(digit)
            anyDigit = true
            index += 1
        }
        var scale = 0
        if index < count {
            guard bytes[index] == UInt8(ascii: ".") else { return nil }
            index += 1
            while index < count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                if significant > 0 || digit != 0 { significant &+= 1 }
                mantissa = mantissa &* 10 &+ Int64(digit)
                anyDigit = true
                scale &+= 1
                index += 1
            }
        }
        // More than 18 significant digits may have wrapped the mantissa: rejected here.
        guard anyDigit, significant <= 18, scale <= Int(FIXDecimal.maxScale) else { return nil }
        return FIXDecimal(unchecked: negative ? -mantissa : mantissa, scale: UInt8(scale))
    }

    @inline(__always)
    init(unchecked mantissa: Int64, scale: UInt8) {
        self.mantissa = mantissa
        self.scale = scale
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

    @usableFromInline
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
        FIXTextWriter.append(to: &buffer, capacity: Self.maxFIXLength) { write(to: $0) }
    }

    /// The length of the FIX text: a sign, the digits (at least one before the point) and
    /// the point.
    @inlinable
    public var fixLength: Int { fixLayout.length }

    /// The FIX text's length and how many digits it has.
    @inlinable @inline(__always)
    var fixLayout: (length: Int, digits: Int) {
        let fraction = Int(scale)
        let digits = max(FIXTextWriter.digitCount(UInt64(mantissa.magnitude)), fraction + 1)
        return ((mantissa < 0 ? 1 : 0) + digits + (fraction > 0 ? 1 : 0), digits)
    }

    /// A sign, up to 19 digits (or 18 fraction digits behind a zero) and a point.
    static let maxFIXLength = 21

    /// The FIX text at `pointer`: the digits, with a point `scale` digits from the right and
    /// zeros before it when the mantissa has fewer digits; returns the length.
    @usableFromInline @discardableResult
    func write(to pointer: UnsafeMutablePointer<UInt8>) -> Int {
        write(to: pointer, digits: fixLayout.digits)
    }

    /// The same, with the digit count ``fixLayout`` gave.
    @inlinable @discardableResult
    func write(to pointer: UnsafeMutablePointer<UInt8>, digits: Int) -> Int {
        var magnitude = UInt64(mantissa.magnitude)
        var start = 0
        if mantissa < 0 {
            pointer[0] = UInt8(ascii: "-")
            start = 1
        }
        let fraction = Int(scale)
        guard fraction > 0 else {
            FIXTextWriter.writeDigits(magnitude, count: digits, to: pointer + start)
            return start + digits
        }
        // The integer digits, the point, the fraction's digits (zero-padded). The usual
        // scales divide by a constant.
        let whole = digits - fraction
        let fractionDigits: UInt64
        switch fraction {
        case 1: (magnitude, fractionDigits) = magnitude.quotientAndRemainder(dividingBy: 10)
        case 2: (magnitude, fractionDigits) = magnitude.quotientAndRemainder(dividingBy: 100)
        case 3: (magnitude, fractionDigits) = magnitude.quotientAndRemainder(dividingBy: 1_000)
        case 4: (magnitude, fractionDigits) = magnitude.quotientAndRemainder(dividingBy: 10_000)
        default: (magnitude, fractionDigits) = magnitude.quotientAndRemainder(dividingBy: UInt64(FIXDecimal.powerOfTen(scale)))
        }
        FIXTextWriter.writeDigits(magnitude, count: whole, to: pointer + start)
        pointer[start + whole] = UInt8(ascii: ".")
        FIXTextWriter.writeDigits(fractionDigits, count: fraction, to: pointer + start + whole + 1)
        return start + digits + 1
    }
}

extension FIXDecimal: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        self.init(mantissa: value)
    }
}
