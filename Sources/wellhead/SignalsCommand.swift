import ArgumentParser

/// `wellhead signals watch`: the desk's composite signals in a terminal, read as any FIX
/// market-data client reads them: a subscription to `SIG.<ROOT>.COMPOSITE` through the gateway,
/// each update printed with its score, direction and confidence.
struct SignalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signals",
        abstract: "Watch the desk's composite signals over FIX.",
        subcommands: [Watch.self]
    )

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe to each root's composite signal (SIG.<ROOT>.COMPOSITE) and print it as it moves.")

        @Option(help: "Gateway host.") var host = "127.0.0.1"
        @Option(help: "Gateway port.") var port = 9878
        @Option(help: "Our SenderCompID (an OMS session of the gateway's).") var sender = "OMS1"
        @Option(help: "The gateway's CompID.") var target = "WELLHEAD"
        @Option(name: .customLong("root"), help: "A root to watch (repeat for more); CL, BZ, RB and HO if none.") var roots: [String] = []
        @Option(help: "Seconds to watch before logging out.") var seconds = 60.0
        @Option(help: "Log out once this many updates came, if before --seconds.") var updates: Int?

        func run() async throws {
            var arguments = ["--host", host, "--port", "\(port)", "--sender", sender, "--target", target, "--seconds", "\(seconds)",
                             "--depth", "1"]
            for root in roots.isEmpty ? ["CL", "BZ", "RB", "HO"] : roots { arguments += ["--symbol", "SIG.\(root.uppercased()).COMPOSITE"] }
            if let updates { arguments += ["--values", "\(updates)"] }
            var watch = try MarketDataWatch.parse(arguments)
            try await watch.run()
        }
    }
}
