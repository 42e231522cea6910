import ApplianceMetrics
import CoreMetrics
import FIXCodec
import Instruments
import Prometheus
import RiskSidecar
import Testing

/// The appliance's factory and exposition on a registry of the test's own: nothing here
/// bootstraps `MetricsSystem`, which a process may do only once.
struct ApplianceMetricsTests {
    @Test func bucketsRunFromOneMicrosecondToOneSecondInOneTwoFiveSteps() {
        let buckets = ApplianceMetrics.latencyBuckets
        #expect(buckets.first == .microseconds(1))
        #expect(buckets.last == .seconds(1))
        #expect(buckets.count == 19)
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 })
        #expect(buckets.contains(.microseconds(50)) && buckets.contains(.milliseconds(5)))
    }

    @Test func aTimerIsAHistogramInSecondsWithTheMicrosecondBuckets() {
        let registry = PrometheusCollectorRegistry()
        let factory = ApplianceMetrics.factory(registry: registry)
        let timer = CoreMetrics.Timer(label: "wellhead_order_ack_seconds", factory: factory)
        timer.recordNanoseconds(1_500)      // 1.5 µs
        timer.recordNanoseconds(30_000)     // 30 µs
        timer.recordNanoseconds(2_000_000)  // 2 ms
        let text = ApplianceMetrics.exposition(registry)
        #expect(text.contains("# TYPE wellhead_order_ack_seconds histogram\n"), "\(text)")
        #expect(text.contains("wellhead_order_ack_seconds_bucket{le=\"0.000001\"} 0\n"), "\(text)")
        #expect(text.contains("wellhead_order_ack_seconds_bucket{le=\"0.000002\"} 1\n"), "\(text)")
        #expect(text.contains("wellhead_order_ack_seconds_bucket{le=\"0.00005\"} 2\n"), "\(text)")
        #expect(text.contains("wellhead_order_ack_seconds_bucket{le=\"0.002\"} 3\n"), "\(text)")
        #expect(text.contains("wellhead_order_ack_seconds_bucket{le=\"1.0\"} 3\n"), "\(text)")
        #expect(text.contains("wellhead_order_ack_seconds_bucket{le=\"+Inf\"} 3\n"), "\(text)")
        #expect(text.contains("wellhead_order_ack_seconds_count 3\n"), "\(text)")
        #expect(text.contains("wellhead_order_ack_seconds_sum 0.0020315\n"), "\(text)")
    }

    @Test func countersAndGaugesKeepTheirLabelsAndShareOneSeriesPerLabelSet() {
        let registry = PrometheusCollectorRegistry()
        let factory = ApplianceMetrics.factory(registry: registry)
        let session = [("session", "FIX.4.4:WELLHEAD->OMS1")]
        let received = CoreMetrics.Counter(label: "wellhead_fix_messages_received_total", dimensions: session, factory: factory)
        // Made again with the same name and labels (a second journal, a restarted session): the same series.
        let again = CoreMetrics.Counter(label: "wellhead_fix_messages_received_total", dimensions: session, factory: factory)
        received.increment()
        again.increment(by: 2)
        let rejected = CoreMetrics.Counter(label: "wellhead_risk_decisions_total",
                                           dimensions: [("control", "orderSize"), ("outcome", "rejected")], factory: factory)
        rejected.increment()
        let next = CoreMetrics.Gauge(label: "wellhead_fix_next_sender_seq", dimensions: session, factory: factory)
        next.record(42)
        let text = ApplianceMetrics.exposition(registry)
        #expect(text.contains("# TYPE wellhead_fix_messages_received_total counter\n"), "\(text)")
        #expect(text.contains("wellhead_fix_messages_received_total{session=\"FIX.4.4:WELLHEAD->OMS1\"} 3\n"), "\(text)")
        #expect(text.contains("wellhead_risk_decisions_total{control=\"orderSize\",outcome=\"rejected\"} 1\n"), "\(text)")
        #expect(text.contains("# TYPE wellhead_fix_next_sender_seq gauge\n"), "\(text)")
        #expect(text.contains("wellhead_fix_next_sender_seq{session=\"FIX.4.4:WELLHEAD->OMS1\"} 42.0\n"), "\(text)")
    }

    /// The risk sidecar's instruments, made on this registry (a task-local factory): decisions by
    /// control and outcome, a kill switch's gauge, the firm's trading state.
    @Test func theRiskSidecarCountsDecisionsByControlAndShowsItsSwitchesAndStates() {
        let registry = PrometheusCollectorRegistry()
        let cl = ContractSpec(root: "CL", name: "WTI Crude Oil", exchange: "NYMEX", contractSize: 1_000, priceUnit: "$/bbl",
                              tickSize: FIXDecimal(mantissa: 1, scale: 2), tickValue: 10)
        let risk = withMetricsFactory(ApplianceMetrics.factory(registry: registry)) {
            RiskSidecar(limits: RiskLimits(accounts: ["DESK1": LimitSet(maxOrderSize: 100)]), contracts: [cl])
        }
        // Tuesday 3 March 2026, 15:00 UTC.
        let now: Int64 = 1_772_550_000 * 1_000_000_000
        func order(_ number: Int64, _ quantity: Int64) -> RiskOrder {
            RiskOrder(key: RiskOrderKey(number), clOrdID: "C\(number)", account: "DESK1", session: "OMS1", symbol: "CLK6", root: "CL",
                      side: .buy, quantity: quantity, price: FIXDecimal(mantissa: 7_530, scale: 2))
        }
        #expect(risk.check(order(1, 10), now: now).rejection == nil)
        #expect(risk.check(order(2, 101), now: now + 1_000_000).rejection?.check == .orderSize)
        _ = risk.engageKillSwitch(.account("DESK1"), by: "rita", reason: "test", now: now + 2_000_000)
        #expect(risk.check(order(3, 1), now: now + 3_000_000).rejection?.check == .killSwitch)
        risk.setTradingState(.halted, for: .firm, by: "rita", now: now + 4_000_000)
        let text = ApplianceMetrics.exposition(registry)
        #expect(text.contains("wellhead_risk_decisions_total{control=\"all\",outcome=\"accepted\"} 1\n"), "\(text)")
        #expect(text.contains("wellhead_risk_decisions_total{control=\"orderSize\",outcome=\"rejected\"} 1\n"), "\(text)")
        #expect(text.contains("wellhead_risk_decisions_total{control=\"killSwitch\",outcome=\"rejected\"} 1\n"), "\(text)")
        #expect(text.contains("wellhead_risk_decisions_total{control=\"priceCollar\",outcome=\"rejected\"} 0\n"), "\(text)")
        #expect(text.contains("wellhead_kill_switch_engaged{scope=\"firm\"} 0.0\n"), "\(text)")
        #expect(text.contains("wellhead_kill_switch_engaged{scope=\"account:DESK1\"} 1.0\n"), "\(text)")
        #expect(text.contains("wellhead_trading_state{scope=\"firm\",state=\"HALTED\"} 1.0\n"), "\(text)")
        #expect(text.contains("wellhead_trading_state{scope=\"firm\",state=\"ACTIVE\"} 0.0\n"), "\(text)")
        risk.releaseKillSwitch(.account("DESK1"), by: "ravi", now: now + 5_000_000)
        #expect(ApplianceMetrics.exposition(registry).contains("wellhead_kill_switch_engaged{scope=\"account:DESK1\"} 0.0\n"))
    }
}
