import FIXCodec
import FIXCredentials
import FIXDictionary
import FIXSession
import FIXTransportConfiguration
import Foundation

/// Everything one `[SESSION]` of a settings file says, typed and checked.
public struct SessionProfile: Sendable {
    public var configuration: SessionConfiguration
    /// Wellhead's `Application` key: which application the session hands messages to.
    public var application: String
    public var acceptHost: String
    public var acceptPort: Int?
    /// SocketConnectHost/Port, then SocketConnectHost1/Port1 … for failover, in order.
    public var connectAddresses: [ConnectAddress]
    public var reconnectInterval: Int
    public var reuseAddress: Bool
    public var noDelay: Bool
    public var tls: TLSSettings?
    /// ValidateLengthAndChecksum.
    public var validateLengthAndChecksum: Bool
    /// PersistMessages: when N, a ResendRequest is answered with gap fills only.
    public var persistMessages: Bool
    public var dictionaryPath: String?
    /// `Application=gateway` only: the order gateway's files and the OMS session's default
    /// account (Wellhead's keys RiskLimits, Instruments, DefaultAccount, SimulationSeed).
    public var gateway: GatewayProfile?
    /// `Application=route`: the name (`VenueName`) OMS orders give in ExDestination (100) or
    /// SecurityExchange (207) to be routed over this session to a venue.
    public var venueName: String?
    /// `Application=route`: the venue's root for each gateway root it names differently
    /// (`VenueSymbolRoots=BZ:BRN,HO:HOX`). `Application=venue`: the roots the venue
    /// simulator shows its participants instead of the catalog's, as that exchange would.
    public var venueSymbolRoots: [String: String] = [:]
    /// `Application=route`: fields added to every order request sent to the venue
    /// (`VenueOrderFields=207:XNYM,582:1`), in order.
    public var venueOrderFields: [VenueOrderField] = []
}

/// A field a venue wants on every order request (`VenueOrderFields`).
public struct VenueOrderField: Sendable, Hashable {
    public var tag: Int
    public var value: String
}

/// What `Application=gateway` (and `Application=venue`, which runs the same order state
/// machine and matching engine) needs beyond a FIX session.
public struct GatewayProfile: Sendable, Hashable {
    /// The risk limits YAML file (`RiskLimits`), reloaded on SIGHUP. Required for the gateway;
    /// optional for a venue (an exchange's own limits), which runs without limits when absent.
    public var riskLimitsPath: String?
    /// The instrument reference YAML file (`Instruments`).
    public var instrumentsPath: String
    /// The account for orders that carry none (`DefaultAccount`).
    public var defaultAccount: String?
    /// The accounts the session may trade (`Accounts`, comma-separated; the default account
    /// is one of them). An OMS session of the gateway must name at least one; empty for a
    /// venue's participant means any.
    public var accounts: [String]
    /// The trading calendar YAML file (`TradingCalendar`): when the venue trades and when the
    /// trading day ends. Around the clock, the day ending at 17:00 New York time, when absent.
    public var tradingCalendarPath: String?
    /// The simulated venue's random seed (`SimulationSeed`): the same seed, the same market.
    public var simulationSeed: UInt64
    /// The Unix domain socket for risk admin requests (`AdminSocket`): kill switches and
    /// limit utilisation for `wellhead risk`. Beside the journal unless set.
    public var adminSocketPath: String
}

/// A whole settings file: one journal, any number of sessions.
public struct EngineProfile: Sendable {
    public var file: String
    public var journalPath: String
    public var sessions: [SessionProfile]

