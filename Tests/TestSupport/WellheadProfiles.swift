import Foundation

/// Settings files for `wellhead serve` in tests.
public enum WellheadProfiles {
    /// An acceptor profile: `SenderCompID`, the loopback `port`, the FIX 4.4 dictionary,
    /// the journal `journal` in `directory`, the `defaults` lines, then one `[SESSION]` per
    /// entry of `sessions` (its lines), written to `file` in `directory`.
    static func acceptor(in directory: TemporaryDirectory, file: String, port: Int, senderCompID: String, journal: String,
                         defaults: String, sessions: [String]) throws -> String {
        var text = """
            [DEFAULT]
            ConnectionType=acceptor
            BeginString=FIX.4.4
            SenderCompID=\(senderCompID)
            SocketAcceptPort=\(port)
            SocketAcceptHost=127.0.0.1
            DataDictionary=\(TestDictionaries.path("dictionaries/FIX44.xml"))
            JournalPath=\(directory.path(journal))
            \(defaults)

            """
        for session in sessions { text += "[SESSION]\n\(session)\n" }
        let path = directory.path(file)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The `[DEFAULT]` section settings tests start from, after a comment line: an acceptor
    /// WELLHEAD on port 9880 with the FIX 4.4 dictionary, journaling to /tmp/j.sqlite (its
    /// last line is line 8, so what a test appends starts at line 9).
    public static var settingsDefaults: String {
        """
        # comment
        [DEFAULT]
        ConnectionType=acceptor
        BeginString=FIX.4.4
        SenderCompID=WELLHEAD
        SocketAcceptPort=9880
        DataDictionary=\(TestDictionaries.path("dictionaries/FIX44.xml"))
        JournalPath=/tmp/j.sqlite

        """
    }

    /// An echo acceptor for `clients` on `port`, journaling into `directory`.
    public static func echoAcceptor(in directory: TemporaryDirectory, port: Int, clients: [String] = ["OMS1", "OMS2"],
                                    extra: String = "") throws -> String {
        try acceptor(in: directory, file: "wellhead-acceptor.cfg", port: port, senderCompID: "WELLHEAD", journal: "wellhead.sqlite",
                     defaults: "Application=echo\n\(extra)", sessions: clients.map { "TargetCompID=\($0)" })
    }

    /// An echo initiator from `sender` to `target` at `port`.
    public static func echoInitiator(in directory: TemporaryDirectory, port: Int, sender: String, target: String,
                                     extra: String = "") throws -> String {
        let text = """
            [DEFAULT]
            ConnectionType=initiator
            BeginString=FIX.4.4
            DataDictionary=\(TestDictionaries.path("dictionaries/FIX44.xml"))
            JournalPath=\(directory.path("wellhead-initiator.sqlite"))
            Application=echo
            HeartBtInt=30
            ReconnectInterval=1
            \(extra)
            [SESSION]
            SenderCompID=\(sender)
            TargetCompID=\(target)
            SocketConnectHost=127.0.0.1
            SocketConnectPort=\(port)

            """
        let path = directory.path("wellhead-initiator.cfg")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

extension WellheadProfiles {
    /// Risk limits for appliance tests: no trading-hours window (tests run at any hour).
    public static let gatewayLimits = """
        firm:
          maxOrderSize: 500
          priceCollar: {percent: 10, reference: [last, mid]}
          marketProtection: {ticks: 100}
        accounts:
          DESK1:
            maxOrderSize: 200
        """

    /// Limits with a position, notional and loss limit at every scope an order falls under
    /// (firm, account DESK1, sessions OMS1 and OMS2, root CL), no trading-hours window: what
    /// restart tests compare before and after.
    public static let limitsAtEveryScope = """
        firm:
          maxOrderSize: 500
          marketProtection: {ticks: 100}
          maxPositionPerMonth: 4000
          maxPositionPerRoot: 10000
          maxGrossNotional: 2000000000
          dailyLoss: {limit: 5000000}
        accounts:
          DESK1:
            maxPositionPerMonth: 500
            maxPositionPerRoot: 1500
            maxGrossNotional: 300000000
            dailyLoss: {limit: 750000}
        sessions:
          OMS1:
            maxPositionPerMonth: 300
          OMS2:
            maxPositionPerMonth: 300
        roots:
          CL:
            maxPositionPerMonth: 1000
            maxPositionPerRoot: 3000
        """

    /// The demo appliance's gateway acceptor on `port`, with `limits` written beside it.
    /// With `routeTo`, the gateway also logs on as GATEWAY to a venue simulator (SIMVENUE) at
    /// that port, and routes orders naming ExDestination FIXSIM there.
    /// `routeKeys` are more lines for the route session (`VenueSymbolRoots=…`).
    public static func gatewayAcceptor(in directory: TemporaryDirectory, port: Int, limits: String = gatewayLimits,
                                       routeTo venuePort: Int? = nil, routeKeys: String = "", keys: String = "") throws -> String {
        let limitsPath = directory.path("risk-limits.yaml")
        try limits.write(toFile: limitsPath, atomically: true, encoding: .utf8)
        var sessions = ["TargetCompID=OMS1\nDefaultAccount=DESK1", "TargetCompID=OMS2\nDefaultAccount=DESK2"]
        if let venuePort {
            sessions.append("""
                ConnectionType=initiator
                SenderCompID=GATEWAY
                TargetCompID=SIMVENUE
                SocketConnectHost=127.0.0.1
                SocketConnectPort=\(venuePort)
                HeartBtInt=5
                ReconnectInterval=1
                Application=route
                VenueName=FIXSIM
                \(routeKeys)
                """)
        }
        return try acceptor(in: directory, file: "gateway.cfg", port: port, senderCompID: "WELLHEAD", journal: "gateway.sqlite",
                            defaults: """
                                Application=gateway
                                RiskLimits=\(limitsPath)
                                Instruments=\(TestDictionaries.path("sessions/instruments.yaml"))
                                SimulationSeed=11
                                \(keys)
                                """,
                            sessions: sessions)
    }

    /// The venue simulator as a FIX exchange (`Application=venue`, no limits of its own) on
    /// `port`, for QA1 and QA2, journaling to `venue.sqlite` in `directory`.
    /// `keys` are more lines for its [DEFAULT] (`VenueSymbolRoots=…`).
    public static func venueAcceptor(in directory: TemporaryDirectory, port: Int,
                                     participants: [String] = ["QA1", "QA2"], keys: String = "") throws -> String {
        try acceptor(in: directory, file: "venue.cfg", port: port, senderCompID: "SIMVENUE", journal: "venue.sqlite",
                     defaults: """
                         Application=venue
                         Instruments=\(TestDictionaries.path("sessions/instruments.yaml"))
                         SimulationSeed=11
                         \(keys)
                         """,
                     sessions: participants.map { "TargetCompID=\($0)" })
    }
}
