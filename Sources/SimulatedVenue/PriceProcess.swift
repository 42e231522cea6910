import FIXCodec
import Instruments

// The price process runs in integers: fair prices are kept in "fine units" of 1/10,000 of a
// tick, so a random walk with moves far smaller than a tick accumulates exactly, and the same
// seed gives the same prices on every machine. No binary floating point anywhere.

/// SplitMix64: small, fast and fully determined by its seed (scenario runs draw from it too,
/// so a run is the same for the same seed).
public struct SplitMix64: Sendable, Hashable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An approximately standard normal draw scaled by 2^16 (standard deviation 65,536): the
    /// sum of twelve uniform 16-bit values minus their mean (Irwin–Hall), in integers.
    mutating func normal16() -> Int64 {
        var sum: Int64 = 0
        for _ in 0..<3 {
            let bits = next()
            sum += Int64(bits & 0xFFFF) + Int64((bits >> 16) & 0xFFFF) + Int64((bits >> 32) & 0xFFFF) + Int64(bits >> 48)
        }
        return sum - 6 * 65_536
    }
}

/// Fine units per tick.
let fineUnitsPerTick: Int64 = 10_000

/// Keeps fine-unit values far from `Int64`'s limits, so offsets and moves can be added freely.
let fineLimit: Int64 = 1 << 60

func clampFine(_ value: Int128) -> Int64 {
    Int64(max(Int128(-fineLimit), min(Int128(fineLimit), value)))
}

/// Fine units to whole ticks, halves away from zero.
func nearestTicks(fine: Int64) -> Int64 {
    var ticks = fine / fineUnitsPerTick
    let remainder = fine % fineUnitsPerTick
    if remainder.magnitude * 2 >= UInt64(fineUnitsPerTick) { ticks += fine < 0 ? -1 : 1 }
    return ticks
}

/// The grid of fine units for a tick size: 1/10,000 of a tick.
func fineGrid(tickSize: FIXDecimal) -> TickGrid {
    TickGrid(tickSize: tickSize * FIXDecimal(mantissa: 1, scale: 4))
}

/// ⌊√value⌋ for a non-negative value.
func integerSquareRoot(_ value: UInt128) -> UInt128 {
    guard value > 1 else { return value }
    var low: UInt128 = 1
    var high: UInt128 = min(value, UInt128(UInt64.max))
    while low < high {
        let middle = low + (high - low + 1) / 2
        if middle <= value / middle { low = middle } else { high = middle - 1 }
    }
    return low
}

/// One root's curve: a random-walk level plus a fixed offset per listed month.
struct RootCurve: Sendable, Hashable {
    let root: String
    /// Fine units of this root's tick size, for converting settings and shocks.
    let grid: TickGrid
    /// The random-walk component, in fine units.
    var level: Int64
    /// Each listed month's price minus `level`, in curve order (M1 first), in fine units.
    var offsets: [Int64]
    /// The standard deviation of one step, in fine units.
    let sigma: Int64
    /// Added at every step, in fine units.
    let drift: Int64
    /// False when the product refuses negative prices: fair prices stop at zero.
    let allowsNegativePrices: Bool

    /// A month's fair price in fine units.
    func fairFine(month position: Int) -> Int64 {
        // Both terms are within ±2^60, so the sum cannot overflow.
        let value = max(-fineLimit, min(fineLimit, level + offsets[position]))
        return allowsNegativePrices ? value : max(0, value)
    }

    /// One step of the walk.
    mutating func step(_ random: inout SplitMix64) {
        let shock = sigma == 0 ? 0 : Int128(sigma) * Int128(random.normal16()) / 65_536
        level = clampFine(Int128(level) + Int128(drift) + shock)
    }

    /// `steps` steps at once, as one draw: the sum of `steps` independent steps has `steps`
    /// times the drift and √steps times the standard deviation.
    mutating func jump(steps: Int64, _ random: inout SplitMix64) {
        guard steps > 0 else { return }
        // √steps scaled by 2^16.
        let root = Int128(integerSquareRoot(UInt128(steps) << 32))
        let normal = Int128(random.normal16())
        let (scaledSigma, overflow) = (Int128(sigma) * root).multipliedReportingOverflow(by: normal)
        let shock = overflow ? (normal < 0 ? Int128(-fineLimit) : Int128(fineLimit)) : scaledSigma / (1 << 32)
        // |drift| < 2^60 and steps < 2^63, so the trend fits in 128 bits.
        let trend = Int128(drift) * Int128(steps)
        level = clampFine(Int128(level) + max(Int128(-fineLimit), min(Int128(fineLimit), trend)) + shock)
    }

    /// Moves the months at `positions` (0-based) by `percent` of their own fair price.
    mutating func shock(percent: FIXDecimal, positions: Range<Int>) {
        let denominator = Int128(100) * Int128(FIXDecimal.powerOfTenForScale(percent.scale))
        for position in positions {
            let move = Int128(fairFine(month: position)) * Int128(percent.mantissa) / denominator
            offsets[position] = clampFine(Int128(offsets[position]) + move)
        }
    }

    /// Moves the whole curve by `fine` units.
    mutating func shift(fine: Int64) {
        level = clampFine(Int128(level) + Int128(fine))
    }
}

extension FIXDecimal {
    /// 10^scale for a scale up to ``maxScale``.
    static func powerOfTenForScale(_ scale: UInt8) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<min(scale, maxScale) { result &*= 10 }
        return result
    }
}

extension Volatility {
    /// Nanoseconds in a year of 252 trading days of 23 hours.
    static let tradingYearNanoseconds: Int128 = 252 * 23 * 3_600 * 1_000_000_000

    /// The standard deviation of one step in fine units, given the front price in fine units.
    func sigmaFine(frontFine: Int64, stepInterval: Int64, grid: TickGrid) -> Int64 {
        switch self {
        case .perStep(let sigma):
            return grid.nearestTicks(to: sigma).map { clampFine(Int128($0)) } ?? fineLimit
        case .annualised(let percent):
            // √(step / year) scaled by 10^9.
            let ratio = Int128(stepInterval) * 1_000_000_000_000_000_000 / Self.tradingYearNanoseconds
            let root = Int128(integerSquareRoot(UInt128(max(0, ratio))))
            let (scaled, overflow) = (Int128(frontFine.magnitude) * Int128(percent.mantissa)).multipliedReportingOverflow(by: root)
            guard !overflow else { return fineLimit }
            let denominator = Int128(100) * Int128(FIXDecimal.powerOfTenForScale(percent.scale)) * 1_000_000_000
            return clampFine(scaled / denominator)
        }
    }
}