    /// The keys Wellhead reads, with QuickFIX's meaning.
    public static let knownKeys: Set<String> = [
        "ConnectionType", "BeginString", "SenderCompID", "TargetCompID", "SessionQualifier",
        "SocketAcceptPort", "SocketAcceptHost", "SocketAcceptAddress", "SocketConnectHost", "SocketConnectPort",
        "SocketReuseAddress", "SocketNodelay", "HeartBtInt", "ReconnectInterval", "LogonTimeout", "LogoutTimeout",
        "StartTime", "EndTime", "StartDay", "EndDay", "TimeZone", "UseLocalTime",
        "ResetOnLogon", "ResetOnLogout", "ResetOnDisconnect", "RefreshOnLogon", "PersistMessages",
        "SendRedundantResendRequests", "CheckCompID", "CheckLatency", "MaxLatency",
        "DataDictionary", "UseDataDictionary", "ValidateFieldsOutOfOrder", "ValidateFieldsHaveValues",
        "ValidateUserDefinedFields", "AllowUnknownMsgFields", "ValidateLengthAndChecksum",
        "TimestampPrecision", "MillisecondsInTimeStamp",
        "SocketUseSSL", "SSLProtocol", "ServerCertificateFile", "ServerCertificateKeyFile",
        "ClientCertificateFile", "ClientCertificateKeyFile", "CertificationAuthoritiesFile", "CertificateVerifyLevel",
        "SSLServerHostname",
        "JournalPath", "Application", "RiskLimits", "Instruments", "DefaultAccount", "Accounts", "TradingCalendar", "SimulationSeed", "AdminSocket", "VenueName",
        "VenueSymbolRoots", "VenueOrderFields",
        "LogonCredentialsFile", "LogonUsername", "LogonLockoutAttempts", "LogonLockoutSeconds",
        "LogonPasswordFile", "LogonPasswordEnv", "LogonPassword",
    ]

    /// Tags the gateway (or the session layer) sets on order requests itself: a venue's
    /// `VenueOrderFields` may not name them.
    static let gatewayOrderTags: Set<Int> = [1, 8, 9, 10, 11, 34, 35, 37, 38, 40, 41, 43, 44, 49, 52, 54, 55, 56, 59, 60, 97, 99,
                                             122, 126]

    /// QuickFIX keys Wellhead deliberately does not take, with what to use instead.
    static let replacedKeys: [String: String] = [
        "FileStorePath": "Wellhead journals every session to SQLite: set JournalPath instead",
        "FileLogPath": "Wellhead's audit trail is the SQLite journal (JournalPath); logs go to standard error",
        "ScreenLogShowIncoming": "Wellhead logs to standard error; the journal holds every message",
        "ScreenLogShowOutgoing": "Wellhead logs to standard error; the journal holds every message",
        "ScreenLogShowEvents": "Wellhead logs to standard error",
        "TransportDataDictionary": "FIXT 1.1 sessions are not supported yet; use BeginString=FIX.4.4",
        "AppDataDictionary": "FIXT 1.1 sessions are not supported yet; use BeginString=FIX.4.4",
    ]

    /// Applications the `Application` key may name.
    public static let applications: Set<String> = ["echo", "gateway", "venue", "route"]

    public static func load(path: String) throws(SettingsError) -> EngineProfile {
        try EngineProfile(file: SettingsFile.load(path: path))
    }

    public init(file settings: SettingsFile) throws(SettingsError) {
        file = settings.path
        guard !settings.sessions.isEmpty else {
            throw SettingsError(file: settings.path, message: "no [SESSION] section: nothing to run")
        }
        var dictionaries: [String: FIXDataDictionary] = [:]
        var sessions: [SessionProfile] = []
        var journal: (path: String, reader: SessionReader)?
        var seen: [SessionID: Int] = [:]
        for section in settings.sessions {
            var reader = SessionReader(file: settings, section: section)
            let profile = try reader.profile(dictionaries: &dictionaries)
            try reader.rejectUnknownKeys()
            let journalPath = try reader.journalPath()
            if let journal, journal.path != journalPath {
                throw reader.error("JournalPath", "every session of a profile shares one journal; another session uses \(journal.path)")
            }
            journal = (journalPath, reader)
            if let line = seen[profile.configuration.id] {
                throw reader.error(nil, "session \(profile.configuration.id) is defined twice (first at line \(line))")
            }
            seen[profile.configuration.id] = section.line
            sessions.append(profile)
        }
        journalPath = journal!.path
        self.sessions = sessions
        try checkPorts()
    }

