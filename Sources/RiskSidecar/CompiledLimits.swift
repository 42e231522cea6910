import FIXCodec
import Foundation
import Instruments

/// One scope's limits converted once, at load, into what the check path compares against:
/// integers and raw fixed-point values, so a check never parses or allocates.
///
/// A value in the engine's `limitTable`, read in place by the check path through the id its
/// owner, root or month holds (never copied out there).
struct ScopeLimits: Sendable {
    let scope: RiskScope
    let set: LimitSet
    let maxOrderSize: Int64?
    let maxOrderValue: Int128?
    let collarTicks: Int64?
    let collarPercent: Int128?
    let collarReferences: [ReferencePriceKind]
    /// The same, packed two bits each (no array walk on the check path).
    let collarReferenceCount: Int
    private let collarReferenceBits: UInt8
    let selfTradePrevention: SelfTradeMode?
    let protectionPoints: Int128?
    let protectionTicks: Int64?
    let maxPositionPerMonth: Int64?
    let maxPositionPerRoot: Int64?
    let maxGrossNotional: Int128?
    let dailyLoss: Int128?
    let allowReducingOnLoss: Bool
    let orderRate: RateLimit?
    let messageRate: RateLimit?
    let duplicateWindow: Int64?
    let restricted: Bool
    let hours: CompiledHours?
    let hasHours: Bool
    /// The UTC minute `hoursOpen` answers for (`Int64.min`: none yet): `isOpen(_:)` remembers
    /// its last answer here, beside the limits, so the check updates two words in place.
    private var hoursMinute = Int64.min
    private var hoursOpen = false
    /// Position, notional or loss limits: the checks that need the account's exposure.
    let hasExposureLimits: Bool
    /// Where each stateful limit turns warning and critical, precomputed so that watching
    /// utilisation costs two comparisons.
    let positionPerMonthLevels: Thresholds?
    let positionPerRootLevels: Thresholds?
    let grossNotionalLevels: Thresholds?
    let dailyLossLevels: Thresholds?
    let orderRateLevels: Thresholds?
    let messageRateLevels: Thresholds?
    /// The smallest use at which these limits are above normal (the lower of their warning and
    /// critical thresholds; `Int128.max` when not configured): a filter before the full
    /// measurement, on the check path.
    let positionPerMonthWatch: Int128
    let positionPerRootWatch: Int128
    let grossNotionalWatch: Int128
    /// `RiskEngine.lowest` of each throttle, computed once: below it a throttle does nothing.
    let orderRateLowest: Int
    let messageRateLowest: Int

