#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The natural logarithm (the C library's `log`), so the indicators need no Foundation.
@inline(__always)
func naturalLogarithm(_ x: Double) -> Double { log(x) }

/// The last `capacity` values pushed, in storage of that size allocated once.
struct Ring: Sendable {
    let capacity: Int
    private var storage: [Double]
    /// Where the next value goes: once full, also the oldest value's slot.
    private var next = 0
    private(set) var count = 0

    init(capacity: Int) {
        precondition(capacity >= 1, "a window holds at least one value")
        self.capacity = capacity
        storage = [Double](repeating: 0, count: capacity)
    }

    var isFull: Bool { count == capacity }

    /// Appends `value`, returning the value it pushed out of a full window.
    @discardableResult
    mutating func append(_ value: Double) -> Double? {
        let evicted: Double? = isFull ? storage[next] : nil
        storage[next] = value
        next += 1
        if next == capacity { next = 0 }
        if count < capacity { count += 1 }
        return evicted
    }
}

/// A double-double: the unevaluated sum `hi + lo` with `|lo| ≤ ulp(hi)/2`, about 106
/// significant bits (Dekker; Hida, Li and Bailey's QD library). Enough for a window's sums:
/// adding and later subtracting a value leaves a rounding of ~1e-32 of the sum, not ~1e-16.
struct DoubleDouble: Sendable {
    var hi: Double
    var lo: Double

    static let zero = DoubleDouble(hi: 0, lo: 0)

    init(hi: Double, lo: Double) {
        self.hi = hi
        self.lo = lo
    }

    /// `x · y` exactly: the product and its rounding error, by a fused multiply-add.
    static func product(_ x: Double, _ y: Double) -> DoubleDouble {
        let p = x * y
        return DoubleDouble(hi: p, lo: (-p).addingProduct(x, y))
    }

    var value: Double { hi + lo }

    /// `a + b` and its rounding error exactly (Knuth's TwoSum).
    @inline(__always)
    private static func twoSum(_ a: Double, _ b: Double) -> (sum: Double, error: Double) {
        let sum = a + b
        let b1 = sum - a
        return (sum, (a - (sum - b1)) + (b - b1))
    }

    /// `a + b` for `|a| ≥ |b|`, renormalised.
    @inline(__always)
    private static func quickTwoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let sum = a + b
        return DoubleDouble(hi: sum, lo: b - (sum - a))
    }

    static func + (a: DoubleDouble, b: Double) -> DoubleDouble {
        let (sum, error) = twoSum(a.hi, b)
        return quickTwoSum(sum, error + a.lo)
    }

    static func - (a: DoubleDouble, b: Double) -> DoubleDouble { a + (-b) }

    /// Accurate even when `a ≈ −b` (QD's IEEE addition), as a window's subtractions need.
    static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let high = twoSum(a.hi, b.hi)
        let low = twoSum(a.lo, b.lo)
        let partial = quickTwoSum(high.sum, high.error + low.sum)
        return quickTwoSum(partial.hi, partial.lo + low.error)
    }

    static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble { a + DoubleDouble(hi: -b.hi, lo: -b.lo) }

    static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let p = product(a.hi, b.hi)
        return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi))
    }

    static func / (a: DoubleDouble, b: Double) -> DoubleDouble {
        let q1 = a.hi / b
        let p = product(q1, b)
        let (s, e) = twoSum(a.hi, -p.hi)
        let q2 = (s + (e - p.lo + a.lo)) / b
        return quickTwoSum(q1, q2)
    }
}

/// The mean and variance of the last `capacity` values, updated in O(1) (worst case, not
/// amortised) without drift.
///
/// Like TA-Lib, each update adds the entering value and subtracts the leaving one from running
/// sums; unlike it, (1) the sums are of deviations `d = x − shift` from a fixed shift (the
/// first value), so the variance `Σd²/n − (Σd/n)²` does not cancel away the digits that
/// `E[x²] − E[x]²` does at prices near 70 (and a price within a factor of two of the shift
/// gives `d` exactly); (2) the sums are double-doubles, `d²` enters them exactly (a fused
/// multiply-add gives its rounding error), and a leaving value subtracts the very `d` and `d²`
/// it added, so what an update leaves behind is ~1e-32 of the sums: after a million (or a
/// billion) updates the window's statistics are as exact as after its first; (3) a window of
/// one repeated value (a flat market on the tick grid) is seen as such — its variance is 0 and
/// its mean that value, exactly. Memory: the window's `capacity` doubles.
struct WindowMoments: Sendable {
    private(set) var window: Ring
    private var shift = 0.0
    /// Σ (x − shift) over the window.
    private var deviationSum = DoubleDouble.zero
    /// Σ (x − shift)² over the window.
    private var squaredDeviationSum = DoubleDouble.zero
    private var latest = 0.0
    /// How many of the latest values equal `latest` (counted up to the window's size).
    private var run = 0

    init(capacity: Int) { window = Ring(capacity: capacity) }

    var isFull: Bool { window.isFull }
    var count: Int { window.count }

    mutating func push(_ value: Double) {
        if window.count == 0 { shift = value }
        if let leaving = window.append(value) {
            let deviation = leaving - shift
            deviationSum = deviationSum - deviation
            squaredDeviationSum = squaredDeviationSum - DoubleDouble.product(deviation, deviation)
        }
        let deviation = value - shift
        deviationSum = deviationSum + deviation
        squaredDeviationSum = squaredDeviationSum + DoubleDouble.product(deviation, deviation)
        run = value == latest && run > 0 ? min(run + 1, window.capacity) : 1
        latest = value
    }

    /// Every value in the window is the same.
    private var isFlat: Bool { run >= window.count }

    /// The window's mean.
    var mean: Double { isFlat ? latest : shift + (deviationSum / Double(window.count)).value }

    /// `value − mean`, without first rounding the mean back to the price's magnitude.
    func deviation(of value: Double) -> Double {
        isFlat ? value - latest : (value - shift) - (deviationSum / Double(window.count)).value
    }

    /// n · variance: Σ(x − mean)² = Σd² − (Σd)²/n.
    private var squaredDeviationsFromMean: Double {
        isFlat ? 0 : max(0, (squaredDeviationSum - deviationSum * deviationSum / Double(window.count)).value)
    }

    /// Σ(x − mean)²/n: the population variance, as TA-Lib's STDDEV and BBANDS use.
    var populationVariance: Double { squaredDeviationsFromMean / Double(window.count) }

    /// Σ(x − mean)²/(n − 1): the sample variance (n ≥ 2).
    var sampleVariance: Double { squaredDeviationsFromMean / Double(window.count - 1) }
}