    /// Sessions sharing an acceptor port must agree on how the port is served.
    private func checkPorts() throws(SettingsError) {
        var byPort: [Int: SessionProfile] = [:]
        for session in sessions {
            guard let port = session.acceptPort else { continue }
            if let first = byPort[port], (first.tls == nil) != (session.tls == nil) {
                throw SettingsError(file: file, key: "SocketUseSSL",
                                    message: "sessions on port \(port) disagree on TLS (\(first.configuration.id) and \(session.configuration.id))")
            }
            byPort[port] = byPort[port] ?? session
        }
    }
}

/// Reads one `[SESSION]` with the `[DEFAULT]` values it inherits, remembering which keys
/// were used so an unknown one is an error rather than silently ignored.
struct SessionReader {
    let file: SettingsFile
    let section: SettingsFile.Section
    private var label: String

    init(file: SettingsFile, section: SettingsFile.Section) {
        self.file = file
        self.section = section
        label = "[SESSION] at line \(section.line)"
    }

    private func entry(_ key: String) -> SettingsFile.Entry? {
        section.entries[key] ?? file.defaults.entries[key]
    }

    /// Logon credentials: an acceptor checks them against a password file of hashes, an
    /// initiator reads the password it sends from a file or the environment. A password
    /// written in the settings file is refused.
    func readLogonCredentials(into configuration: inout SessionConfiguration, role: SessionRole) throws(SettingsError) {
        if string("LogonPassword") != nil {
            throw error("LogonPassword", "a password is never written in the settings file: put it in a file (LogonPasswordFile) or the environment (LogonPasswordEnv)")
        }
        switch role {
        case .acceptor:
            for key in ["LogonPasswordFile", "LogonPasswordEnv"] where string(key) != nil {
                throw error(key, "is for initiators, which send a password; an acceptor checks them against LogonCredentialsFile")
            }
            guard let path = try existingFile("LogonCredentialsFile") else {
                for key in ["LogonUsername", "LogonLockoutAttempts", "LogonLockoutSeconds"] where string(key) != nil {
                    throw error(key, "needs LogonCredentialsFile, the password file the Logon is checked against")
                }
                return
            }
            let file: PasswordFile
            do {
                file = try PasswordFile(path: path)
            } catch {
                throw self.error("LogonCredentialsFile", "\(error)")
            }
            let username = string("LogonUsername") ?? configuration.id.targetCompID
            guard file.users[username] != nil else {
                throw error(string("LogonUsername") == nil ? "LogonCredentialsFile" : "LogonUsername",
                            "user \(username) is not in \(path)")
            }
            let policy = LockoutPolicy(attempts: try int("LogonLockoutAttempts", default: 5, range: 1...1000)!,
                                       seconds: try int("LogonLockoutSeconds", default: 300, range: 0...86_400)!)
            configuration.logonAuthenticator = PasswordFileAuthenticator(file: file, username: username, policy: policy)
        case .initiator:
            for key in ["LogonCredentialsFile", "LogonLockoutAttempts", "LogonLockoutSeconds"] where string(key) != nil {
                throw error(key, "is for acceptors, which check Logons; an initiator sends LogonUsername with LogonPasswordFile or LogonPasswordEnv")
            }
            let fileKey = string("LogonPasswordFile"), envKey = string("LogonPasswordEnv")
            guard let username = string("LogonUsername") else {
                for key in ["LogonPasswordFile", "LogonPasswordEnv"] where string(key) != nil {
                    throw error(key, "needs LogonUsername, the user the password belongs to")
                }
                return
            }
            if fileKey != nil && envKey != nil { throw error("LogonPasswordEnv", "give LogonPasswordFile or LogonPasswordEnv, not both") }
            let password: String
            do {
                if let path = try existingFile("LogonPasswordFile") {
                    password = try InitiatorPassword.fromFile(path)
                } else if let name = envKey {
                    password = try InitiatorPassword.fromEnvironment(name)
                } else {
                    throw error("LogonUsername", "needs a password: LogonPasswordFile or LogonPasswordEnv")
                }
            } catch let problem as CredentialsError {
                throw error(fileKey != nil ? "LogonPasswordFile" : "LogonPasswordEnv", "\(problem)")
            } catch let problem as SettingsError {
                throw problem
            } catch {
                throw self.error("LogonUsername", "\(error)")
            }
            configuration.logonCredentials = LogonCredentials(username: username, password: password)
        }
    }

