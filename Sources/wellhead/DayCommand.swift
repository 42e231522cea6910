import AdminSocket
import ArgumentParser
import Foundation
import Gateway

/// `wellhead day`: the running appliance's trading day: which it is, when it opened and ends,
/// and a forced roll (journaled with why, and who: the operating-system user who ran it).
struct DayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "day",
        abstract: "Show the trading day in progress, or end it now.",
        subcommands: [Status.self, Roll.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The current trading day, its open and end, and the next roll.")
        @OptionGroup var target: RiskCommand.Target

        func run() async throws {
            try DayCommand.print(await DayCommand.send(AdminRequest(command: .dayStatus), to: target))
        }
    }

    struct Roll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End the trading day now: day orders expire, positions are re-based at settlement, daily counts reset.")
        @Option(help: "Why (required): it is journaled with the day's end.") var reason: String
        @OptionGroup var target: RiskCommand.Target

        func run() async throws {
            try DayCommand.print(await DayCommand.send(AdminRequest(command: .dayRoll, reason: reason), to: target))
        }
    }

    /// The appliance's answer; a refused request or an unreachable appliance exits non-zero.
    static func send(_ request: AdminRequest, to target: RiskCommand.Target) async throws -> AdminResponse {
        let response = try await target.exchange(request)
        if !response.ok {
            var standardError = StandardError()
            Swift.print("error: \(response.message)", to: &standardError)
            throw ExitCode.failure
        }
        return response
    }

    static func print(_ response: AdminResponse) {
        if !response.message.isEmpty { Swift.print(response.message) }
        guard let day = response.day else { return }
        Swift.print("trading day \(day.tradingDate) (\(day.open ? "open" : "closed")): \(day.calendar)")
        Swift.print("  opened \(timestamp(day.opens)), ends \(timestamp(day.ends)); next roll to \(day.nextTradingDate)")
    }

    /// `2026-12-07 22:00:00 UTC`.
    static func timestamp(_ nanos: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: Double(nanos) / 1e9))
    }
}
