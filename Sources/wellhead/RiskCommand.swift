import AdminSocket
import ArgumentParser
import FIXSettings
import Foundation
import Gateway
import RiskSidecar

/// `wellhead risk`: a risk manager's controls on a running appliance, through its admin
/// socket: kill switches and the utilisation of every limit. The appliance records the
/// operating-system user who ran the command as the person acting (`os:<user>`).
struct RiskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Engage or release kill switches, set trading states and show limit utilisation on a running appliance.",
        subcommands: [KillSwitch.self, TradingStateCommand.self, Status.self]
    )

    /// Where the appliance listens: the profile's AdminSocket, or a socket named directly.
    struct Target: ParsableArguments {
        @Option(help: "The settings file the appliance runs, e.g. sessions/demo.cfg.") var config: String?
        @Option(help: "The admin socket, instead of reading it from --config.") var socket: String?

        func validate() throws {
            guard (config == nil) != (socket == nil) else { throw ValidationError("name the appliance with --config or --socket (one of them)") }
        }

        func socketPath() throws -> String {
            if let socket { return socket }
            let profile: ApplianceProfile
            do {
                profile = try ApplianceProfile.load(path: config!)
            } catch {
                throw ValidationError("\(error)")
            }
            guard let gateway = profile.sessions.lazy.compactMap(\.gateway).first else {
                throw ValidationError("\(config!) has no Application=gateway or venue session, so no admin socket")
            }
            return gateway.adminSocketPath
        }

        /// The appliance's answer to `request`; an appliance that cannot be reached is an error
        /// on standard error and a non-zero exit.
        func exchange(_ request: AdminRequest) async throws -> AdminResponse {
            do {
                return try await AdminClient.send(request, to: try socketPath())
            } catch let error as AdminSocketError {
                var standardError = StandardError()
                print("error: \(error)", to: &standardError)
                throw ExitCode.failure
            }
        }

        /// Sends `request`, prints the answer; a refused request exits non-zero.
        func send(_ request: AdminRequest, showUtilisation: Bool = false) async throws {
            let response = try await exchange(request)
            if !response.message.isEmpty { print(response.message) }
            RiskCommand.printState(response, utilisation: showUtilisation)
            if !response.ok { throw ExitCode.failure }
        }
    }

    struct KillSwitch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kill-switch",
            abstract: "Engage a kill switch (cancel every working order under it, block new ones) or release it."
        )

        enum Action: String, ExpressibleByArgument, CaseIterable { case engage, release }

        @Argument(help: "engage or release.") var action: Action
        @Option(help: "firm, account:<account> or session:<OMS CompID>.") var scope: String
        @Option(help: "Why, for the journal and the cancels' Text.") var reason = ""
        @OptionGroup var target: Target

        func validate() throws {
            guard KillSwitchLevel(scope: scope) != nil else {
                throw ValidationError("--scope is firm, account:<account> or session:<OMS CompID>, not '\(scope)'")
            }
        }

        func run() async throws {
            let command: AdminRequest.Command = action == .engage ? .engageKillSwitch : .releaseKillSwitch
            try await target.send(AdminRequest(command: command, scope: scope, reason: reason))
        }
    }

    struct TradingStateCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trading-state",
            abstract: "Set the firm's or an account's trading state: ACTIVE, REDUCING (only orders that shrink a position) or HALTED (only cancels)."
        )

        @Argument(help: "ACTIVE, REDUCING or HALTED.") var state: String
        @Option(help: "firm or account:<account>.") var scope: String
        @Option(help: "Why, for the journal.") var reason = ""
        @OptionGroup var target: Target

        func validate() throws {
            guard TradingStateScope(scope: scope) != nil else { throw ValidationError("--scope is firm or account:<account>, not '\(scope)'") }
            guard TradingState(rawValue: state.uppercased()) != nil else {
                throw ValidationError("the state is ACTIVE, REDUCING or HALTED, not '\(state)'")
            }
        }

        func run() async throws {
            try await target.send(AdminRequest(command: .tradingState, scope: scope, reason: reason, state: state.uppercased()))
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show engaged kill switches and the utilisation of every limit.")
        @OptionGroup var target: Target

        func run() async throws {
            try await target.send(AdminRequest(command: .status), showUtilisation: true)
        }
    }

    static func printState(_ response: AdminResponse, utilisation: Bool) {
        if response.engagedKillSwitches.isEmpty {
            print("kill switches: none engaged")
        }
        for record in response.engagedKillSwitches {
            let since = Date(timeIntervalSince1970: Double(record.engagedAt) / 1e9)
            print("kill switch ENGAGED at \(record.level) by \(record.engagedBy) since \(since)\(record.reason.isEmpty ? "" : ": \(record.reason)")")
        }
        guard utilisation else { return }
        for limit in response.utilisation { print(describe(limit)) }
    }

    /// One limit's line: its level and use, what it measures, the amounts in their unit, and
    /// where the limit is set: `normal   5.00% position per month of account DESK1 CLF7: 2 of
    /// 40 contracts (limit of root CL, for each contract month)`.
    static func describe(_ limit: LimitUtilisation) -> String {
        let level = limit.level.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        let amounts = "\(limit.used) of \(limit.limit) \(limit.unit)"
        return "\(level) \(limit.percent)% \(limit.kind.label) of \(limit.subject): \(amounts) (\(setAt(limit)))"
    }

    /// Where a limit is configured, which is not always what it measures: a root's
    /// position-per-month limit measures each month of the root.
    private static func setAt(_ limit: LimitUtilisation) -> String {
        switch limit.scope {
        case .firm: "firm limit"
        case .account(let name): "limit of account \(name)"
        case .session(let name): "limit of session \(name)"
        case .root(let name) where limit.kind == .positionPerMonth: "limit of root \(name), for each contract month"
        case .root(let name): "limit of root \(name)"
        case .symbol(let name): "limit of contract month \(name)"
        }
    }
}
