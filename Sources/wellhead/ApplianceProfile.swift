import FIXSettings
import Foundation
import Gateway
import OrderEntry

/// A settings file as `wellhead serve` runs it: the FIX engine's profile (FIXSettings: the
/// file, QuickFIX's keys, how each session is carried), and what each session's application
/// reads from the keys of its own: the order gateway's and the venue simulator's files and
/// accounts, a route's venue. Those keys are declared and checked here, beside the gateway's
/// assembly, with errors naming the file, line, section and key.
struct ApplianceProfile: Sendable {
    let engine: EngineProfile
    /// The file's sessions, in its order.
    let sessions: [ApplianceSession]

    var file: String { engine.file }
    var journalPath: String { engine.journalPath }

    /// The applications a session may name, with the keys of their own: the echo application
    /// has none; the venue simulator reads the gateway's files (instruments, its own limits,
    /// calendar, seed) for an exchange of its own, and may show an exchange's roots.
    static let applications = ApplicationKeys([
        "echo": [],
        "gateway": GatewayProfile.keys,
        "venue": GatewayProfile.keys.union(["VenueSymbolRoots"]),
        "route": Set(ApplianceSession.routeKeys).union(["TradingCalendar"]),
    ], fallback: "echo")

    /// The gateway's (or the venue simulator's) sessions share one market, so one snapshot
    /// interval: every session must give the first one's.
    static func checkSnapshotInterval(_ sessions: [ApplianceSession]) throws(SettingsError) {
        guard let first = sessions.first(where: { $0.gateway != nil })?.gateway?.marketDataSnapshotInterval else { return }
        if let other = sessions.first(where: { $0.gateway.map { $0.marketDataSnapshotInterval != first } ?? false }) {
            throw other.fix.applicationSettings.error("MarketDataSnapshotInterval",
                                                      "every session of one gateway or venue journals the same market, but this one differs from \(first) seconds")
        }
    }

    static func load(path: String) throws(SettingsError) -> ApplianceProfile {
        try ApplianceProfile(file: SettingsFile.load(path: path))
    }

    init(file: SettingsFile) throws(SettingsError) {
        engine = try EngineProfile(file: file, applications: Self.applications)
        var sessions: [ApplianceSession] = []
        for session in engine.sessions {
            sessions.append(try ApplianceSession(session, journalPath: engine.journalPath))
        }
        self.sessions = sessions
    }
}

/// One session: what the engine read, and what its application reads from its own keys. The
/// engine's side reads through (`session.configuration`, `session.acceptPort` …).
@dynamicMemberLookup
struct ApplianceSession: Sendable {
    let fix: SessionProfile
    /// `Application=gateway` (and `venue`, whose exchange reads the same files): the order
    /// gateway's files and the session's accounts.
    let gateway: GatewayProfile?
    /// `Application=route`: the name (`VenueName`) OMS orders give in ExDestination (100) or
    /// SecurityExchange (207) to be routed over this session to a venue.
    let venueName: String?
    /// `Application=route`: the venue's root for each gateway root it names differently
    /// (`VenueSymbolRoots=BZ:BRN,HO:HOX`). `Application=venue`: the roots the venue
    /// simulator shows its participants instead of the catalog's, as that exchange would.
    let venueSymbolRoots: [String: String]
    /// `Application=route`: fields added to every order request sent to the venue
    /// (`VenueOrderFields=207:XNYM,582:1`), in order.
    let venueOrderFields: [VenueDialect.Field]
    /// `Application=route`: when the venue trades (`TradingCalendar`, a calendar YAML file):
    /// outside its hours the gateway refuses new orders for it. Absent: the venue says.
    let venueCalendarPath: String?

    subscript<Value>(dynamicMember path: KeyPath<SessionProfile, Value>) -> Value { fix[keyPath: path] }

    init(_ fix: SessionProfile, journalPath: String) throws(SettingsError) {
        self.fix = fix
        let settings = fix.applicationSettings
        let application = fix.application
        gateway = application == "gateway" || application == "venue"
            ? try GatewayProfile(settings, application: application, journalPath: journalPath) : nil
        if application == "route" {
            guard let name = settings.string("VenueName"), !name.isEmpty else {
                throw settings.error("VenueName", "missing (required with Application=route: the ExDestination orders give to reach this venue)")
            }
            venueName = name
            venueCalendarPath = try settings.existingFile("TradingCalendar")
        } else {
            // A venue simulator may name contracts as an exchange does; only a route has the rest.
            for key in Self.routeKeys where settings.string(key) != nil && !(key == "VenueSymbolRoots" && application == "venue") {
                throw settings.error(key, "only a route session (Application=route) talks to a venue; this session is Application=\(application)")
            }
            venueName = nil
            venueCalendarPath = nil
        }
        venueSymbolRoots = try settings.venueSymbolRoots()
        venueOrderFields = try settings.venueOrderFields()
    }

