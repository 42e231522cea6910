// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Wellhead",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FIXCodec", targets: ["FIXCodec"]),
        .library(name: "FIXVocabulary", targets: ["FIXVocabulary"]),
        .library(name: "FIXDictionary", targets: ["FIXDictionary"]),
        .library(name: "FIXSession", targets: ["FIXSession"]),
        .library(name: "FIXJournal", targets: ["FIXJournal"]),
        .library(name: "FIXTransportConfiguration", targets: ["FIXTransportConfiguration"]),
        .library(name: "FIXTransport", targets: ["FIXTransport"]),
        .library(name: "FIXSettings", targets: ["FIXSettings"]),
        .library(name: "FIXCredentials", targets: ["FIXCredentials"]),
        .library(name: "Instruments", targets: ["Instruments"]),
        .library(name: "MatchingEngine", targets: ["MatchingEngine"]),
        .library(name: "RiskSidecar", targets: ["RiskSidecar"]),
        .library(name: "Positions", targets: ["Positions"]),
        .library(name: "OrderEntry", targets: ["OrderEntry"]),
        .library(name: "SimulatedVenue", targets: ["SimulatedVenue"]),
        .library(name: "MarketData", targets: ["MarketData"]),
        .library(name: "MarketDataFeed", targets: ["MarketDataFeed"]),
        .library(name: "VenueSimulator", targets: ["VenueSimulator"]),
        .library(name: "Gateway", targets: ["Gateway"]),
        .library(name: "AdminSocket", targets: ["AdminSocket"]),
        .library(name: "Signals", targets: ["Signals"]),
        .library(name: "ConsoleAccess", targets: ["ConsoleAccess"]),
        .library(name: "JournalAudit", targets: ["JournalAudit"]),
        .library(name: "Console", targets: ["Console"]),
        .library(name: "ApplianceMetrics", targets: ["ApplianceMetrics"]),
        .executable(name: "wellhead", targets: ["wellhead"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The FIX tag=value wire format: framing, zero-copy parsing, encoding, typed values.
        // Knows nothing of dictionaries, sessions, sockets or storage.
        .target(name: "FIXCodec"),
        // FIX 4.4's application vocabulary, owned in one place: MsgType, the named tags, and the
        // enumerations (OrdType, TimeInForce, Side, OrdStatus, ExecType, OrdRejReason, CxlRejReason).
        .target(name: "FIXVocabulary", dependencies: ["FIXCodec"]),
        // QuickFIX-format XML data dictionaries and the validation they drive.
        .target(name: "FIXDictionary", dependencies: ["FIXCodec"]),
        // The FIX session protocol as a state machine: no sockets, no clock, no storage.
        .target(name: "FIXSession", dependencies: ["FIXCodec", "FIXDictionary"]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // A background thread's priority lowered alone (gettid(2), which Glibc's module lacks).
        .systemLibrary(name: "CThreadPriority", path: "Sources/CThreadPriority"),
        // The SQLite journal: every message in and out, sequence numbers, group commit.
        .target(name: "FIXJournal", dependencies: ["CSQLite", "CThreadPriority", .product(name: "CoreMetrics", package: "swift-metrics")]),
        // How sessions are carried on the wire, as plain values a settings file produces: TLS
        // settings and connect addresses. No SwiftNIO.
        .target(name: "FIXTransportConfiguration"),
        // Sessions on the wire: SwiftNIO acceptor and initiator, TLS, the journal's write-ahead
        // discipline, and the applications sessions hand messages to.
        .target(name: "FIXTransport", dependencies: [
            "FIXCodec", "FIXSession", "FIXJournal", "FIXTransportConfiguration", "FIXVocabulary",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ]),
        // Logon credentials: password files of PBKDF2 hashes, lockout after failed logons, and
        // the password an initiator reads from a file or the environment.
        .target(name: "FIXCredentials", dependencies: [
            "FIXCodec", "FIXSession",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        // QuickFIX-format settings files, read into typed, checked session profiles; the keys of
        // an application's own are handed to it (with file, line and section) to read and check.
        .target(name: "FIXSettings", dependencies: ["FIXCodec", "FIXDictionary", "FIXSession", "FIXTransportConfiguration",
                                                    "FIXCredentials"]),
        // Reference data for oil futures: contracts, months, symbols, last trade dates, spreads
        // and cracks, read from a YAML file.
        .target(name: "Instruments", dependencies: ["FIXCodec", .product(name: "Yams", package: "Yams")]),
        // Price-time priority limit order books in integer ticks: no FIX, no I/O.
        .target(name: "MatchingEngine"),
        // Pre-trade risk checks and the limits they enforce: knows nothing of sockets or sessions.
        .target(name: "RiskSidecar", dependencies: [
            "FIXCodec", "FIXVocabulary", "Instruments",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ]),
        // Positions and P&L (realised at average cost, unrealised against marks) from fills.
        .target(name: "Positions", dependencies: ["FIXCodec", "Instruments"]),
        // Order entry, as a broker and an exchange both keep it: FIX 4.4's order state machine
        // (each transition returns the ExecutionReport to send), requests read into typed terms,
        // the venue-neutral events any venue reports, and a venue's dialect. No I/O.
        .target(name: "OrderEntry", dependencies: ["FIXCodec", "FIXVocabulary", "Instruments"]),
        // The in-process simulated venue: matching engine books for the listed instruments,
        // with seeded market makers quoting around a price process; order entry's terms in the
        // venue's form, and its books and tape in the feed's.
        .target(name: "SimulatedVenue", dependencies: ["FIXCodec", "FIXVocabulary", "Instruments", "MarketDataFeed", "MatchingEngine",
                                                       "OrderEntry"]),
        // Venue market data normalised: L2 books, gap recovery, bars, live spreads, cracks and curves; no I/O.
        .target(name: "MarketData", dependencies: ["FIXCodec", "FIXVocabulary", "Instruments"]),
        // Market data over FIX: MarketDataRequest read and answered, books published as snapshots
        // (W) and incremental refreshes (X) of what each subscriber was last sent.
        .target(name: "MarketDataFeed", dependencies: ["FIXCodec", "FIXVocabulary"]),
        // The appliance's admin socket: a local Unix domain socket carrying one JSON request and
        // one response a connection (kill switches, utilisation, venue controls, the trading
        // day). What a request does is the handler's, which the gateway or the venue provides.
        .target(name: "AdminSocket", dependencies: [
            "Instruments", "RiskSidecar",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The order gateway: FIX 4.4's order state machine for OMS sessions, the risk sidecar
        // inline, routing to venues, positions and P&L from fills.
        .target(name: "Gateway", dependencies: [
            "FIXCodec", "FIXVocabulary", "FIXSession", "FIXJournal", "FIXTransport", "Instruments", "OrderEntry", "RiskSidecar",
            "Positions", "SimulatedVenue",
            "MarketData", "MarketDataFeed", "AdminSocket", "Signals",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The simulated venue as a FIX exchange (Application=venue): order entry of its own
        // (ExchangeOrders: the exchange's OrderIDs, New without PendingNew, no positions), its
        // orders journaled and restored, market data by subscription, reference data, trading status.
        .target(name: "VenueSimulator", dependencies: [
            "AdminSocket", "FIXCodec", "FIXVocabulary", "FIXJournal", "FIXSession", "FIXTransport", "Instruments", "MarketDataFeed",
            "OrderEntry", "RiskSidecar", "SimulatedVenue",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // Streaming signals as value types, no I/O: technical indicators (SMA … realised
        // volatility, O(1) per bar, TA-Lib's look-backs and values), term structure from the
        // live curve, crack and inter-commodity spread z-scores, and the composite per root with
        // its YAML configuration and signal record.
        .target(name: "Signals", dependencies: ["FIXCodec", "Instruments", "MarketData", .product(name: "Yams", package: "Yams")]),
        // Who may use the console and what each may do, with no I/O but the users file: users
        // with bcrypt password hashes and roles, the permission each role holds, lock-out after
        // failed logins, console sessions with idle expiry and CSRF tokens, and four-eyes
        // approval of the changes the rules reserve for two people. Time is injected.
        .target(name: "ConsoleAccess", dependencies: [.product(name: "HummingbirdBcrypt", package: "hummingbird-auth")]),
        // The journal read for compliance: one order's whole lifecycle by ClOrdID or OrderID
        // (the OMS's messages decoded with the dictionary's field names, risk decisions, the
        // venue's messages, fills, admin actions), searches by account and time, CSV export.
        .target(name: "JournalAudit", dependencies: ["FIXCodec", "FIXDictionary", "FIXJournal"]),
        // The admin console served by `wellhead serve` (Hummingbird 2): pages pushed live over a
        // WebSocket, logins, roles and CSRF from ConsoleAccess, the audit search from
        // JournalAudit. What it shows and does comes from a backend the gateway provides.
        .target(name: "Console", dependencies: [
            "ConsoleAccess", "CThreadPriority", "JournalAudit",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The appliance's metrics: swift-metrics bootstrapped once onto a Prometheus registry with
        // buckets fit for microseconds, and the registry's text exposition for /metrics.
        .target(name: "ApplianceMetrics", dependencies: [
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // The `wellhead` command: serves a settings file's sessions (Wellhead's applications and
        // their own keys in ApplianceProfile, the gateway built in GatewayAssembly), and the
        // client and admin commands.
        .executableTarget(
            name: "wellhead",
            dependencies: [
                "AdminSocket",
                "ApplianceMetrics",
                "Console",
                "ConsoleAccess",
                "JournalAudit",
                "FIXCodec",
                "FIXDictionary",
                "FIXJournal",
                "FIXSession",
                "FIXSettings",
                "FIXCredentials",
                "FIXTransport",
                "FIXTransportConfiguration",
                "FIXVocabulary",
                "Gateway",
                "Instruments",
                "RiskSidecar",
                "Signals",
                "MarketData",
                "MarketDataFeed",
                "OrderEntry",
                "SimulatedVenue",
                "VenueSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Every target imports each dependency it declares (.ci/check-dependencies), except that
        // the tests that run the `wellhead` binary depend on it to have it built.
        .target(name: "TestSupport", dependencies: ["FIXCodec", "FIXDictionary", "Instruments"], path: "Tests/TestSupport"),
        .testTarget(name: "FIXCodecTests", dependencies: ["FIXCodec", "TestSupport"]),
        .testTarget(name: "FIXDictionaryTests", dependencies: ["FIXDictionary", "TestSupport"]),
        .testTarget(name: "FIXSessionTests", dependencies: ["FIXSession", "TestSupport"]),
        .testTarget(name: "FIXJournalTests", dependencies: ["FIXJournal", "TestSupport"]),
        .testTarget(name: "FIXTransportTests", dependencies: ["FIXTransport", "TestSupport"]),
        .testTarget(name: "FIXCredentialsTests", dependencies: ["FIXCredentials", "TestSupport"]),
        .testTarget(name: "FIXSettingsTests", dependencies: ["FIXSettings", "FIXTransportConfiguration", "TestSupport"]),
        .testTarget(name: "WellheadCommandTests", dependencies: ["wellhead", "ConsoleAccess", "FIXJournal", "FIXSettings", "Gateway", "Instruments",
                                                                 "OrderEntry", "MarketData", "SimulatedVenue", "TestSupport"]),
        .testTarget(name: "ConformanceTests", dependencies: ["wellhead", "TestSupport"]),
        .testTarget(name: "InstrumentsTests", dependencies: ["Instruments", "TestSupport"]),
        .testTarget(name: "MatchingEngineTests", dependencies: ["MatchingEngine", "TestSupport"]),
        .testTarget(name: "RiskSidecarTests", dependencies: ["RiskSidecar", "FIXVocabulary", "TestSupport"]),
        .testTarget(name: "PositionsTests", dependencies: ["Positions", "TestSupport"]),
        .testTarget(name: "SimulatedVenueTests", dependencies: ["SimulatedVenue", "OrderEntry"]),
        .testTarget(name: "GatewayTests", dependencies: [
            "Gateway", "OrderEntry", "AdminSocket", "FIXJournal", "FIXSession", "FIXTransport", "MarketData", "Signals", "TestSupport",
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "AdminSocketTests", dependencies: ["AdminSocket", "TestSupport"]),
        .testTarget(name: "MarketDataTests", dependencies: ["MarketData", "TestSupport"]),
        .testTarget(name: "VenueSimulatorTests", dependencies: ["VenueSimulator", "FIXJournal", "FIXVocabulary", "Instruments",
                                                                "OrderEntry", "RiskSidecar", "SimulatedVenue", "TestSupport"]),
        .testTarget(name: "MarketDataFeedTests", dependencies: ["MarketDataFeed", "MarketData", "Instruments", "TestSupport"]),
        .testTarget(name: "ConsoleAccessTests", dependencies: ["ConsoleAccess", "TestSupport"]),
        .testTarget(name: "JournalAuditTests", dependencies: ["JournalAudit", "FIXJournal", "FIXCodec", "Gateway", "Instruments", "RiskSidecar",
                                                              "SimulatedVenue", "AdminSocket", "TestSupport"]),
        .testTarget(name: "ApplianceMetricsTests", dependencies: [
            "ApplianceMetrics", "FIXCodec", "Instruments", "RiskSidecar",
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "ConsoleAccess", "TestSupport"]),
        .testTarget(name: "SignalsTests", dependencies: ["Signals", "MarketData", "Instruments", "FIXCodec", "SimulatedVenue", "TestSupport"],
                    exclude: ["talib_reference.py"]),
    ],
    swiftLanguageModes: [.v6]
)
