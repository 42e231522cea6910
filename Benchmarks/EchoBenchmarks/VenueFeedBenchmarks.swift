// A venue's market data through the Wellhead gateway to an OMS subscriber, over loopback,
// journal on: `wellhead serve` with `Application=gateway` and one route session
// (`Application=route`) that logs on to this process, which plays the venue; one OMS session
// (OMS1) subscribed to the venue's front CL month. Beside "Round trip: …" (EchoBenchmarks.swift),
// which the same run measures with the same kind of client: one message in, one message out.
//
// Each iteration is one book change at the venue: a MarketDataIncrementalRefresh (35=X)
// changing the size of the best bid (279=1, a new size each time), timed from the venue's send
// to the OMS's receipt of the gateway's own X carrying that size. In between, the gateway
// journals the venue's X, reads it into the venue's market-data normalizer (FIXMarketDataReader),
// updates the risk sidecar's reference prices and the marks, diffs the book against what the
// subscriber was last sent (MarketDataPublisher), and journals and sends the OMS's X.
//
// Setup: the venue answers the gateway's Logon, then the gateway's MarketDataRequests (one per
// listed instrument) — a snapshot (35=W) of five levels a side for the CL front month (the
// first of the next three CL months the gateway asks for), a MarketDataRequestReject for the
// rest — and the OMS subscribes and checks that its snapshot is the venue's book.

import Benchmark
import FIXCodec
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Registers the venue-to-subscriber benchmark, with the echo round trips' configuration.
func registerVenueFeedBenchmarks(configuration: Benchmark.Configuration) {
    let target = VenueFeedTarget()
    let timings = Timings()
    Benchmark("Venue update to OMS subscriber: Wellhead gateway", configuration: configuration) { benchmark in
        let size = 10 + benchmark.currentIteration % 90
        benchmark.startMeasurement()
        let start = Timings.now()
        try target.sendBestBidSize(size)
        try target.awaitSubscriberBestBidSize(size)
        let elapsed = Timings.now() - start
        benchmark.stopMeasurement()
        if benchmark.currentIteration >= configuration.warmupIterations { timings.record(elapsed, messages: 1) }
    } setup: {
        try target.start()
    } teardown: {
        target.stop()
        timings.reportPercentiles("venue update to OMS subscriber, Wellhead gateway")
    }
}

/// The gateway, this process as its venue (an accepted socket), and an OMS subscriber.
final class VenueFeedTarget: @unchecked Sendable {
    // @unchecked: setup, the iterations and teardown run one after another, never together.
    private var server: ServerProcess?
    private var venue: FIXSocketConnection?
    private var subscriber: FIXSocketConnection?
    private(set) var symbol = ""
    static let bestBid = "70.00"
    static let requestID = "BENCH"

    func start() throws {
        try ServerProcess.settingUp(failure: "venue feed check failed", server: { server }, lastCharacters: 4_000, tearDown: stop) {
            let listener = try Self.listen()
            defer { close(listener.socket) }
            let (server, port) = try ServerProcess.wellhead(name: "wellhead (gateway with a FIX venue)",
                                                            folderName: "wellhead-venue-feed-bench-\(getpid())") { directory in
                try Self.profile(in: directory, venuePort: listener.port)
            }
            self.server = server
            let venue = try Self.accept(listener.socket)
            self.venue = venue
            let logon = try venue.nextMessage()
            guard logon.msgType == "A" else { throw EchoFailure("the gateway's first message to its venue: \(logon.debugText)") }
            var reply = venue.header("A")
            reply.body.append(98, 0)
            reply.body.append(108, 30)
            try venue.send(reply)
            symbol = try answerSubscriptions(venue, candidates: ApplianceTarget.candidateSymbols(on: Date()))
            // The gateway has the venue's book once it has read the snapshot; the OMS subscribes.
            usleep(300_000)
            let subscriber = try FIXSocketConnection(port: port, peerName: "gateway", senderCompID: ApplianceClient.senderCompID,
                                                     targetCompID: ApplianceClient.targetCompID, checksSequence: true,
                                                     readTimeoutSeconds: 10, sendCapacity: 4 * 1024)
            self.subscriber = subscriber
            try subscriber.logOn()
            var request = subscriber.header("V")
            request.body.append(262, Self.requestID)
            request.body.append(263, "1")
            request.body.append(264, 5)
            request.body.append(265, 1)
            var types: [FIXFieldList] = []
            for type in ["0", "1"] {
                var entry = FIXFieldList()
                entry.append(269, type)
                types.append(entry)
            }
            request.body.appendGroup(267, types)
            var instrument = FIXFieldList()
            instrument.append(55, symbol)
            request.body.appendGroup(146, [instrument])
            try subscriber.send(request)
            let snapshot = try nextApplicationMessage(subscriber)
            guard snapshot.msgType == "W", snapshot[55]?.string == symbol,
                  snapshot.values(of: 270).contains(where: { $0.decimal == FIXDecimal(Self.bestBid) }) else {
                throw EchoFailure("the subscriber's snapshot is not the venue's book (best bid \(Self.bestBid)): \(snapshot.debugText)")
            }
        }
    }

