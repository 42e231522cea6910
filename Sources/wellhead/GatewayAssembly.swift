import FIXJournal
import FIXSettings
import FIXTransport
import Gateway
import Instruments
import Logging
import RiskSidecar
import SimulatedVenue

/// The order gateway a profile's sessions share, and the risk sidecar inside it.
struct AssembledGateway {
    let application: GatewayApplication
    let risk: RiskSidecar
    /// The file the sidecar's limits came from, which SIGHUP reloads (`RiskLimitsReloadService`);
    /// `nil` for a venue without limits of its own.
    let limitsPath: String?
}

/// Builds the order gateway a profile's `Application=gateway` (or `venue`) sessions share:
/// instruments listed for today, the risk sidecar with its limits, the simulated venue.
enum GatewayAssembly {
    /// `nil` when no session of the profile is a gateway session.
    static func make(_ profile: ApplianceProfile, journal: Journal) throws(SettingsError) -> AssembledGateway? {
        let sessions = profile.sessions.filter { $0.gateway != nil }
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
        for route in routes {
            let session = route.configuration.id.targetCompID
            fixVenues[route.venueName ?? ""] = session
            dialects[session] = VenueDialect(roots: route.venueSymbolRoots, orderFields: route.venueOrderFields)
        }
        let section = "\(first.configuration.id)"
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
        let now = WallClock.now()
        // What is listed on the trading day in progress (after 17:00 New York, tomorrow's).
        let catalog = reference.catalog(on: calendar.tradingDate(at: now.nanosecondsSinceEpoch))
        let risk: RiskSidecar
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
        var accounts: [String: String] = [:]
        var permitted: [String: Set<String>] = [:]
        for session in sessions {
            if let listed = session.gateway?.accounts, !listed.isEmpty {
                permitted[session.configuration.id.targetCompID] = Set(listed)
            }
            // A venue's participants trade under their own CompID unless an Account is given.
            let target = session.configuration.id.targetCompID
            if let account = session.gateway?.defaultAccount ?? (session.application == "venue" ? target : nil) {
                accounts[target] = account
            }
        }
        let venue: SimulatedVenue
        do {
            venue = try SimulatedVenue(catalog: catalog, seed: settings.simulationSeed, settings: .standard,
                                       startTime: now.nanosecondsSinceEpoch)
        } catch {
            throw SettingsError(file: profile.file, section: section, key: "Instruments", message: "\(error)")
        }
        let gateway = OrderGateway(catalog: catalog, venue: venue, risk: risk,
                                   settings: GatewaySettings(defaultAccounts: accounts, fixVenues: fixVenues, venueDialects: dialects,
                                                             permittedAccounts: permitted),
                                   calendar: calendar, now: now.nanosecondsSinceEpoch)
        // A venue simulator's participants all see its symbols, so its sessions must agree on them.
        let venueSessions = sessions.filter { $0.application == "venue" }
        if let first = venueSessions.first, let other = venueSessions.first(where: { $0.venueSymbolRoots != first.venueSymbolRoots }) {
            throw SettingsError(file: profile.file, section: "\(other.configuration.id)", key: "VenueSymbolRoots",
                                message: "every venue session shows the same symbols, but this one differs from \(first.configuration.id)")
        }
        let participantSymbols = VenueDialect(roots: venueSessions.first?.venueSymbolRoots ?? [:])
        let application = GatewayApplication(gateway: gateway, journal: journal, participantSymbols: participantSymbols)
        let events: [GatewayRecord]
        do {
            events = try GatewayRecord.restorePoint(in: journal)
        } catch {
            throw SettingsError(file: profile.file, section: section, key: "JournalPath", message: "cannot read the gateway's journal: \(error)")
        }
        do {
            let restored = try application.restore(events: events, now: now.nanosecondsSinceEpoch)
            if restored.orders > 0 {
                Logger(label: "wellhead.gateway").notice(
                    "restored \(restored.orders) orders (\(restored.workingOrders) working) and \(restored.fills) fills from the journal; next OrderID number \(restored.nextOrderNumber)")
            }
        } catch {
            throw SettingsError(file: profile.file, section: section, key: "JournalPath",
                                message: "cannot restore the gateway from \(profile.journalPath): \(error)")
        }
        return AssembledGateway(application: application, risk: risk, limitsPath: settings.riskLimitsPath)
    }
}
