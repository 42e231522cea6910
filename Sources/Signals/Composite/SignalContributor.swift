/// A signal that contributes to a root's composite, by its configuration key.
///
/// Each contributes a value normalised to [−1, 1], positive for a rising front month:
///
/// | key | reads | normalised value |
/// |---|---|---|
/// | `rsi` | RSI (Wilder) | `(RSI − 50) / 50`: the RSI's own [0, 100] mapped onto [−1, 1] (read as momentum) |
/// | `macd` | MACD histogram, ATR | `squash(histogram / ATR)`: the histogram in units of the bar's true range |
/// | `bollinger` | Bollinger Bands | `−clip((close − middle) / (upper − middle), −1, 1)`: at the upper band −1 (stretched, expect reversion), at the lower +1; 0 for a flat band |
/// | `momentum` | ROC, ATR | `squash(t / 2)`, `t = (close − close_{t−n}) / (ATR · √n)`: the `n`-bar change (read back from the ROC: `close_{t−n} = close / (1 + ROC / 100)`) in units of the noise the bars' true range implies over `n` bars; prices back-adjusted across rolls, so the change is the level-free one |
/// | `carry` | roll yield (annualised) | `squash(carry / carryScale)`: backwardation positive |
/// | `slope` | slope z-score | `−squash(z / 2)`: a curve steeper into contango than usual reads bearish |
/// | `curvature` | curvature z-score | `−squash(z / 2)`: a back end rising faster than usual against the front reads bearish |
/// | `calendarSpreadMomentum` | M1−M2 momentum t | `squash(t / 2)`: a widening backwardation reads bullish |
/// | `basisMomentum` | basis-momentum t | `squash(t / 2)`: the first nearby outrunning the second reads bullish |
/// | `crack321`, `crack211`, `brentWTI` | the spread's z and mean-reversion state | 0 while flat; in a state, `−exposure · clip(z / entry, −1, 1)`, `exposure` +1 for a leg the spread rises with (RB, HO; BZ), −1 for one it falls with (CL): a rich crack expected to narrow reads bearish for the products and bullish for crude |
///
/// `squash(x) = x / √(1 + x²)` is tanh's shape (odd, increasing, 0 at 0, ±1 only at ±∞; 0.71
/// at 1, 0.89 at 2) for a square root rather than an exponential: `squash(z / 2)` maps a z- or
/// t-score of 2 to 0.71 and 4 to 0.89. (glibc's `tanh` cost ~40 ns a call on the 2-core development
/// machine, and the composite takes seven a bar.)
public enum SignalContributor: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case rsi
    case macd
    case bollinger
    case momentum
    case carry
    case slope
    case curvature
    case calendarSpreadMomentum
    case basisMomentum
    case crack321
    case crack211
    case brentWTI

    /// The spread behind a spread contributor.
    public var spread: SpreadKind? {
        switch self {
        case .crack321: .crack321
        case .crack211: .crack211
        case .brentWTI: .brentWTI
        default: nil
        }
    }

    public var description: String { rawValue }

    /// The contributor's index in `allCases`.
    var index: Int {
        switch self {
        case .rsi: 0
        case .macd: 1
        case .bollinger: 2
        case .momentum: 3
        case .carry: 4
        case .slope: 5
        case .curvature: 6
        case .calendarSpreadMomentum: 7
        case .basisMomentum: 8
        case .crack321: 9
        case .crack211: 10
        case .brentWTI: 11
        }
    }

    static let count = 12
}

/// The normalisations of `SignalContributor`'s table, one place for each.
enum Normalise {
    @inline(__always)
    static func clip(_ x: Double) -> Double { min(1, max(-1, x)) }

    /// `x / √(1 + x²)`: ±1 for an infinite `x`, NaN for NaN.
    @inline(__always)
    static func squash(_ x: Double) -> Double {
        let a = abs(x)
        // Past 1, 1 / √(1 + 1/a²): no overflow of a² for a huge `a`.
        let s = a > 1 ? 1 / (1 + 1 / (a * a)).squareRoot() : a / (1 + a * a).squareRoot()
        return x < 0 ? -s : s
    }

    /// `squash(z / 2)` for a z- or t-score.
    @inline(__always)
    static func score(_ z: Double) -> Double { squash(z / 2) }

    static func rsi(_ value: Double) -> Double { clip((value - 50) / 50) }

    static func macd(histogram: Double, averageTrueRange: Double) -> Double? {
        guard averageTrueRange > 0 else { return histogram == 0 ? 0 : nil }
        return squash(histogram / averageTrueRange)
    }

    static func bollinger(close: Double, bands: PriceChannel) -> Double {
        let halfWidth = bands.upper - bands.middle
        guard halfWidth > 0 else { return 0 }
        return -clip((close - bands.middle) / halfWidth)
    }

    static func momentum(rateOfChange: Double, close: Double, averageTrueRange: Double, period: Int) -> Double? {
        let change = close - close / (1 + rateOfChange / 100)
        let noise = averageTrueRange * Double(period).squareRoot()
        guard noise > 0 else { return change == 0 ? 0 : nil }
        return change.isFinite ? score(change / noise) : nil
    }

    static func carry(_ rollYield: Double, scale: Double) -> Double { squash(rollYield / scale) }

    static func spread(state: MeanReversionState, z: Double, entry: Double, exposure: Double) -> Double {
        state == .flat ? 0 : -exposure * clip(z / entry)
    }
}

/// A contributor as the console and FIX show it: its weight in the root's composite and its
/// current normalised value (`nil` while it warms up or has no input).
public struct ContributorReading: Sendable, Hashable {
    public var contributor: SignalContributor
    public var weight: Double
    public var value: Double?

    public init(contributor: SignalContributor, weight: Double, value: Double?) {
        self.contributor = contributor
        self.weight = weight
        self.value = value
    }
}

extension ContributorReading {
    /// The signal's own view, read against its composite's entry threshold: LONG at or above
    /// it, SHORT at or below its negative, NEUTRAL between them and while it warms up.
    public func direction(entry: Double) -> SignalDirection {
        guard let value else { return .neutral }
        if value >= entry { return .long }
        if value <= -entry { return .short }
        return .neutral
    }

    /// How strongly it says so: its value's magnitude in [0, 1]; 0 while it warms up.
    public var confidence: Double { value.map { min(abs($0), 1) } ?? 0 }
}
