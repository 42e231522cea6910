// swift-tools-version: 6.3
// Wellhead's benchmarks: a package of their own, so the main build and CI never compile the
// benchmark stack. Run with `swift package benchmark` from this folder, or ./run-all.sh for the
// comparison with QuickFIX C++.
import PackageDescription

let package = Package(
    name: "WellheadBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The repository root. Named, so the product references below do not depend on the
        // name of the folder the repository is cloned into.
        .package(name: "Wellhead", path: ".."),
        // jemalloc is not installed here: the MallocInterposer trait counts allocations
        // without it. Naming the traits also drops the default RuntimeInterposer trait,
        // whose package is not available on these machines.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The dictionary, the message files and the framing stream, loaded and checked once.
        .target(
            name: "BenchmarkFixtures",
            dependencies: [
                .product(name: "FIXCodec", package: "Wellhead"),
                .product(name: "FIXDictionary", package: "Wellhead"),
            ],
            path: "Fixtures"
        ),
        // The benchmarks `swift package benchmark` runs (an executable in a folder of Benchmarks/).
        .executableTarget(
            name: "FIXCodecBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "FIXCodec", package: "Wellhead"),
                .product(name: "FIXDictionary", package: "Wellhead"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "FIXCodecBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The simulated venue's price-time matching engine: order operations per second.
        .executableTarget(
            name: "MatchingEngineBenchmarks",
            dependencies: [
                .product(name: "MatchingEngine", package: "Wellhead"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "MatchingEngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The risk sidecar with every control configured and a book behind it, for the
        // benchmark and the profile.
        .target(
            name: "RiskFixtures",
            dependencies: [
                .product(name: "RiskSidecar", package: "Wellhead"),
                .product(name: "Instruments", package: "Wellhead"),
                .product(name: "FIXCodec", package: "Wellhead"),
            ],
            path: "RiskFixtures"
        ),
        // The risk sidecar's check pass on its own.
        .executableTarget(
            name: "RiskSidecarBenchmarks",
            dependencies: [
                "RiskFixtures",
                .product(name: "RiskSidecar", package: "Wellhead"),
                .product(name: "Instruments", package: "Wellhead"),
                .product(name: "FIXCodec", package: "Wellhead"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "RiskSidecarBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The market-data normalizer: incremental book updates applied per second.
        .executableTarget(
            name: "MarketDataBenchmarks",
            dependencies: [
                .product(name: "MarketData", package: "Wellhead"),
                .product(name: "MarketDataFeed", package: "Wellhead"),
                .product(name: "FIXCodec", package: "Wellhead"),
                .product(name: "Instruments", package: "Wellhead"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "MarketDataBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The signal benchmarks' inputs and harness, shared by the benchmark and the profile.
        .target(
            name: "SignalFixtures",
            dependencies: [
                .product(name: "Signals", package: "Wellhead"),
                .product(name: "MarketData", package: "Wellhead"),
                .product(name: "Instruments", package: "Wellhead"),
                .product(name: "FIXCodec", package: "Wellhead"),
            ],
            path: "SignalFixtures"
        ),
        // The signals: one root's whole signal set per bar, and a million bars through one indicator.
        .executableTarget(
            name: "SignalBenchmarks",
            dependencies: [
                "SignalFixtures",
                .product(name: "Signals", package: "Wellhead"),
                .product(name: "MarketData", package: "Wellhead"),
                .product(name: "Instruments", package: "Wellhead"),
                .product(name: "FIXCodec", package: "Wellhead"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "SignalBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Echo through one FIX session over loopback, journal on: Wellhead and QuickFIX C++ in
        // the same run, beside the bare loopback round trip.
        .executableTarget(
            name: "EchoBenchmarks",
            dependencies: [
                .product(name: "FIXCodec", package: "Wellhead"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "EchoBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A restart of the gateway from a journal of many days (from the last day's end).
        .executableTarget(
            name: "RestoreBenchmarks",
            dependencies: [
                .product(name: "FIXCodec", package: "Wellhead"),
                .product(name: "FIXJournal", package: "Wellhead"),
                .product(name: "Gateway", package: "Wellhead"),
                .product(name: "Instruments", package: "Wellhead"),
                .product(name: "RiskSidecar", package: "Wellhead"),
                .product(name: "SimulatedVenue", package: "Wellhead"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "RestoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The same operations in a plain loop, for valgrind and perf (not run as a benchmark).
        .executableTarget(
            name: "FIXCodecProfile",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "FIXCodec", package: "Wellhead"),
                .product(name: "FIXDictionary", package: "Wellhead"),
            ],
            path: "Profile/FIXCodecProfile"
        ),
        // The signal set per bar in a plain loop, for valgrind's instruction counts.
        .executableTarget(
            name: "SignalProfile",
            dependencies: ["SignalFixtures", .product(name: "Signals", package: "Wellhead")],
            path: "Profile/SignalProfile"
        ),
        // The risk check pass in a plain loop, for perf and valgrind.
        .executableTarget(
            name: "RiskSidecarProfile",
            dependencies: ["RiskFixtures", .product(name: "RiskSidecar", package: "Wellhead")],
            path: "Profile/RiskSidecarProfile"
        ),
    ],
    swiftLanguageModes: [.v6]
)