    func error(_ key: String?, _ message: String) -> SettingsError {
        SettingsError(file: file.path, line: key.flatMap { entry($0)?.line } ?? section.line, section: label, key: key, message: message)
    }

    func string(_ key: String) -> String? {
        guard let value = entry(key)?.value, !value.isEmpty else { return nil }
        return value
    }

    func required(_ key: String, _ why: String = "required") throws(SettingsError) -> String {
        guard let value = string(key) else { throw error(key, "missing (\(why))") }
        return value
    }

    func bool(_ key: String, default fallback: Bool) throws(SettingsError) -> Bool {
        guard let value = string(key) else { return fallback }
        switch value.uppercased() {
        case "Y", "YES", "TRUE": return true
        case "N", "NO", "FALSE": return false
        default: throw error(key, "'\(value)' is not Y or N")
        }
    }

    func int(_ key: String, default fallback: Int?, range: ClosedRange<Int> = 0...Int.max) throws(SettingsError) -> Int? {
        guard let value = string(key) else { return fallback }
        guard let number = Int(value), range.contains(number) else {
            throw error(key, "'\(value)' is not a whole number in \(range.lowerBound)...\(range.upperBound == Int.max ? "" : "\(range.upperBound)")")
        }
        return number
    }

    func requiredInt(_ key: String, default fallback: Int? = nil, range: ClosedRange<Int>, _ why: String) throws(SettingsError) -> Int {
        guard let value = try int(key, default: fallback, range: range) else { throw error(key, "missing (\(why))") }
        return value
    }

    /// A path as written, or relative to the settings file's folder when it exists there
    /// and not relative to the working directory.
    func path(_ key: String) -> String? {
        guard let value = string(key) else { return nil }
        if value.hasPrefix("/") || FileManager.default.fileExists(atPath: value) { return value }
        let beside = URL(fileURLWithPath: file.path).deletingLastPathComponent().appendingPathComponent(value).path
        return FileManager.default.fileExists(atPath: beside) ? beside : value
    }

    func existingFile(_ key: String) throws(SettingsError) -> String? {
        guard let path = path(key) else { return nil }
        guard FileManager.default.isReadableFile(atPath: path) else { throw error(key, "cannot read \(path)") }
        return path
    }

    func rejectUnknownKeys() throws(SettingsError) {
        for (key, entry) in file.defaults.entries.merging(section.entries, uniquingKeysWith: { $1 })
        where !EngineProfile.knownKeys.contains(key) && !Self.isFailoverKey(key) {
            let hint = EngineProfile.replacedKeys[key] ?? "not a setting Wellhead knows"
            throw SettingsError(file: file.path, line: entry.line, section: label, key: key, message: hint)
        }
    }

    private static func isFailoverKey(_ key: String) -> Bool {
        for prefix in ["SocketConnectHost", "SocketConnectPort"] where key.hasPrefix(prefix) {
            return Int(key.dropFirst(prefix.count)) != nil
        }
        return false
    }

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

    func journalPath() throws(SettingsError) -> String {
        guard let value = string("JournalPath") else {
            throw error("JournalPath", "missing (the SQLite journal every message is written to)")
        }
        return besideSettings(value)
    }

    /// A path as written, or relative to the settings file's folder: for files Wellhead
    /// creates (the journal, the admin socket), which need not exist yet.
    func besideSettings(_ value: String) -> String {
        if value.hasPrefix("/") { return value }
        return URL(fileURLWithPath: file.path).deletingLastPathComponent().appendingPathComponent(value).path
    }

