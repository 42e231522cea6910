import CoreMetrics
import Prometheus

/// The appliance's metrics: swift-metrics' instruments, created by the modules that own the facts,
/// collected into one Prometheus registry and exposed as Prometheus's text format on `/metrics`.
///
/// Every name is `wellhead_…` in base units (`_seconds`, `_total`). Timers become histograms with
/// ``latencyBuckets``, fit for the order path's microseconds as much as for a slow disk.
///
/// Counters and gauges are atomics (an increment is an atomic add). A histogram's sample takes
/// swift-prometheus's lock around its buckets: one sample an order and one a group commit,
/// uncontended but not lock-free.
public enum ApplianceMetrics {
    /// Histogram buckets from 1 µs to 1 s: 1, 2, 5 … 500 µs, 1, 2, 5 … 500 ms, 1 s.
    public static let latencyBuckets: [Duration] = {
        let steps = [1, 2, 5, 10, 20, 50, 100, 200, 500]
        return steps.map { Duration.microseconds($0) } + steps.map { Duration.milliseconds($0) } + [.seconds(1)]
    }()

    /// A factory onto `registry` whose timers (and aggregating recorders, in seconds) use ``latencyBuckets``.
    public static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = latencyBuckets
        factory.defaultValueHistogramBuckets = latencyBuckets.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        return factory
    }

    /// Makes the process's registry and bootstraps `MetricsSystem` onto it. Call once, at startup,
    /// before any instrument is created (swift-metrics allows one bootstrap a process).
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(factory(registry: registry))
        return registry
    }

    /// The registry's metrics in Prometheus's text exposition format (version 0.0.4).
    public static func exposition(_ registry: PrometheusCollectorRegistry) -> String {
        registry.emitToString()
    }
}
