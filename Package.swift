// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Wellhead",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FIXCodec", targets: ["FIXCodec"]),
        .library(name: "FIXDictionary", targets: ["FIXDictionary"]),
        .library(name: "FIXSession", targets: ["FIXSession"]),
        .library(name: "FIXJournal", targets: ["FIXJournal"]),
        .library(name: "FIXTransport", targets: ["FIXTransport"]),
        .library(name: "FIXSettings", targets: ["FIXSettings"]),
        .executable(name: "wellhead", targets: ["wellhead"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The FIX tag=value wire format: framing, zero-copy parsing, encoding, typed values.
        // Knows nothing of dictionaries, sessions, sockets or storage.
        .target(name: "FIXCodec"),
        // QuickFIX-format XML data dictionaries and the validation they drive.
        .target(name: "FIXDictionary", dependencies: ["FIXCodec"]),
        // The FIX session protocol as a state machine: no sockets, no clock, no storage.
        .target(name: "FIXSession", dependencies: ["FIXCodec", "FIXDictionary"]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // The SQLite journal: every message in and out, sequence numbers, group commit.
        .target(name: "FIXJournal", dependencies: ["CSQLite"]),
        // Sessions on the wire: SwiftNIO acceptor and initiator, TLS, the journal's write-ahead
        // discipline, and the applications sessions hand messages to.
        .target(name: "FIXTransport", dependencies: [
            "FIXCodec", "FIXDictionary", "FIXSession", "FIXJournal",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // QuickFIX-format settings files, read into typed, checked session profiles.
        .target(name: "FIXSettings", dependencies: ["FIXCodec", "FIXDictionary", "FIXSession", "FIXTransport"]),
        .executableTarget(
            name: "wellhead",
            dependencies: [
                "FIXCodec",
                "FIXDictionary",
                "FIXJournal",
                "FIXSession",
                "FIXSettings",
                "FIXTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["FIXCodec", "FIXDictionary"], path: "Tests/TestSupport"),
        .testTarget(name: "FIXCodecTests", dependencies: ["FIXCodec", "TestSupport"]),
        .testTarget(name: "FIXDictionaryTests", dependencies: ["FIXDictionary", "TestSupport"]),
        .testTarget(name: "FIXSessionTests", dependencies: ["FIXSession", "TestSupport"]),
        .testTarget(name: "FIXJournalTests", dependencies: ["FIXJournal", "TestSupport"]),
        .testTarget(name: "FIXTransportTests", dependencies: ["FIXTransport", "TestSupport"]),
        .testTarget(name: "FIXSettingsTests", dependencies: ["FIXSettings", "TestSupport"]),
        .testTarget(name: "WellheadCommandTests", dependencies: ["wellhead", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
