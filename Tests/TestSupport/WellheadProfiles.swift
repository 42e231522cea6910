import Foundation

/// Settings files for `wellhead serve` in tests.
public enum WellheadProfiles {
    /// An echo acceptor for `clients` on `port`, journaling into `directory`.
    public static func echoAcceptor(in directory: TemporaryDirectory, port: Int, clients: [String] = ["OMS1", "OMS2"],
                                    extra: String = "") throws -> String {
        var text = """
            [DEFAULT]
            ConnectionType=acceptor
            BeginString=FIX.4.4
            SenderCompID=WELLHEAD
            SocketAcceptPort=\(port)
            SocketAcceptHost=127.0.0.1
            DataDictionary=\(TestDictionaries.path("dictionaries/FIX44.xml"))
            JournalPath=\(directory.path("wellhead.sqlite"))
            Application=echo
            \(extra)

            """
        for client in clients { text += "[SESSION]\nTargetCompID=\(client)\n" }
        let path = directory.path("wellhead-acceptor.cfg")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
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

    /// The demo appliance's gateway acceptor on `port`, with `limits` written beside it.
    public static func gatewayAcceptor(in directory: TemporaryDirectory, port: Int, limits: String = gatewayLimits) throws -> String {
        let limitsPath = directory.path("risk-limits.yaml")
        try limits.write(toFile: limitsPath, atomically: true, encoding: .utf8)
        let text = """
            [DEFAULT]
            ConnectionType=acceptor
            BeginString=FIX.4.4
            SenderCompID=WELLHEAD
            SocketAcceptPort=\(port)
            SocketAcceptHost=127.0.0.1
            DataDictionary=\(TestDictionaries.path("dictionaries/FIX44.xml"))
            JournalPath=\(directory.path("gateway.sqlite"))
            Application=gateway
            RiskLimits=\(limitsPath)
            Instruments=\(TestDictionaries.path("sessions/instruments.yaml"))
            SimulationSeed=11
            [SESSION]
            TargetCompID=OMS1
            DefaultAccount=DESK1
            [SESSION]
            TargetCompID=OMS2
            DefaultAccount=DESK2

            """
        let path = directory.path("gateway.cfg")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