    init(scope: RiskScope, set: LimitSet, warningPercent: Int = 75, criticalPercent: Int = 90) {
        self.scope = scope
        self.set = set
        maxOrderSize = set.maxOrderSize
        maxOrderValue = set.maxOrderValue.map(Fixed.raw)
        switch set.priceCollar?.width {
        case .ticks(let ticks):
            collarTicks = ticks
            collarPercent = nil
        case .percent(let percent):
            collarTicks = nil
            collarPercent = Fixed.raw(percent)
        case nil:
            collarTicks = nil
            collarPercent = nil
        }
        collarReferences = set.priceCollar?.references ?? []
        let packed = collarReferences.prefix(4)
        collarReferenceCount = packed.count
        collarReferenceBits = packed.enumerated().reduce(0) { bits, entry in
            let code: UInt8 = switch entry.element {
            case .last: 0
            case .mid: 1
            case .settlement: 2
            }
            return bits | code << UInt8(2 * entry.offset)
        }
        selfTradePrevention = set.selfTradePrevention
        switch set.marketProtection {
        case .points(let points):
            protectionPoints = Fixed.raw(points)
            protectionTicks = nil
        case .ticks(let ticks):
            protectionPoints = nil
            protectionTicks = ticks
        case nil:
            protectionPoints = nil
            protectionTicks = nil
        }
        maxPositionPerMonth = set.maxPositionPerMonth
        maxPositionPerRoot = set.maxPositionPerRoot
        maxGrossNotional = set.maxGrossNotional.map(Fixed.raw)
        dailyLoss = set.dailyLoss.map { Fixed.raw($0.limit) }
        allowReducingOnLoss = set.dailyLoss?.allowReducing ?? false
        orderRate = set.orderRate
        messageRate = set.messageRate
        duplicateWindow = set.duplicateWindowNanos
        restricted = set.restricted
        hours = set.tradingHours.map(CompiledHours.init)
        hasHours = hours != nil
        hasExposureLimits = maxPositionPerMonth != nil || maxPositionPerRoot != nil || maxGrossNotional != nil
            || dailyLoss != nil
        func levels(_ limit: Int128?) -> Thresholds? {
            limit.map { Thresholds(limit: $0, warningPercent: warningPercent, criticalPercent: criticalPercent) }
        }
        positionPerMonthLevels = levels(maxPositionPerMonth.map { Int128($0) })
        positionPerRootLevels = levels(maxPositionPerRoot.map { Int128($0) })
        grossNotionalLevels = levels(maxGrossNotional)
        dailyLossLevels = levels(dailyLoss)
        orderRateLevels = levels(orderRate.map { Int128($0.limit) })
        messageRateLevels = levels(messageRate.map { Int128($0.limit) })
        func watch(_ levels: Thresholds?) -> Int128 {
            levels.map { Swift.min($0.warning, $0.critical) } ?? Int128.max
        }
        positionPerMonthWatch = watch(positionPerMonthLevels)
        positionPerRootWatch = watch(positionPerRootLevels)
        grossNotionalWatch = watch(grossNotionalLevels)
        let orderLevels = orderRateLevels
        let messageLevels = messageRateLevels
        orderRateLowest = set.orderRate.map { RiskEngine.lowest($0, orderLevels) } ?? Int.max
        messageRateLowest = set.messageRate.map { RiskEngine.lowest($0, messageLevels) } ?? Int.max
    }

    var hasCollar: Bool { collarTicks != nil || collarPercent != nil }

    /// Whether the trading hours (`hasHours` must hold) are open at `nanos`, answered from the
    /// last call when it fell in the same UTC minute: the open state only changes on a local
    /// minute, and a UTC minute is one local minute whenever the zone's offset is whole minutes
    /// and does not change inside it (checked before caching).
    @inline(__always)
    mutating func isOpen(_ nanos: Int64) -> Bool {
        let minute = nanos >= 0 ? nanos / 60_000_000_000 : (nanos - 59_999_999_999) / 60_000_000_000
        if minute == hoursMinute { return hoursOpen }
        return refreshHours(nanos, minute: minute)
    }

    @inline(never)
    private mutating func refreshHours(_ nanos: Int64, minute: Int64) -> Bool {
        guard let hours else { return true }
        let open = hours.isOpen(nanos)
        if hours.isWholeMinute(minute) {
            hoursMinute = minute
            hoursOpen = open
        }
        return open
    }

    @inline(__always)
    func collarReference(_ position: Int) -> ReferencePriceKind {
        switch collarReferenceBits >> UInt8(2 * position) & 3 {
        case 0: .last
        case 1: .mid
        default: .settlement
        }
    }
    var hasProtection: Bool { protectionPoints != nil || protectionTicks != nil }
}

/// The smallest use at which a limit is at its warning and at its critical level:
/// used × 100 ≥ percent × limit, that is used ≥ ⌈percent × limit / 100⌉ (and at least 1, so
/// that a limit of zero is critical as soon as anything is used).
struct Thresholds: Sendable {
    let warning: Int128
    let critical: Int128

    init(limit: Int128, warningPercent: Int, criticalPercent: Int) {
        func threshold(_ percent: Int) -> Int128 {
            let product = Fixed.multiply(limit, Int128(percent))
            return Swift.max(1, product / 100 + (product % 100 == 0 ? 0 : 1))
        }
        warning = threshold(warningPercent)
        critical = threshold(criticalPercent)
    }

    @inline(__always)
    func level(_ used: Int128) -> UtilisationLevel {
        used >= critical ? .critical : used >= warning ? .warning : .normal
    }
}

