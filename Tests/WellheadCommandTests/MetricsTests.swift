import ConsoleAccess
import Foundation
import Testing
import TestSupport

/// `/metrics` of a real `wellhead serve` with the console on, after a real QuickFIX OMS sent
/// it orders: Prometheus's text format, every name `wellhead_…` in base units, and the
/// counters and histograms moved by what the orders did.
@Suite(.serialized) struct MetricsTests {
    static let password = "correct horse battery staple"

    /// One sample of the exposition: `name{label="value",…} number`.
    struct Sample: CustomStringConvertible {
        var name: String
        var labels: [String: String]
        var value: Double

        var description: String { "\(name)\(labels.sorted { $0.key < $1.key }) \(value)" }

        init?(line: Substring) {
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                return nil
            }
            self.value = value
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else {
                name = String(series)
                labels = [:]
                return
            }
            name = String(series[..<brace])
            var labels: [String: String] = [:]
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            self.labels = labels
        }
    }

    static func samples(_ text: String) -> [Sample] { text.split(separator: "\n").compactMap(Sample.init(line:)) }

    static func sum(_ samples: [Sample], _ name: String, where labels: [String: String] = [:]) -> Double {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }.map(\.value).reduce(0, +)
    }

    @Test func ordersFromQuickFIXMoveTheCountersAndHistogramsOfTheExposition() throws {
        let consolePort = freePort()
        let served = try ServedProfile(counterparty: "OMS1", ourCompID: "WELLHEAD") { directory, port in
            let usersPath = directory.path("console-users.txt")
            var users = UsersFile.empty(path: usersPath)
            try users.add(ConsoleUser(name: "rita", role: .riskManager, accounts: [],
                                      password: PasswordHash(hashing: MetricsTests.password, cost: 4)))
            try users.save()
            return try WellheadProfiles.gatewayAcceptor(in: directory, port: port, limits: QuickFIXOMSTests.limits,
                                                        keys: "ConsolePort=\(consolePort)\nUsers=\(usersPath)")
        }
        defer { served.stop() }
        #expect(served.server.waitForOutput("console listening", timeout: 60), "\(served.server.output)")
        #expect(served.server.waitForOutput("accepting connections"), "\(served.server.output)")
        let console = ConsoleClient(port: consolePort)
        try console.signIn("rita", Self.password)
        #expect(console.cookie != nil, "rita is not signed in")

        let s = served.symbol
        let (status, output) = try served.run("""
            D MET1 \(s) 1 1 2 40.00 0
            EXPECT MET1 0 10
            D MET2 \(s) 1 1 2 39.99 0
            EXPECT MET2 0 10
            D MET3 \(s) 1 1 2 39.98 0
            EXPECT MET3 0 10
            D METBIG \(s) 1 101 2 40.00 0
            EXPECT METBIG 8 10
            AB METAB
            """)
        #expect(status == 0, "\(output)")

        var text = ""
        var samples: [Sample] = []
        let moved = try eventually(timeout: 30) {
            let answer = try console.request("GET", "/metrics")
            guard answer.status == 200 else { return false }
            text = answer.body
            samples = Self.samples(text)
            return Self.sum(samples, "wellhead_order_ack_seconds_count") >= 4
                && Self.sum(samples, "wellhead_journal_commit_seconds_count") > 0
                && Self.sum(samples, "wellhead_fix_rejects_total") >= 1
        }
        #expect(moved, "\(text)")

        // Messages in: the Logon and four orders at least; out: the Logon and four reports.
        #expect(Self.sum(samples, "wellhead_fix_messages_received_total") >= 5, "\(text)")
        #expect(Self.sum(samples, "wellhead_fix_messages_sent_total") >= 5, "\(text)")
        #expect(samples.contains { $0.name == "wellhead_fix_next_sender_seq" && $0.value > 1 }, "\(text)")
        #expect(samples.contains { $0.name == "wellhead_fix_next_target_seq" && $0.value > 1 }, "\(text)")
        #expect(samples.contains { $0.name == "wellhead_fix_session_logged_on" && $0.labels["session"]?.contains("OMS1") == true }, "\(text)")
        // A multileg order (AB), which this gateway does not take: refused with a Reject or a
        // BusinessMessageReject, counted by its reason.
        let rejects = samples.filter { $0.name == "wellhead_fix_rejects_total" && $0.value >= 1 }
        #expect(rejects.count == 1 && rejects.allSatisfy { $0.labels["session"]?.contains("OMS1") == true && $0.labels["reason"] != nil },
                "\(text)")
        // Order → ack: one sample per order, each under a second, in microsecond buckets.
        #expect(Self.sum(samples, "wellhead_order_ack_seconds_count") >= 4, "\(text)")
        #expect(Self.sum(samples, "wellhead_order_ack_seconds_bucket", where: ["le": "1.0"]) >= 4, "\(text)")
        #expect(samples.contains { $0.name == "wellhead_order_ack_seconds_bucket" && $0.labels["le"] == "0.000001" }, "\(text)")
        #expect(samples.contains { $0.name == "wellhead_journal_commit_seconds_bucket" && $0.labels["le"] == "0.00005" }, "\(text)")
        // Risk: three accepted, the 101 lot refused by the account's max order size.
        #expect(Self.sum(samples, "wellhead_risk_decisions_total", where: ["control": "all", "outcome": "accepted"]) >= 3, "\(text)")
        #expect(Self.sum(samples, "wellhead_risk_decisions_total", where: ["control": "orderSize", "outcome": "rejected"]) == 1, "\(text)")
        #expect(Self.sum(samples, "wellhead_risk_decisions_total", where: ["control": "priceCollar", "outcome": "rejected"]) == 0, "\(text)")
        #expect(Self.sum(samples, "wellhead_kill_switch_engaged", where: ["scope": "firm"]) == 0, "\(text)")
        #expect(Self.sum(samples, "wellhead_trading_state", where: ["scope": "firm", "state": "ACTIVE"]) == 1, "\(text)")
        #expect(samples.contains { $0.name == "wellhead_console_users" && $0.value >= 1 }, "\(text)")
        #expect(samples.contains { $0.name == "wellhead_console_websocket_clients" }, "\(text)")

        // The format: a TYPE line for each family, and names in base units under wellhead_.
        for family in ["wellhead_fix_messages_received_total counter", "wellhead_fix_messages_sent_total counter",
                       "wellhead_order_ack_seconds histogram", "wellhead_journal_commit_seconds histogram",
                       "wellhead_risk_decisions_total counter", "wellhead_fix_next_sender_seq gauge", "wellhead_console_users gauge"] {
            #expect(text.contains("# TYPE \(family)\n"), "no TYPE line for \(family)")
        }
        for sample in samples {
            #expect(sample.name.hasPrefix("wellhead_"), "\(sample)")
        }
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            guard parts.count == 4 else { continue }
            if parts[3] == "counter" { #expect(parts[2].hasSuffix("_total"), "\(line)") }
            if parts[3] == "histogram" { #expect(parts[2].hasSuffix("_seconds"), "\(line)") }
        }
    }
}