    /// The keys a route to a venue reads (`Application=route`), in the order they are checked.
    static let routeKeys = ["VenueName", "VenueSymbolRoots", "VenueOrderFields"]
}

/// What `Application=gateway` (and `Application=venue`) needs beyond a FIX session.
struct GatewayProfile: Sendable, Hashable {
    /// The risk limits YAML file (`RiskLimits`), reloaded on SIGHUP. Required for the gateway;
    /// optional for a venue (an exchange's own limits), which runs without limits when absent.
    var riskLimitsPath: String?
    /// The instrument reference YAML file (`Instruments`).
    var instrumentsPath: String
    /// The account for orders that carry none (`DefaultAccount`).
    var defaultAccount: String?
    /// The accounts the session may trade (`Accounts`, comma-separated; the default account
    /// is one of them). An OMS session of the gateway must name at least one; empty for a
    /// venue's participant means any.
    var accounts: [String]
    /// The trading calendar YAML file (`TradingCalendar`): when the venue trades and when the
    /// trading day ends. Around the clock, the day ending at 17:00 New York time, when absent.
    var tradingCalendarPath: String?
    /// The simulated venue's random seed (`SimulationSeed`): the same seed, the same market.
    var simulationSeed: UInt64
    /// The Unix domain socket for admin requests (`AdminSocket`): kill switches and limit
    /// utilisation for `wellhead risk`, venue controls, the trading day. Beside the journal
    /// unless set.
    var adminSocketPath: String
    /// Whether the gateway has the in-process simulated venue (`SimulatedVenue`, Y unless set):
    /// where an order naming no venue goes, and whose prices are the marks. A gateway in front
    /// of real venues only sets N: every order names its venue (ExDestination).
    var simulatedVenue: Bool
    /// Seconds between the journal's market-data snapshots (`MarketDataSnapshotInterval`, 60
    /// unless set, 0 for none): each instrument's bid, ask, last and mark with its venue, as
    /// the gateway's risk and marks or the venue simulator's feed took them, journaled
    /// (`marketdata.snapshot`) only when something changed since the last.
    var marketDataSnapshotInterval: Int
    /// The signals YAML file (`Signals`): each root's composite weights and thresholds, reloaded
    /// on SIGHUP. `SignalConfiguration.standard` when absent.
    var signalsPath: String?
    /// Daily settlements per contract the signals start from (`SignalHistory`, CSV as
    /// `SettlementHistory` reads it and `wellhead signals sample` writes it); `nil` for none.
    var signalHistoryPath: String?
    /// The admin console (`ConsolePort`, `ConsoleAddress`, `Users`): served by the gateway when
    /// a port is set, on 127.0.0.1 unless an address is; `nil` for none.
    var console: ConsoleSettings?

    struct ConsoleSettings: Sendable, Hashable {
        var host: String
        var port: Int
        /// The users file: it need not exist yet (`wellhead user add` creates it).
        var usersPath: String
    }

    /// The keys it reads.
    static let keys: Set<String> = ["RiskLimits", "Instruments", "DefaultAccount", "Accounts", "TradingCalendar", "SimulationSeed",
                                    "AdminSocket", "SimulatedVenue", "MarketDataSnapshotInterval", "Signals", "SignalHistory", "ConsolePort",
                                    "ConsoleAddress", "Users"]

    init(_ settings: SessionSettings, application: String, journalPath: String) throws(SettingsError) {
        for key in application == "gateway" ? ["RiskLimits", "Instruments"] : ["Instruments"] where settings.string(key) == nil {
            throw settings.error(key, "missing (required with Application=\(application))")
        }
        let seed = try settings.int("SimulationSeed", default: 2026, range: 0...Int.max)!
        var adminSocket = URL(fileURLWithPath: journalPath).deletingPathExtension().path + ".admin.sock"
        if let value = settings.string("AdminSocket") { adminSocket = settings.besideSettings(value) }
        // sockaddr_un holds 108 bytes on Linux, 104 on macOS, with the terminating NUL.
        guard adminSocket.utf8.count < 104 else {
            throw settings.error("AdminSocket", "\(adminSocket) is longer than a Unix domain socket path may be (103 bytes); set a shorter AdminSocket")
        }
        riskLimitsPath = try settings.existingFile("RiskLimits")
        signalsPath = try settings.existingFile("Signals")
        signalHistoryPath = try settings.existingFile("SignalHistory")
        instrumentsPath = try settings.existingFile("Instruments")!
        defaultAccount = settings.string("DefaultAccount")
        accounts = try settings.accounts(application: application)
        tradingCalendarPath = try settings.existingFile("TradingCalendar")
        simulationSeed = UInt64(seed)
        adminSocketPath = adminSocket
        simulatedVenue = try settings.bool("SimulatedVenue", default: true)
        marketDataSnapshotInterval = try settings.int("MarketDataSnapshotInterval", default: 60, range: 0...86_400)!
        if let port = try settings.int("ConsolePort", default: nil, range: 0...65_535) {
            guard application == "gateway" else { throw settings.error("ConsolePort", "the console is the gateway's (Application=gateway)") }
            guard let users = settings.string("Users") else {
                throw settings.error("Users", "missing (required with ConsolePort): the console's users file, created by `wellhead user add`")
            }
            console = ConsoleSettings(host: settings.string("ConsoleAddress") ?? "127.0.0.1", port: port, usersPath: settings.besideSettings(users))
        } else {
            for key in ["ConsoleAddress", "Users"] where settings.string(key) != nil {
                throw settings.error(key, "only read with ConsolePort, which is not set")
            }
        }
        if !simulatedVenue, application == "venue" {
            throw settings.error("SimulatedVenue", "the venue simulator is the simulated venue: N is for a gateway (Application=gateway)")
        }
    }
}