    func stop() {
        subscriber?.logOut(readingAtMost: 100)
        subscriber = nil
        venue = nil
        server?.stopAndRemoveFolder()
        server = nil
    }

    /// The venue changes its best bid's size.
    func sendBestBidSize(_ size: Int) throws {
        guard let venue else { throw EchoFailure("venue feed: not started (the benchmark setup did not run)") }
        var update = venue.header("X")
        update.body.append(262, "WH-\(symbol)")
        var entry = FIXFieldList()
        entry.append(279, "1")
        entry.append(269, "0")
        entry.append(55, symbol)
        entry.append(270, Self.bestBid)
        entry.append(271, size)
        entry.append(346, 1)
        update.body.appendGroup(268, [entry])
        try venue.send(update)
    }

    /// Waits for the subscriber's incremental refresh showing the best bid at `size`.
    func awaitSubscriberBestBidSize(_ size: Int) throws {
        guard let subscriber else { throw EchoFailure("venue feed: not started (the benchmark setup did not run)") }
        while true {
            let message = try nextApplicationMessage(subscriber)
            guard message.msgType == "X", message[262]?.string == Self.requestID else { continue }
            guard message[271]?.int == size, message[270]?.decimal == FIXDecimal(Self.bestBid) else {
                throw EchoFailure("expected the best bid \(Self.bestBid) at size \(size): \(message.debugText)")
            }
            return
        }
    }

    /// The next message that is not a heartbeat, answering test requests.
    private func nextApplicationMessage(_ connection: FIXSocketConnection) throws -> FIXMessage {
        while true {
            let message = try connection.nextMessage()
            switch message.msgType {
            case "0": continue
            case "1": try connection.answerTestRequest(message)
            default: return message
            }
        }
    }

    /// Reads the gateway's MarketDataRequests until it has asked for one of `candidates`: a
    /// snapshot for that one, a reject for the others. Returns the symbol.
    private func answerSubscriptions(_ venue: FIXSocketConnection, candidates: [String]) throws -> String {
        while true {
            let request = try nextApplicationMessage(venue)
            guard request.msgType == "V", let symbol = request[55]?.string, let id = request[262]?.string else { continue }
            guard candidates.contains(symbol) else {
                var reject = venue.header("Y")
                reject.body.append(262, id)
                reject.body.append(281, "0")
                try venue.send(reject)
                continue
            }
            var snapshot = venue.header("W", bodyCapacity: 1_024)
            snapshot.body.append(262, id)
            snapshot.body.append(55, symbol)
            var entries: [FIXFieldList] = []
            for (type, direction) in [("0", -1), ("1", 1)] {
                for level in 0..<5 {
                    var entry = FIXFieldList()
                    entry.append(269, type)
                    entry.append(270, FIXDecimal(mantissa: 7_000 + Int64(direction * (level + (type == "1" ? 1 : 0))), scale: 2))
                    entry.append(271, 20)
                    entry.append(346, 1)
                    entries.append(entry)
                }
            }
            snapshot.body.appendGroup(268, entries)
            try venue.send(snapshot)
            return symbol
        }
    }

    // MARK: - Sockets and profile

    private static func listen() throws -> (socket: Int32, port: Int) {
        let listener = try loopbackListener()
        // accept() gives up after this long: the gateway connects within a second of starting.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(listener.socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return listener
    }

    private static func accept(_ listener: Int32) throws -> FIXSocketConnection {
        let socket = Glibc.accept(listener, nil, nil)
        guard socket >= 0 else { throw EchoFailure("the gateway did not connect to its venue: errno \(errno)") }
        return FIXSocketConnection(connected: socket, peerName: "gateway (route session)", senderCompID: "BENCHVENUE",
                                   targetCompID: "GATEWAY", checksSequence: true, readTimeoutSeconds: 10, sendCapacity: 4 * 1024)
    }

    /// The appliance benchmark's profile (its limits, listing, seed and OMS session) plus a
    /// route session to this process at `venuePort`.
    private static func profile(in directory: String, venuePort: Int) throws -> WellheadProfile {
        let limitsPath = directory + "/risk-limits.yaml"
        try ApplianceTarget.riskLimits.write(toFile: limitsPath, atomically: true, encoding: .utf8)
        return WellheadProfile(fileName: "venue-feed.cfg", application: "gateway",
                               engineCompID: ApplianceClient.targetCompID, clientCompID: ApplianceClient.senderCompID,
                               applicationKeys: ["RiskLimits=\(limitsPath)",
                                                 "Instruments=\(EchoPaths.repositoryRoot)/sessions/instruments.yaml",
                                                 "SimulationSeed=2026"],
                               sessionKeys: ["DefaultAccount=\(ApplianceClient.account)"],
                               moreSessions: [["ConnectionType=initiator", "SenderCompID=GATEWAY", "TargetCompID=BENCHVENUE",
                                               "SocketConnectHost=127.0.0.1", "SocketConnectPort=\(venuePort)", "HeartBtInt=30",
                                               "ReconnectInterval=1", "Application=route", "VenueName=BENCH"]])
    }
}
