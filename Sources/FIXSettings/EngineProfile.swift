import FIXCodec
import FIXCredentials
import FIXDictionary
import FIXSession
import FIXTransportConfiguration
import Foundation

/// Everything one `[SESSION]` of a settings file says to the engine, typed and checked, and
/// the keys it leaves to the session's application.
public struct SessionProfile: Sendable {
    public var configuration: SessionConfiguration
    /// Wellhead's `Application` key: which application the session hands messages to, one of
    /// the profile's ``ApplicationKeys``.
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
    /// JournalMarketData (Wellhead's, Y unless set): whether the journal keeps market data
    /// refreshes (W and X) whole. When N they are numbered and their sequence numbers
    /// journaled, but not kept as message rows, and a ResendRequest over them is gap-filled;
    /// subscriptions (V) and rejects (Y) are kept either way.
    public var journalMarketData: Bool
    public var dictionaryPath: String?
    /// The session's keys the engine does not read, with the `[DEFAULT]` values it inherits:
    /// its application's own, for the application to read and check.
    public var applicationSettings: SessionSettings
}

/// The applications sessions may hand their messages to (`Application=`), each with the
/// settings keys of its own. The engine reads QuickFIX's keys and its own; any other key must
/// be one an application declares, or it is an error naming the file and the key.
public struct ApplicationKeys: Sendable {
    /// Each application's own keys, by the name `Application` gives it.
    public var keys: [String: Set<String>]
    /// The application of a session that names none.
    public var fallback: String

    public init(_ keys: [String: Set<String>], fallback: String) {
        self.keys = keys
        self.fallback = fallback
    }

    /// Every application's keys: a key of one may stand in `[DEFAULT]` for sessions of others.
    var all: Set<String> { keys.values.reduce(into: []) { $0.formUnion($1) } }
}

/// How durable each journal commit is before anything it carries is sent.
public enum JournalSync: String, Sendable, Hashable {
    /// Written to the operating system before anything leaves: a killed process loses nothing.
    case normal
    /// Synced to the disk as well: a power loss loses nothing either, at the cost of a sync.
    case full
}

/// How the journal's background threads (SQLite filled behind the write-ahead log, the
/// checkpoints) share the cores with the event loops (`JournalFill`).
public enum JournalFill: String, Sendable, Hashable {
    /// Nice 10: a tenth of a busy core, but a thread on the round trip may wait a scheduler
    /// slice behind them.
    case background
    /// SCHED_IDLE (the default): only on a core nothing else wants, raised back to normal
    /// priority whenever SQLite falls behind on a busy host.
    case idle
}

/// A whole settings file: one journal, any number of sessions.
public struct EngineProfile: Sendable {
    public var file: String
    public var journalPath: String
    /// How hard each commit is made durable (`JournalSync`): `normal` survives a killed process
    /// at every instant; `full` also a power loss, syncing the disk at every commit.
    public var journalSync: JournalSync
    /// How the journal's background threads share the cores (`JournalFill`, `idle` unless
    /// set): `idle` keeps them off the round trip's tail; `background` runs them at nice 10.
    public var journalFill: JournalFill
    public var sessions: [SessionProfile]

