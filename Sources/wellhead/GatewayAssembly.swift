import FIXJournal
import FIXSettings
import FIXTransport
import Foundation
import Gateway
import Instruments
import Logging
import NIOCore
import RiskSidecar
import Signals
import SimulatedVenue
import OrderEntry

/// Builds the order gateway a profile's `Application=gateway` sessions share: instruments
/// listed for today, the risk sidecar with its limits, the simulated venue, the routes to FIX
/// venues; restored from its journal, then handed to its application, whose event loop `loop`
/// owns it from then on.
/// The order gateway a profile's sessions share, and the limits file its risk sidecar reloads.
struct AssembledGateway {
    let application: GatewayApplication
    let limits: RiskLimitsFile?
    /// The signals file SIGHUP reloads; `nil` when the profile names none.
    let signals: SignalsFile?
}

/// The gateway's signals file (`Signals=`): what SIGHUP reloads, beside the risk limits.
struct SignalsFile: Sendable {
    let application: GatewayApplication
    let path: String

    /// Reads and parses the file; a bad one is an error naming the file and the key path.
    static func load(path: String) throws -> SignalConfiguration {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try SignalConfiguration.parse(yaml: text, file: path)
    }

    /// Loads the file again and hands it to the gateway; a file that does not load keeps the
    /// signals in force and is logged.
    func reload(logger: Logger) {
        do {
            application.reloadSignals(try Self.load(path: path))
            logger.notice("signals reloaded", metadata: ["path": "\(path)"])
        } catch {
            logger.error("signals not reloaded", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}

/// A risk sidecar and the file its limits came from: what SIGHUP reloads
/// (`RiskLimitsReloadService`).
struct RiskLimitsFile {
    let risk: RiskSidecar
    let path: String
}

enum GatewayAssembly {
    /// `nil` when no session of the profile is a gateway session.
    static func make(_ profile: ApplianceProfile, journal: Journal, loop: any EventLoop) throws(SettingsError) -> AssembledGateway? {
        let sessions = profile.sessions.filter { $0.application == "gateway" }
        let routes = profile.sessions.filter { $0.application == "route" }
        guard let first = sessions.first, let settings = first.gateway else {
            if let route = routes.first {
                throw SettingsError(file: profile.file, section: "\(route.configuration.id)", key: "Application",
                                    message: "route sessions carry a gateway's orders to a venue: the profile has no Application=gateway session")
            }
            return nil
        }
        var fixVenues: [String: String] = [:]
        var dialects: [String: VenueDialect] = [:]
        var venueCalendars: [String: TradingCalendar] = [:]
        for route in routes {
            let session = route.configuration.id.targetCompID
            fixVenues[route.venueName ?? ""] = session
            dialects[session] = VenueDialect(roots: route.venueSymbolRoots, orderFields: route.venueOrderFields)
            if let path = route.venueCalendarPath {
                do {
                    venueCalendars[session] = try TradingCalendar.load(path: path)
                } catch {
                    throw SettingsError(file: profile.file, section: "\(route.configuration.id)", key: "TradingCalendar", message: "\(error)")
                }
            }
        }
        let section = "\(first.configuration.id)"
        if !settings.simulatedVenue, routes.isEmpty {
            throw SettingsError(file: profile.file, section: section, key: "SimulatedVenue",
                                message: "N leaves this gateway no venue: add a route session (Application=route) or set Y")
        }
        let market = try MarketAssembly(profile, section: section, settings: settings)
        var accounts: [String: String] = [:]
        var permitted: [String: Set<String>] = [:]
        for session in sessions {
            let target = session.configuration.id.targetCompID
            if let listed = session.gateway?.accounts, !listed.isEmpty { permitted[target] = Set(listed) }
            if let account = session.gateway?.defaultAccount { accounts[target] = account }
        }
        try ApplianceProfile.checkSnapshotInterval(sessions)
        var signals = SignalConfiguration.standard
        if let path = settings.signalsPath {
            do {
                signals = try SignalsFile.load(path: path)
            } catch {
                throw SettingsError(file: profile.file, section: section, key: "Signals", message: "\(error)")
            }
        }
        let gateway = OrderGateway(catalog: market.catalog, venue: settings.simulatedVenue ? market.venue : nil, risk: market.risk,
                                   settings: GatewaySettings(defaultAccounts: accounts, fixVenues: fixVenues, venueDialects: dialects,
                                                             permittedAccounts: permitted, venueCalendars: venueCalendars,
                                                             marketDataSnapshotInterval: settings.marketDataSnapshotInterval),
                                   calendar: market.calendar, now: market.now)
        // The limits edited while running (the console's), made again over the file's.
        try profile.restore("risk", section: section) {
            let edits = try market.risk.restoreLimitEdits(from: journal)
            return edits > 0 ? ["limitEdits": "\(edits)"] : nil
        }
        var restoredReports: [GatewayOutbound] = []
        try profile.restore("gateway", section: section) {
            let (restored, reports) = try gateway.restore(events: GatewayRecord.restorePoint(in: journal), now: market.now)
            restoredReports = reports
            guard restored.orders > 0 else { return nil }
            return ["orders": "\(restored.orders)", "working": "\(restored.workingOrders)", "fills": "\(restored.fills)",
                    "nextOrderNumber": "\(restored.nextOrderNumber)"]
        }
        let history = try SignalHistoryLoader.load(settings.signalHistoryPath, journal: journal, catalog: market.catalog,
                                                   calendar: market.calendar, now: market.now, signals: signals) { key, message in
            SettingsError(file: profile.file, section: section, key: key, message: message)
        }
        gateway.resume(dailyMarks: history.todayMarks)
        let application = GatewayApplication(gateway: gateway, journal: journal, loop: loop, restoredReports: restoredReports,
                                             signals: signals, signalHistory: history.rows, signalHistorySource: history.source)
        // The signals' records as the journal has them (direction changes and their outcomes).
        try profile.restore("signals", section: section) {
            var events: [(id: Int64, kind: String, time: Int64, json: String)] = []
            for kind in GatewayApplication.signalRecordKinds { events += try journal.events(kind: kind) }
            let read = try application.restoreSignalRecords(events.sorted { $0.id < $1.id })
            return read > 0 ? ["signalRecords": "\(read)"] : nil
        }
        return AssembledGateway(application: application, limits: market.limits,
                                signals: settings.signalsPath.map { SignalsFile(application: application, path: $0) })
    }
}

extension ApplianceProfile {
    /// Restores `application` (the gateway, the venue) from the profile's journal at startup:
    /// `restore` returns what it found, to log (`nil` when nothing); a journal it cannot
    /// restore from stops the start, named with `section`.
    func restore(_ application: String, section: String, _ restore: () throws -> Logger.Metadata?) throws(SettingsError) {
        do {
            if let found = try restore() { Logger(label: "wellhead.\(application)").notice("restored from the journal", metadata: found) }
        } catch {
            throw SettingsError(file: file, section: section, key: "JournalPath",
                                message: "cannot restore the \(application) from \(journalPath): \(error)")
        }
    }
}

/// What the gateway and the venue simulator each build from their first session's files: the
/// instrument reference, the trading calendar, what is listed today, the risk sidecar with its
/// limits, and the simulated venue.
struct MarketAssembly {
    let calendar: TradingCalendar
    /// What is listed on the trading day in progress (after 17:00 New York, tomorrow's).
    let catalog: InstrumentCatalog
    let risk: RiskSidecar
    let venue: SimulatedVenue
    /// The risk sidecar and the file its limits came from, which SIGHUP reloads; `nil` for a
    /// venue without limits of its own.
    var limits: RiskLimitsFile? { riskLimitsPath.map { RiskLimitsFile(risk: risk, path: $0) } }
    private let riskLimitsPath: String?
    /// The start time, nanoseconds since the epoch.
    let now: Int64

    /// Errors name the profile's file and `section`, the session whose keys were read.
    init(_ profile: ApplianceProfile, section: String, settings: GatewayProfile) throws(SettingsError) {
        let reference: InstrumentReference
        do {
            reference = try InstrumentReferenceLoader.load(path: settings.instrumentsPath)
        } catch {
            throw SettingsError(file: profile.file, section: section, key: "Instruments", message: "\(error)")
        }
        var calendar = TradingCalendar.aroundTheClock
        if let path = settings.tradingCalendarPath {
            do {
                calendar = try TradingCalendar.load(path: path)
            } catch {
                throw SettingsError(file: profile.file, section: section, key: "TradingCalendar", message: "\(error)")
            }
        }
        now = WallClock.now().nanosecondsSinceEpoch
        riskLimitsPath = settings.riskLimitsPath
        catalog = reference.catalog(on: calendar.tradingDate(at: now))
        self.calendar = calendar
        let contracts = reference.products.map(\.spec)
        if let limitsPath = settings.riskLimitsPath {
            do {
                risk = try RiskSidecar(limitsPath: limitsPath, contracts: contracts, logger: Logger(label: "wellhead.risk"))
            } catch {
                throw SettingsError(file: profile.file, section: section, key: "RiskLimits", message: "\(error)")
            }
        } else {
            // A venue without limits of its own: every order reaches the book, market and stop
            // orders with protection points, as CME Globex gives them (100 ticks).
            risk = RiskSidecar(limits: RiskLimits(firm: LimitSet(marketProtection: .ticks(100))), contracts: contracts,
                               logger: Logger(label: "wellhead.risk"))
        }
        do {
            venue = try SimulatedVenue(catalog: catalog, seed: settings.simulationSeed, settings: .standard, startTime: now)
        } catch {
            throw SettingsError(file: profile.file, section: section, key: "Instruments", message: "\(error)")
        }
    }
}