    mutating func profile(dictionaries: inout [String: FIXDataDictionary]) throws(SettingsError) -> SessionProfile {
        let role: SessionRole
        switch try required("ConnectionType") {
        case "acceptor": role = .acceptor
        case "initiator": role = .initiator
        case let other: throw error("ConnectionType", "'\(other)' is neither acceptor nor initiator")
        }
        let beginString = try required("BeginString")
        guard ["FIX.4.0", "FIX.4.1", "FIX.4.2", "FIX.4.3", "FIX.4.4"].contains(beginString) else {
            throw error("BeginString", "'\(beginString)' is not supported (FIX.4.0 … FIX.4.4)")
        }
        let id = SessionID(beginString: beginString, senderCompID: try required("SenderCompID"),
                           targetCompID: try required("TargetCompID"), qualifier: string("SessionQualifier"))
        label = "[SESSION] at line \(section.line) (\(id))"

        var configuration = SessionConfiguration(id: id, role: role)
        configuration.heartBtInt = try requiredInt("HeartBtInt", default: role == .initiator ? nil : 30, range: 0...3600,
                                                   "required for an initiator")
        configuration.logonTimeout = try int("LogonTimeout", default: 10, range: 1...3600)!
        configuration.logoutTimeout = try int("LogoutTimeout", default: 2, range: 1...3600)!
        configuration.resetOnLogon = try bool("ResetOnLogon", default: false)
        configuration.resetOnLogout = try bool("ResetOnLogout", default: false)
        configuration.resetOnDisconnect = try bool("ResetOnDisconnect", default: false)
        _ = try bool("RefreshOnLogon", default: false) // Wellhead always reads the journal at logon.
        configuration.sendRedundantResendRequests = try bool("SendRedundantResendRequests", default: false)
        configuration.checkCompID = try bool("CheckCompID", default: true)
        configuration.validation.checkLatency = try bool("CheckLatency", default: true)
        configuration.validation.maxLatencySeconds = try int("MaxLatency", default: 120, range: 1...86_400)!
        configuration.validation.validateFieldsOutOfOrder = try bool("ValidateFieldsOutOfOrder", default: true)
        configuration.validation.validateFieldsHaveValues = try bool("ValidateFieldsHaveValues", default: true)
        configuration.validation.validateUserDefinedFields = try bool("ValidateUserDefinedFields", default: true)
        configuration.validation.allowUnknownMessageFields = try bool("AllowUnknownMsgFields", default: false)
        configuration.timestampPrecision = try precision()
        configuration.schedule = try schedule()
        try readLogonCredentials(into: &configuration, role: role)

        var dictionaryPath: String?
        if try bool("UseDataDictionary", default: true) {
            guard let path = path("DataDictionary") else {
                throw error("DataDictionary", "missing (or set UseDataDictionary=N to run without validation)")
            }
            dictionaryPath = path
            if let loaded = dictionaries[path] {
                configuration.dictionary = loaded
            } else {
                do {
                    let loaded = try FIXDictionaryLoader.load(path: path)
                    dictionaries[path] = loaded
                    configuration.dictionary = loaded
                } catch {
                    throw self.error("DataDictionary", "\(error)")
                }
            }
            if let dictionary = configuration.dictionary, dictionary.beginString != beginString {
                throw error("DataDictionary", "\(path) is a \(dictionary.beginString) dictionary but BeginString is \(beginString)")
            }
        }

        let application = string("Application") ?? "echo"
        guard EngineProfile.applications.contains(application) else {
            throw error("Application", "'\(application)' is not an application Wellhead has (\(EngineProfile.applications.sorted().joined(separator: ", ")))")
        }

        var gateway: GatewayProfile?
        if application == "gateway" || application == "venue" {
            for key in application == "gateway" ? ["RiskLimits", "Instruments"] : ["Instruments"] where string(key) == nil {
                throw error(key, "missing (required with Application=\(application))")
            }
            let seed = try int("SimulationSeed", default: 2026, range: 0...Int.max)!
            var adminSocket = URL(fileURLWithPath: try journalPath()).deletingPathExtension().path + ".admin.sock"
            if let value = string("AdminSocket") { adminSocket = besideSettings(value) }
            // sockaddr_un holds 108 bytes on Linux, 104 on macOS, with the terminating NUL.
            guard adminSocket.utf8.count < 104 else {
                throw error("AdminSocket", "\(adminSocket) is longer than a Unix domain socket path may be (103 bytes); set a shorter AdminSocket")
            }
            gateway = GatewayProfile(riskLimitsPath: try existingFile("RiskLimits"), instrumentsPath: try existingFile("Instruments")!,
                                     defaultAccount: string("DefaultAccount"), accounts: try accounts(application: application),
                                     tradingCalendarPath: try existingFile("TradingCalendar"), simulationSeed: UInt64(seed),
                                     adminSocketPath: adminSocket)
        }

        var venueName: String?
        if application == "route" {
            guard let name = string("VenueName"), !name.isEmpty else {
                throw error("VenueName", "missing (required with Application=route: the ExDestination orders give to reach this venue)")
            }
            venueName = name
        } else {
            // A venue simulator may name contracts as an exchange does; only a route has the rest.
            for key in ["VenueName", "VenueSymbolRoots", "VenueOrderFields"] where string(key) != nil
                && !(key == "VenueSymbolRoots" && application == "venue") {
                throw error(key, "only a route session (Application=route) talks to a venue; this session is Application=\(application)")
            }
        }

        var acceptPort: Int?
        var addresses: [ConnectAddress] = []
        switch role {
        case .acceptor:
            acceptPort = try requiredInt("SocketAcceptPort", range: 0...65_535, "required for an acceptor")
        case .initiator:
            addresses = try connectAddresses()
        }
        return SessionProfile(
            configuration: configuration, application: application,
            acceptHost: string("SocketAcceptHost") ?? string("SocketAcceptAddress") ?? "0.0.0.0",
            acceptPort: acceptPort, connectAddresses: addresses,
            reconnectInterval: try int("ReconnectInterval", default: 30, range: 1...86_400)!,
            reuseAddress: try bool("SocketReuseAddress", default: true), noDelay: try bool("SocketNodelay", default: true),
            tls: try tls(role: role), validateLengthAndChecksum: try bool("ValidateLengthAndChecksum", default: true),
            persistMessages: try bool("PersistMessages", default: true), dictionaryPath: dictionaryPath, gateway: gateway,
            venueName: venueName, venueSymbolRoots: try venueSymbolRoots(), venueOrderFields: try venueOrderFields())
    }

