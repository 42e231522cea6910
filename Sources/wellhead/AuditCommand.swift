import ArgumentParser
import FIXDictionary
import FIXJournal
import Foundation
import JournalAudit

/// `wellhead audit`: compliance's reading of the journal, safe beside a running appliance
/// (the journal is opened as `Journal(path:)` opens it, reading what another process writes).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Search the journal: one order's whole lifecycle, or every row of a time range as CSV.",
        subcommands: [Order.self, Export.self]
    )

    /// Which journal: a file named directly, or the one a settings file's profile journals to.
    struct Source: ParsableArguments {
        @Option(help: "The journal file, e.g. sessions/demo.journal.") var journal: String?
        @Option(help: "The settings file whose journal to read, e.g. sessions/demo.cfg.") var config: String?
        @Option(help: "A QuickFIX data dictionary for field names (with --journal; --config uses the profile's).")
        var dictionary: String?

        func validate() throws {
            guard (journal == nil) != (config == nil) else { throw ValidationError("name the journal with --journal or --config (one of them)") }
        }

        /// The audit trail of the journal named; a journal or dictionary that cannot be read is
        /// an error on standard error and a non-zero exit.
        func trail() throws -> AuditTrail {
            var path = journal ?? ""
            var loaded: FIXDataDictionary?
            do {
                if let config {
                    let profile = try ApplianceProfile.load(path: config)
                    path = profile.journalPath
                    let sessions = profile.sessions.map(\.fix.configuration)
                    loaded = sessions.lazy.compactMap(\.dictionary).first
                }
                if let dictionary { loaded = try FIXDictionaryLoader.load(path: dictionary) }
            } catch {
                AuditCommand.fail("\(error)")
            }
            guard FileManager.default.fileExists(atPath: path) else { AuditCommand.fail("no journal at \(path)") }
            do {
                return AuditTrail(journal: try Journal(path: path), dictionary: loaded)
            } catch {
                AuditCommand.fail("\(error)")
            }
        }
    }

    static func fail(_ message: String) -> Never {
        var standardError = StandardError()
        print("error: \(message)", to: &standardError)
        Foundation.exit(ExitCode.failure.rawValue)
    }

    struct Order: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "order",
            abstract: "Print one order's lifecycle, found by any ClOrdID of its chain or by its OrderID."
        )

        @Option(help: "Any ClOrdID the order went by (new, replace or cancel).") var clordid: String?
        @Option(help: "The gateway's OrderID (WH00000001) or the venue's.") var orderid: String?
        @Flag(help: "Print the lifecycle as CSV instead.") var csv = false
        @OptionGroup var source: Source

        func validate() throws {
            guard (clordid == nil) != (orderid == nil) else { throw ValidationError("name the order with --clordid or --orderid (one of them)") }
        }

        func run() throws {
            let trail = try source.trail()
            defer { trail.journal.close() }
            let orders: [OrderLifecycle]
            do {
                if let clordid { orders = try trail.orders(clOrdID: clordid) } else { orders = try trail.orders(orderID: orderid!) }
            } catch {
                trail.journal.close()
                AuditCommand.fail(error.description)
            }
            if csv {
                print(AuditCSV.csv(orders), terminator: "")
            } else {
                print(orders.map(AuditReport.text).joined(separator: "\n\n"))
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write every journal row of a time range (of one account's orders, with --account) as CSV."
        )

        @Option(help: "From this time, ISO-8601 UTC (2026-12-07T14:00:00Z or 2026-12-07).") var from: String
        @Option(help: "To this time, inclusive, ISO-8601 UTC.") var to: String
        @Option(help: "Only the rows of this account's orders.") var account: String?
        @Flag(help: "CSV (RFC 4180), the one format written.") var csv = false
        @Option(help: "Write to this file instead of standard output.") var output: String?
        @OptionGroup var source: Source

        func validate() throws {
            guard csv else { throw ValidationError("export writes CSV: say --csv") }
        }

        func run() throws {
            let start: Int64
            let end: Int64
            do {
                start = try AuditTime.nanoseconds(iso8601: from)
                end = try AuditTime.nanoseconds(iso8601: to)
            } catch {
                throw ValidationError(error.description)
            }
            let trail = try source.trail()
            defer { trail.journal.close() }
            let text: String
            do {
                text = AuditCSV.csv(try trail.rows(account: account, from: start, through: end))
            } catch {
                trail.journal.close()
                AuditCommand.fail(error.description)
            }
            guard let output else {
                print(text, terminator: "")
                return
            }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                trail.journal.close()
                AuditCommand.fail("cannot write \(output): \(error)")
            }
        }
    }
}
