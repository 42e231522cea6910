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

    /// The next value goes to the first slot: a full window has just turned over.
    var isAtStart: Bool { next == 0 }

    /// Appends `value`, returning the value it pushed out of a full window.
    @discardableResult
    @inline(__always)
    mutating func append(_ value: Double) -> Double? {
        let evicted: Double? = isFull ? storage[next] : nil
        storage[next] = value
        next += 1
        if next == capacity { next = 0 }
        if count < capacity { count += 1 }
        return evicted
    }
}

/// A running sum kept as a `Double` and, beside it, the exact rounding error of every addition
/// (Neumaier's compensated summation, with Knuth's TwoSum for the error so that the order of
/// the magnitudes does not matter): `high + low` is the sum of the terms to ~1e-32 of them, as
/// a double-double's would be, for about half the work — the low part is not renormalised into
/// the high one at each addition, only once a window has turned over (`renormalise`).
///
/// A term added and later subtracted leaves behind only the rounding of `low` (~1e-16 of the
/// errors it holds, themselves ~1e-16 of the terms): after a million (or a billion) updates a
/// window's sums are as exact as after its first.
struct CompensatedSum: Sendable {
    /// The plain running sum.
    private(set) var high = 0.0
    /// The rounding errors of the additions to `high`, summed.
    private(set) var low = 0.0

    /// Adds `x`, and its rounding error to `low` (TwoSum: exact whatever the magnitudes).
    @inline(__always)
    mutating func add(_ x: Double) {
        let sum = high + x
        let back = sum - high
        low += (high - (sum - back)) + (x - back)
        high = sum
    }

    /// Adds the exact product `x · y`: its rounding too, from a fused multiply-add.
    @inline(__always)
    mutating func addProduct(_ x: Double, _ y: Double) {
        let product = x * y
        add(product)
        low += (-product).addingProduct(x, y)
    }

    /// Folds `low` into `high` (TwoSum), so that `high` stays the sum to a rounding and `low`
    /// small however long the sum runs.
    mutating func renormalise() {
        let sum = high + low
        let back = sum - high
        low = (high - (sum - back)) + (low - back)
        high = sum
    }

    /// The sum, rounded once.
    var value: Double { high + low }

    /// The sum over `n` as `quotient + rest / n`: `high`'s quotient, and what it leaves of the
    /// sum (the division's remainder, exact by a fused multiply-add, plus `low`).
    @inline(__always)
    func quotient(by n: Double) -> (quotient: Double, rest: Double) {
        let quotient = high / n
        return (quotient, high.addingProduct(-quotient, n) + low)
    }
}

/// The mean and variance of the last `capacity` values, updated in O(1) (worst case, not
/// amortised) without drift.
///
/// Like TA-Lib, each update adds the entering value and subtracts the leaving one from running
/// sums; unlike it, (1) the sums are of deviations `d = x − shift` from a fixed shift (the
/// first value), so the variance `Σd²/n − (Σd/n)²` does not cancel away the digits that
/// `E[x²] − E[x]²` does at prices near 70 (and a price within a factor of two of the shift
/// gives `d` exactly); (2) the sums are compensated (`CompensatedSum`), `d²` enters them
/// exactly (a fused multiply-add gives its rounding error), and a leaving value subtracts the
/// very `d` and `d²` it added, so what an update leaves behind is ~1e-32 of the sums: after a
/// million (or a billion) updates the window's statistics are as exact as after its first;
/// (3) reading them, `Σd² − (Σd)²/n` is formed with `(Σd)²/n`'s rounding errors carried
/// (exact products and remainders, fused multiply-adds), so however far the values have
/// wandered from the shift the variance keeps its digits; (4) a window of one repeated value
/// (a flat market on the tick grid) is seen as such — its variance is 0 and its mean that
/// value, exactly. Memory: the window's `capacity` doubles.
struct WindowMoments: Sendable {
    private(set) var window: Ring
    private var shift = 0.0
    /// Σ (x − shift) over the window.
    private var deviationSum = CompensatedSum()
    /// Σ (x − shift)² over the window.
    private var squaredDeviationSum = CompensatedSum()
    private var latest = 0.0
    /// How many of the latest values equal `latest` (counted up to the window's size).
    private var run = 0

    init(capacity: Int) { window = Ring(capacity: capacity) }

    var isFull: Bool { window.isFull }
    var count: Int { window.count }

    @inline(__always)
    mutating func push(_ value: Double) {
        if window.count == 0 { shift = value }
        if let leaving = window.append(value) {
            let deviation = leaving - shift
            deviationSum.add(-deviation)
            squaredDeviationSum.addProduct(-deviation, deviation)
            // Once a window has turned over, the sums' low parts are folded in.
            if window.isAtStart {
                deviationSum.renormalise()
                squaredDeviationSum.renormalise()
            }
        }
        let deviation = value - shift
        deviationSum.add(deviation)
        squaredDeviationSum.addProduct(deviation, deviation)
        run = value == latest && run > 0 ? min(run + 1, window.capacity) : 1
        latest = value
    }

    /// Every value in the window is the same.
    private var isFlat: Bool { run >= window.count }

    /// The window's mean.
    var mean: Double {
        if isFlat { return latest }
        let n = Double(window.count)
        let (quotient, rest) = deviationSum.quotient(by: n)
        return shift + (quotient + rest / n)
    }

    /// `value − mean`, without first rounding the mean back to the price's magnitude.
    func deviation(of value: Double) -> Double {
        if isFlat { return value - latest }
        let n = Double(window.count)
        let (quotient, rest) = deviationSum.quotient(by: n)
        return ((value - shift) - quotient) - rest / n
    }

    /// n · variance: Σ(x − mean)² = Σd² − (Σd)²/n, `(Σd)²/n` carried with its rounding errors:
    /// `Σd = h + l`, `h² = p + e` exactly, `p / n = q` with remainder `r`, so
    /// `(Σd)²/n = q + (r + e + 2hl)/n` to ~1e-32 of it, and `Σd² − q` is exact whenever the two
    /// are close (Sterbenz), which is when it matters.
    private var squaredDeviationsFromMean: Double {
        if isFlat { return 0 }
        let n = Double(window.count)
        let high = deviationSum.high
        let square = high * high
        let squareError = (-square).addingProduct(high, high)
        let quotient = square / n
        let remainder = square.addingProduct(-quotient, n)
        let rest = (remainder + squareError + (2 * high) * deviationSum.low) / n
        return max(0, (squaredDeviationSum.high - quotient) + (squaredDeviationSum.low - rest))
    }

    /// Σ(x − mean)²/n: the population variance, as TA-Lib's STDDEV and BBANDS use.
    var populationVariance: Double { squaredDeviationsFromMean / Double(window.count) }

    /// Σ(x − mean)²/(n − 1): the sample variance (n ≥ 2).
    var sampleVariance: Double { squaredDeviationsFromMean / Double(window.count - 1) }
}
