import AdminSocket
import ArgumentParser
import Foundation
import Gateway

/// `wellhead venue`: QA's controls on a running venue simulator (`Application=venue`),
/// through its admin socket: halt and resume trading, shock prices. The venue records the
/// operating-system user who ran the command as the person acting (`os:<user>`).
struct VenueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "venue",
        abstract: "Halt, resume or shock a running venue simulator.",
        subcommands: [Halt.self, Resume.self, Shock.self, Scenario.self]
    )

    struct Halt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Halt trading: new orders are rejected, cancels accepted; every session is told.")
        @Option(help: "Why, sent to every session in the TradingSessionStatus Text.") var reason = ""
        @OptionGroup var target: RiskCommand.Target

        func run() async throws {
            try await target.send(AdminRequest(command: .halt, reason: reason))
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume trading after a halt.")
        @OptionGroup var target: RiskCommand.Target

        func run() async throws {
            try await target.send(AdminRequest(command: .resume))
        }
    }

    struct Shock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move every month of a root by a percentage of its price at once.")
        @Option(help: "The product root, e.g. CL.") var root: String
        @Option(parsing: .unconditional, help: "The move in percent, e.g. -30 or 12.5 (-150 takes 70.00 to -35.00).") var percent: String
        @OptionGroup var target: RiskCommand.Target

        func run() async throws {
            try await target.send(AdminRequest(command: .shock, root: root, percent: percent))
        }
    }

    struct Scenario: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scenario file on the venue: timed halts, shocks, price paths, latency, rejects, drops, circuit breakers.")
        @Argument(help: "The scenario YAML file, e.g. sessions/scenarios/april-2020.yaml.") var file: String
        @OptionGroup var target: RiskCommand.Target

        func run() async throws {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            try await target.send(AdminRequest(command: .scenario, scenario: text, file: file))
        }
    }
}
