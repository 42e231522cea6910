import Foundation

/// When a session may be logged on: QuickFIX's StartTime / EndTime, optionally with
/// StartDay / EndDay for a weekly session, in UTC or a named time zone.
///
/// A session's sequence numbers start again at 1 with each new session period; the
/// engine asks ``periodStart(containing:)`` to notice that a boundary was crossed.
public struct SessionSchedule: Sendable, Hashable {
    /// Seconds after midnight, local to ``timeZone``.
    public var startTime: Int
    public var endTime: Int
    /// 1 = Sunday … 7 = Saturday, as Foundation's Calendar numbers weekdays; both or neither.
    public var startDay: Int?
    public var endDay: Int?
    public var timeZone: TimeZone

    public init(startTime: Int, endTime: Int, startDay: Int? = nil, endDay: Int? = nil,
                timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.startTime = startTime
        self.endTime = endTime
        self.startDay = startDay
        self.endDay = endDay
        self.timeZone = timeZone
    }

    /// Whether `date` lies inside a session period.
    public func contains(_ date: Date) -> Bool {
        periodStart(containing: date) != nil
    }

    /// The start of the period holding `date`, or `nil` when `date` is outside every period.
    /// Two instants with the same period start belong to the same session period.
    public func periodStart(containing date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let period = (startDay != nil ? 7 : 1) * 86_400
        let offsetOfStart = offset(day: startDay, time: startTime)
        var length = offset(day: endDay, time: endTime) - offsetOfStart
        if length <= 0 { length += period }
        // Walk back to the latest period start at or before `date`.
        let anchor = calendar.startOfDay(for: date)
        let weekday = calendar.component(.weekday, from: anchor)
        let dayShift = startDay != nil ? (weekday - 1) * 86_400 : 0
        guard let origin = calendar.date(byAdding: .second, value: -dayShift, to: anchor) else { return nil }
        for back in 0...1 {
            guard let start = calendar.date(byAdding: .second, value: offsetOfStart - back * period, to: origin) else { continue }
            let end = start.addingTimeInterval(TimeInterval(length))
            if date >= start && date < end { return start }
            if date >= end && back == 0 { return nil }
        }
        return nil
    }

    private func offset(day: Int?, time: Int) -> Int {
        (day.map { $0 - 1 } ?? 0) * 86_400 + time
    }
}