    /// `VenueSymbolRoots`: `gatewayRoot:venueRoot` pairs, comma-separated.
    private func venueSymbolRoots() throws(SettingsError) -> [String: String] {
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
    private func venueOrderFields() throws(SettingsError) -> [VenueOrderField] {
        var fields: [VenueOrderField] = []
        for (tag, value) in try pairs("VenueOrderFields", "tag:value, such as 207:XNYM") {
            guard let number = Int(tag), number > 0 else { throw error("VenueOrderFields", "'\(tag)' is not a FIX tag number") }
            guard !EngineProfile.gatewayOrderTags.contains(number) else {
                throw error("VenueOrderFields", "tag \(number) is set by the gateway on every order request and cannot be fixed per venue")
            }
            guard !fields.contains(where: { $0.tag == number }) else { throw error("VenueOrderFields", "tag \(number) is given twice") }
            fields.append(VenueOrderField(tag: number, value: value))
        }
        return fields
    }

    /// A comma-separated list of `a:b` pairs, both sides non-empty.
    private func pairs(_ key: String, _ form: String) throws(SettingsError) -> [(String, String)] {
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

    private func connectAddresses() throws(SettingsError) -> [ConnectAddress] {
        var addresses: [ConnectAddress] = []
        let host = try required("SocketConnectHost", "required for an initiator")
        let port = try requiredInt("SocketConnectPort", range: 1...65_535, "required for an initiator")
        addresses.append(ConnectAddress(host: host, port: port))
        var index = 1
        while let failover = string("SocketConnectHost\(index)") {
            guard let failoverPort = try int("SocketConnectPort\(index)", default: nil, range: 1...65_535) else {
                throw error("SocketConnectPort\(index)", "missing (SocketConnectHost\(index) is set)")
            }
            addresses.append(ConnectAddress(host: failover, port: failoverPort))
            index += 1
        }
        return addresses
    }

    private func precision() throws(SettingsError) -> FIXTimePrecision {
        if let digits = try int("TimestampPrecision", default: nil, range: 0...9) {
            switch digits {
            case 0: return .seconds
            case 3: return .milliseconds
            case 6: return .microseconds
            case 9: return .nanoseconds
            default: throw error("TimestampPrecision", "\(digits) is not 0, 3, 6 or 9")
            }
        }
        return try bool("MillisecondsInTimeStamp", default: true) ? .milliseconds : .seconds
    }

    private func timeOfDay(_ key: String) throws(SettingsError) -> Int? {
        guard let value = string(key) else { return nil }
        let parts = value.split(separator: ":").map { Int($0) }
        guard parts.count == 3, let hour = parts[0], let minute = parts[1], let second = parts[2],
              (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else {
            throw error(key, "'\(value)' is not a time HH:MM:SS")
        }
        return hour * 3600 + minute * 60 + second
    }

    private func weekday(_ key: String) throws(SettingsError) -> Int? {
        guard let value = string(key) else { return nil }
        let names = ["su", "mo", "tu", "we", "th", "fr", "sa"]
        guard value.count >= 2, let index = names.firstIndex(of: String(value.lowercased().prefix(2))) else {
            throw error(key, "'\(value)' is not a day of the week")
        }
        return index + 1
    }

    private func schedule() throws(SettingsError) -> SessionSchedule? {
        let start = try timeOfDay("StartTime"), end = try timeOfDay("EndTime")
        let startDay = try weekday("StartDay"), endDay = try weekday("EndDay")
        guard start != nil || end != nil else {
            if startDay != nil || endDay != nil { throw error("StartDay", "StartDay/EndDay need StartTime and EndTime") }
            return nil
        }
        guard let start, let end else {
            throw error(start == nil ? "StartTime" : "EndTime", "missing (StartTime and EndTime go together)")
        }
        guard (startDay == nil) == (endDay == nil) else {
            throw error(startDay == nil ? "StartDay" : "EndDay", "missing (StartDay and EndDay go together)")
        }
        var zone = TimeZone(identifier: "UTC")!
        if let name = string("TimeZone") {
            guard let named = TimeZone(identifier: name) else { throw error("TimeZone", "'\(name)' is not a time zone name") }
            zone = named
        } else if try bool("UseLocalTime", default: false) {
            zone = .current
        }
        return SessionSchedule(startTime: start, endTime: end, startDay: startDay, endDay: endDay, timeZone: zone)
    }

    private func tls(role: SessionRole) throws(SettingsError) -> TLSSettings? {
        guard try bool("SocketUseSSL", default: false) else { return nil }
        var settings = TLSSettings()
        switch role {
        case .acceptor:
            for key in ["ServerCertificateFile", "ServerCertificateKeyFile"] where string(key) == nil {
                throw error(key, "missing (required with SocketUseSSL=Y on an acceptor)")
            }
            settings.certificateFile = try existingFile("ServerCertificateFile")
            settings.privateKeyFile = try existingFile("ServerCertificateKeyFile")
        case .initiator:
            settings.certificateFile = try existingFile("ClientCertificateFile")
            settings.privateKeyFile = try existingFile("ClientCertificateKeyFile")
            if (settings.certificateFile == nil) != (settings.privateKeyFile == nil) {
                throw error(settings.certificateFile == nil ? "ClientCertificateFile" : "ClientCertificateKeyFile",
                            "missing (a client certificate needs both file and key)")
            }
            settings.serverHostname = string("SSLServerHostname")
        }
        settings.certificateAuthoritiesFile = try existingFile("CertificationAuthoritiesFile")
        switch try int("CertificateVerifyLevel", default: role == .initiator ? 1 : 0, range: 0...3)! {
        case 0: settings.verifyPeer = false
        default:
            guard settings.certificateAuthoritiesFile != nil else {
                throw error("CertificationAuthoritiesFile", "missing (CertificateVerifyLevel asks to verify the peer)")
            }
            settings.verifyPeer = true
        }
        if let protocols = string("SSLProtocol") {
            // QuickFIX's syntax: "+TLSv1.2 +TLSv1.3", "-all +TLSv1.3", or one name.
            let enabled = protocols.split(separator: " ").filter { !$0.hasPrefix("-") }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "+")) }
            if enabled.contains("TLSv1.2") || enabled.contains("all") {
                settings.minimumVersion = .tls12
            } else if enabled.contains("TLSv1.3") {
                settings.minimumVersion = .tls13
            } else {
                throw error("SSLProtocol", "'\(protocols)' enables neither TLSv1.2 nor TLSv1.3")
            }
        }
        return settings
    }
}
