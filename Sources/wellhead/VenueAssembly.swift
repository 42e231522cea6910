import FIXJournal
import FIXSettings
import Logging
import NIOCore
import OrderEntry
import VenueSimulator

/// Builds the venue simulator a profile's `Application=venue` sessions share: an exchange of its
/// own (``ExchangeOrders``: the simulated venue's books, the instruments listed today, the
/// venue's own risk limits, or market-order protection alone), showing its participants the
/// symbols the sessions give (`VenueSymbolRoots`), its orders restored from the journal.
enum VenueAssembly {
    /// `nil` when no session of the profile is a venue session.
    static func make(_ profile: ApplianceProfile, journal: Journal, loop: any EventLoop) throws(SettingsError) -> AssembledVenue? {
        let sessions = profile.sessions.filter { $0.application == "venue" }
        guard let first = sessions.first, let settings = first.gateway else { return nil }
        // Every participant sees the venue's symbols, so its sessions must agree on them.
        if let other = sessions.first(where: { $0.venueSymbolRoots != first.venueSymbolRoots }) {
            throw SettingsError(file: profile.file, section: "\(other.configuration.id)", key: "VenueSymbolRoots",
                                message: "every venue session shows the same symbols, but this one differs from \(first.configuration.id)")
        }
        let section = "\(first.configuration.id)"
        let market = try MarketAssembly(profile, section: section, settings: settings)
        // A participant trades under its own CompID unless the session names an Account, and
        // any account unless it lists some.
        var accounts: [String: String] = [:]
        for session in sessions {
            let participant = session.configuration.id.targetCompID
            accounts[participant] = session.gateway?.defaultAccount ?? participant
            if let listed = session.gateway?.accounts, !listed.isEmpty { market.risk.permitAccounts(listed.sorted(), session: participant) }
        }
        let participantSymbols = VenueDialect(roots: first.venueSymbolRoots)
        try ApplianceProfile.checkSnapshotInterval(sessions)
        var exchange = ExchangeOrders(venue: market.venue, risk: market.risk, calendar: market.calendar, accounts: accounts,
                                      participantSymbols: participantSymbols,
                                      marketDataSnapshotInterval: settings.marketDataSnapshotInterval, now: market.now)
        var restoredReports: [ExchangeMessage] = []
        try profile.restore("venue", section: section) {
            let (restored, reports) = try exchange.restore(ExchangeJournalRow.restorePoint(in: journal), now: market.now)
            restoredReports = reports
            guard restored.orders > 0 else { return nil }
            return ["orders": "\(restored.orders)", "working": "\(restored.workingOrders)", "nextOrderNumber": "\(restored.nextOrderNumber)"]
        }
        // Restored here, before any session runs, then handed to the loop that owns it.
        let venue = VenueApplication(exchange: exchange, journal: journal, loop: loop, restoredReports: restoredReports,
                                     participantSymbols: participantSymbols)
        return AssembledVenue(application: venue, limits: market.limits)
    }
}

/// The venue simulator a profile's sessions share, and the limits file its risk sidecar reloads.
struct AssembledVenue {
    let application: VenueApplication
    let limits: RiskLimitsFile?
}