/// The gateway's keys whose values are lists.
private extension SessionSettings {
    /// `Accounts`: the accounts an OMS session may trade, with `DefaultAccount` among them.
    /// A gateway session must name one or the other: without, any account could be traded.
    func accounts(application: String) throws(SettingsError) -> [String] {
        var accounts: [String] = []
        for name in string("Accounts")?.split(separator: ",", omittingEmptySubsequences: false) ?? [] {
            let account = name.trimmingCharacters(in: .whitespaces)
            guard !account.isEmpty else { throw error("Accounts", "an empty account name: list accounts as DESK1,DESK2") }
            guard !accounts.contains(account) else { throw error("Accounts", "\(account) is listed twice") }
            accounts.append(account)
        }
        if let fallback = string("DefaultAccount") {
            guard accounts.isEmpty || accounts.contains(fallback) else {
                throw error("DefaultAccount", "\(fallback) is not one of this session's Accounts (\(accounts.joined(separator: ",")))")
            }
            // A venue's participant is restricted only by a list it is given.
            if accounts.isEmpty, application == "gateway" { accounts = [fallback] }
        }
        if application == "gateway", accounts.isEmpty {
            throw error("Accounts", "missing: an OMS session lists the accounts it may trade (Accounts=DESK1,DESK2) or names one with DefaultAccount=")
        }
        return accounts
    }

    /// `VenueSymbolRoots`: `gatewayRoot:venueRoot` pairs, comma-separated.
    func venueSymbolRoots() throws(SettingsError) -> [String: String] {
        var roots: [String: String] = [:]
        for (ours, theirs) in try pairs("VenueSymbolRoots", "gatewayRoot:venueRoot, such as BZ:BRN") {
            guard ours.allSatisfy({ $0.isUppercase || $0.isNumber }), theirs.allSatisfy({ $0.isUppercase || $0.isNumber }) else {
                throw error("VenueSymbolRoots", "'\(ours):\(theirs)': roots are upper-case letters and digits")
            }
            guard roots[ours] == nil else { throw error("VenueSymbolRoots", "root \(ours) is mapped twice") }
            roots[ours] = theirs
        }
        let venueRoots = Array(roots.values)
        if let twice = venueRoots.first(where: { root in venueRoots.filter { $0 == root }.count > 1 }) {
            throw error("VenueSymbolRoots", "two roots map to the venue's \(twice): symbols could not be translated back")
        }
        return roots
    }

    /// `VenueOrderFields`: `tag:value` pairs, comma-separated.
    func venueOrderFields() throws(SettingsError) -> [VenueDialect.Field] {
        var fields: [VenueDialect.Field] = []
        for (tag, value) in try pairs("VenueOrderFields", "tag:value, such as 207:XNYM") {
            guard let number = Int(tag), number > 0 else { throw error("VenueOrderFields", "'\(tag)' is not a FIX tag number") }
            guard !VenueDialect.gatewayOrderTags.contains(number) else {
                throw error("VenueOrderFields", "tag \(number) is set by the gateway on every order request and cannot be fixed per venue")
            }
            guard !fields.contains(where: { $0.tag == number }) else { throw error("VenueOrderFields", "tag \(number) is given twice") }
            fields.append(VenueDialect.Field(tag: number, value: value))
        }
        return fields
    }

    /// A comma-separated list of `a:b` pairs, both sides non-empty.
    func pairs(_ key: String, _ form: String) throws(SettingsError) -> [(String, String)] {
        guard let value = string(key) else { return [] }
        var result: [(String, String)] = []
        for item in value.split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw error(key, "'\(item.trimmingCharacters(in: .whitespaces))' is not \(form)")
            }
            result.append((parts[0], parts[1]))
        }
        return result
    }
}
