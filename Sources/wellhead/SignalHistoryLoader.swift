import FIXJournal
import FIXSettings
import Foundation
import Gateway
import Instruments
import Logging
import Signals

/// The daily history the gateway's signals start from (`GatewaySignalHistory`: the profile's
/// `SignalHistory=` CSV, then the days after it the journal covers), with a start's errors
/// named by the profile's key or the journal's record.
enum SignalHistoryLoader {
    private static let logger = Logger(label: "wellhead.signals")

    /// - Parameter error: makes the startup error for a key of the profile.
    static func load(_ path: String?, journal: Journal, catalog: InstrumentCatalog, calendar: TradingCalendar, now: Int64,
                     signals: SignalConfiguration, error: (String, String) -> SettingsError) throws(SettingsError) -> GatewaySignalHistory {
        if signals.interval != .oneDay, path != nil {
            logger.notice("signal history not read: the signals run on intraday bars", metadata: ["interval": "\(signals.interval)"])
        }
        var csv: (path: String, text: String)?
        if let path, signals.interval == .oneDay {
            do {
                csv = (path, try String(contentsOfFile: path, encoding: .utf8))
            } catch let failure {
                throw error("SignalHistory", "\(path): \(failure.localizedDescription)")
            }
        }
        let history: GatewaySignalHistory
        do {
            history = try GatewaySignalHistory.load(csv: csv, journal: journal, catalog: catalog, calendar: calendar, now: now,
                                                    configuration: signals)
        } catch let failure {
            switch failure {
            case .historyFile(let message):
                throw error("SignalHistory", message)
            case .journal(let journalError):
                throw SettingsError(file: journal.path, section: "events", key: GatewaySignalHistory.dailyKind, message: "\(journalError)")
            case .record(let id, _, _):
                // A record that cannot be read is an error that names it.
                throw SettingsError(file: journal.path, section: "events", key: "\(id)", message: "\(failure)")
            }
        }
        if let first = history.rows.first, let last = history.rows.last {
            logger.info("signal history read", metadata: [
                "days": "\(Set(history.rows.map(\.date)).count)", "from": "\(first.date)", "through": "\(last.date)",
                "fromFile": "\(history.csvDays)", "fromJournal": "\(history.recordedDays + history.snapshotDays)",
                "fromSnapshots": "\(history.snapshotDays)", "snapshotsRead": "\(history.snapshotsRead)",
            ])
        }
        return history
    }
}