/// Trading hours with the time zone's UTC offsets precomputed (2000–2100), so that the check
/// path finds the local time with a binary search instead of a calendar.
struct CompiledHours: Sendable {
    let hours: TradingHours
    let zone: ZoneOffsets
    let openDays: UInt8
    /// Minutes after local midnight, from `hours`.
    let open: Int
    let close: Int
    init(_ hours: TradingHours) {
        self.hours = hours
        // Validated at load; a zone built in code that does not exist is read as UTC.
        zone = ZoneOffsets(hours.timeZone) ?? ZoneOffsets("UTC")!
        openDays = hours.days.reduce(0) { $0 | UInt8(1) << UInt8($1.rawValue) }
        open = hours.open
        close = hours.close
    }

    /// Local time at `nanos`: days since 1970-01-01 (local) and minutes after local midnight.
    func local(_ nanos: Int64) -> (day: Int64, minute: Int) { zone.local(nanos) }

    /// Whether the UTC minute is one local minute: the zone's offset is whole minutes and does
    /// not change inside it (so an answer for one instant in it holds for all of it).
    func isWholeMinute(_ minute: Int64) -> Bool {
        let start = minute &* 60
        let offset = zone.offset(atUTC: start)
        return offset % 60 == 0 && zone.offset(atUTC: start &+ 59) == offset
    }

    func isOpen(_ nanos: Int64) -> Bool {
        let (day, minute) = local(nanos)
        let weekday = Int(((day + 4) % 7 + 7) % 7)  // 1970-01-01 was a Thursday
        let today = openDays & (UInt8(1) << UInt8(weekday)) != 0
        let yesterday = openDays & (UInt8(1) << UInt8((weekday + 6) % 7)) != 0
        if open < close {
            return today && minute >= open && minute < close
        }
        return (today && minute >= open) || (yesterday && minute < close)
    }

    /// `Sat 10:15 America/New_York`, for reject texts.
    func describe(_ nanos: Int64) -> String {
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let (day, minute) = local(nanos)
        let weekday = Int(((day + 4) % 7 + 7) % 7)
        return "\(names[weekday]) \(Self.clock(minute)) \(hours.timeZone)"
    }

    /// `18:00–17:00 America/New_York`.
    var window: String { "\(Self.clock(hours.open))–\(Self.clock(hours.close)) \(hours.timeZone)" }

    static func clock(_ minute: Int) -> String {
        let hours = minute / 60
        let minutes = minute % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }
}

/// The last timestamps of one throttle, in a ring sized past its largest threshold: "is the
/// k-th most recent message inside the window" is one memory read.
///
/// A value in its owner's record, updated in place: recording a message touches no reference
/// counts (the buffer is uniquely held, so the copy-on-write check never copies).
struct RateWindow {
    private var times: ContiguousArray<Int64>
    let capacity: Int
    private var next = 0
    private(set) var stored = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        times = ContiguousArray(repeating: 0, count: self.capacity)
    }

    /// Times never run backwards in the ring, so counts stay a binary search.
    @inline(__always)
    mutating func record(_ time: Int64) {
        var value = time
        if stored > 0 {
            let latest = times[next == 0 ? capacity - 1 : next - 1]
            if latest > value { value = latest }
        }
        times[next] = value
        next = next + 1 == capacity ? 0 : next + 1
        if stored < capacity { stored += 1 }
    }

    /// The k-th most recent time (k = 1 is the latest), if that many are stored.
    @inline(__always)
    func recent(_ k: Int) -> Int64? {
        guard k >= 1, k <= stored else { return nil }
        var index = next - k
        if index < 0 { index += capacity }
        return times[index]
    }

    /// Whether at least `k` messages fall after `cutoff` (k > capacity is never known to hold).
    @inline(__always)
    func atLeast(_ k: Int, after cutoff: Int64) -> Bool {
        guard let time = recent(k) else { return false }
        return time > cutoff
    }

    /// Messages after `cutoff`, up to the ring's capacity.
    func count(after cutoff: Int64) -> Int {
        var low = 0
        var high = stored
        // The largest k with recent(k) > cutoff; recent is non-increasing in k.
        while low < high {
            let middle = (low + high + 1) / 2
            if let time = recent(middle), time > cutoff { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// A ring of another size keeping the most recent times.
    func resized(to capacity: Int) -> RateWindow {
        var ring = RateWindow(capacity: capacity)
        var k = min(stored, ring.capacity)
        while k >= 1 {
            if let time = recent(k) { ring.record(time) }
            k -= 1
        }
        return ring
    }
}
