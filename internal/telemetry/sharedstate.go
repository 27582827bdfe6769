package telemetry

import "github.com/prometheus/client_golang/prometheus"

// WatchSharedState adds the gauge of the shared state (REDIS_URL): 1 while it is away and the
// instance runs on per-instance limits and caches, else 0; degraded reports it.
func (m *Metrics) WatchSharedState(degraded func() bool) {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Subsystem: "shared_state", Name: "degraded",
		Help: "1 while the shared state (REDIS_URL) is unreachable: limits and persisted queries are per instance, writes with an idempotency key answer SERVICE_UNAVAILABLE; else 0."},
		func() float64 {
			if degraded() {
				return 1
			}
			return 0
		}))
}