    /// The keys the engine reads: QuickFIX's, with their meaning, and Wellhead's journal,
    /// `Application` and logon credentials. Applications declare their own (``ApplicationKeys``).
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
        "JournalPath", "JournalSync", "JournalFill", "JournalMarketData", "Application",
        "LogonCredentialsFile", "LogonUsername", "LogonLockoutAttempts", "LogonLockoutSeconds",
        "LogonPasswordFile", "LogonPasswordEnv", "LogonPassword",
    ]

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

    /// Reads `path`; `applications` are those its sessions may name, with their keys.
    public static func load(path: String, applications: ApplicationKeys) throws(SettingsError) -> EngineProfile {
        try EngineProfile(file: SettingsFile.load(path: path), applications: applications)
    }

    public init(file settings: SettingsFile, applications: ApplicationKeys) throws(SettingsError) {
        file = settings.path
        guard !settings.sessions.isEmpty else {
            throw SettingsError(file: settings.path, message: "no [SESSION] section: nothing to run")
        }
        var dictionaries: [String: FIXDataDictionary] = [:]
        var sessions: [SessionProfile] = []
        var journal: (path: String, reader: SessionSettings)?
        var sync: (value: JournalSync, reader: SessionSettings)?
        var fill: JournalFill?
        var seen: [SessionID: Int] = [:]
        for section in settings.sessions {
            var reader = SessionSettings(file: settings, section: section)
            let profile = try reader.profile(dictionaries: &dictionaries, applications: applications)
            try reader.rejectUnknownKeys(applications: applications)
            let journalPath = try reader.journalPath()
            if let journal, journal.path != journalPath {
                throw reader.error("JournalPath", "every session of a profile shares one journal; another session uses \(journal.path)")
            }
            journal = (journalPath, reader)
            let journalSync = try reader.journalSync()
            if let sync, sync.value != journalSync {
                throw reader.error("JournalSync", "every session of a profile shares one journal; another session says \(sync.value.rawValue)")
            }
            sync = (journalSync, reader)
            let journalFill = try reader.journalFill()
            if let fill, fill != journalFill {
                throw reader.error("JournalFill", "every session of a profile shares one journal; another session says \(fill.rawValue)")
            }
            fill = journalFill
            if let line = seen[profile.configuration.id] {
                throw reader.error(nil, "session \(profile.configuration.id) is defined twice (first at line \(line))")
            }
            seen[profile.configuration.id] = section.line
            sessions.append(profile)
        }
        journalPath = journal!.path
        journalSync = sync!.value
        journalFill = fill!
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

/// The engine's reading of one `[SESSION]` with the `[DEFAULT]` values it inherits: its keys
/// typed and checked, an unknown key an error rather than silently ignored.
extension SessionSettings {
    init(file: SettingsFile, section: SettingsFile.Section) {
        self.init(file: file.path, section: "[SESSION] at line \(section.line)", line: section.line,
                  entries: file.defaults.entries.merging(section.entries) { $1 })
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

    func rejectUnknownKeys(applications: ApplicationKeys) throws(SettingsError) {
        let declared = applications.all
        for (key, entry) in entries where !Self.engineReads(key) && !declared.contains(key) {
            let hint = EngineProfile.replacedKeys[key] ?? "not a setting Wellhead knows"
            throw SettingsError(file: file, line: entry.line, section: section, key: key, message: hint)
        }
    }

    /// Whether the engine reads `key` itself: one of its keys, or a failover address.
    private static func engineReads(_ key: String) -> Bool {
        EngineProfile.knownKeys.contains(key) || isFailoverKey(key)
    }

    private static func isFailoverKey(_ key: String) -> Bool {
        for prefix in ["SocketConnectHost", "SocketConnectPort"] where key.hasPrefix(prefix) {
            return Int(key.dropFirst(prefix.count)) != nil
        }
        return false
    }

    func journalFill() throws(SettingsError) -> JournalFill {
        guard let value = string("JournalFill") else { return .idle }
        guard let fill = JournalFill(rawValue: value.lowercased()) else {
            throw error("JournalFill", "'\(value)' is neither idle (SCHED_IDLE, raised when SQLite falls behind) nor background (nice 10)")
        }
        return fill
    }

    func journalSync() throws(SettingsError) -> JournalSync {
        guard let value = string("JournalSync") else { return .normal }
        guard let sync = JournalSync(rawValue: value.lowercased()) else {
            throw error("JournalSync", "'\(value)' is neither normal (a killed process loses nothing) nor full (a power loss neither)")
        }
        return sync
    }

    func journalPath() throws(SettingsError) -> String {
        guard let value = string("JournalPath") else {
            throw error("JournalPath", "missing (the SQLite journal every message is written to)")
        }
        return besideSettings(value)
    }

    mutating func profile(dictionaries: inout [String: FIXDataDictionary], applications: ApplicationKeys) throws(SettingsError) -> SessionProfile {
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
        section = "[SESSION] at line \(line) (\(id))"

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

        let application = string("Application") ?? applications.fallback
        guard applications.keys[application] != nil else {
            throw error("Application", "'\(application)' is not an application Wellhead has (\(applications.keys.keys.sorted().joined(separator: ", ")))")
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
            persistMessages: try bool("PersistMessages", default: true),
            journalMarketData: try bool("JournalMarketData", default: false), dictionaryPath: dictionaryPath,
            applicationSettings: filter { !Self.engineReads($0) })
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
