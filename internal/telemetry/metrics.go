// Package telemetry measures the API for its operators: Prometheus metrics, OpenTelemetry
// traces, and the record of each request's Cypher statements behind the slow-query log.
package telemetry

import (
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

// namespace prefixes every metric of the API.
const namespace = "partnership_graph"

// Labels that stand for many operation names, so the series stay bounded whatever clients send.
const (
	// OperationUnnamed is the label of operations sent without a name.
	OperationUnnamed = "_unnamed"
	// OperationOther is the label of names past the first MaxOperations seen, and of names that
	// are not GraphQL names.
	OperationOther = "_other"
	// OperationNone is the label of requests that never reached a valid operation: refused at
	// the door (rate limit, body, transport), unparsable or invalid.
	OperationNone = "_none"
)

// DefaultMaxOperations is how many distinct operation names get their own series by default.
const DefaultMaxOperations = 100

// Metrics are the API's Prometheus collectors, in a registry of their own with the Go runtime
// and process collectors.
type Metrics struct {
	registry *prometheus.Registry

	requests          *prometheus.CounterVec
	requestDuration   *prometheus.HistogramVec
	rootFieldDuration *prometheus.HistogramVec
	cost              prometheus.Histogram
	refusals          *prometheus.CounterVec

	statementsPerRequest prometheus.Histogram
	statementDuration    *prometheus.HistogramVec
	statementErrors      *prometheus.CounterVec

	exportRuns     *prometheus.CounterVec
	exportRows     *prometheus.CounterVec
	exportDuration *prometheus.HistogramVec
	importRuns     *prometheus.CounterVec
	importRows     *prometheus.CounterVec
	importDuration *prometheus.HistogramVec

	operations operationNames
}

// NewMetrics builds the collectors; maxOperations bounds the operation names that get their own
// series (0: DefaultMaxOperations).
func NewMetrics(maxOperations int) *Metrics {
	if maxOperations <= 0 {
		maxOperations = DefaultMaxOperations
	}
	m := &Metrics{registry: prometheus.NewRegistry(), operations: operationNames{max: maxOperations, known: map[string]bool{}}}
	slow := []float64{0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Subsystem: "graphql", Name: "requests_total",
		Help: "GraphQL requests answered, by operation name, outcome (success, partial: data and errors, error: no data) and the code of the first error (none when there is none)."},
		[]string{"operation", "outcome", "code"})
	m.requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Subsystem: "graphql", Name: "request_duration_seconds",
		Help:    "Time to answer a GraphQL request, from its arrival to the end of its response, by operation name.",
		Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}}, []string{"operation"})
	m.rootFieldDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Subsystem: "graphql", Name: "root_field_duration_seconds",
		Help:    "Time to resolve a root field with everything selected below it, by field (Query.country, Mutation...).",
		Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}}, []string{"field"})
	m.cost = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: namespace, Subsystem: "graphql", Name: "operation_cost",
		Help:    "Cost of the operations measured before they run, in points (README, \"Query cost\").",
		Buckets: prometheus.ExponentialBuckets(1, 4, 10)})
	m.refusals = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "rate_limit_refusals_total",
		Help: "Requests refused by the rate limit (reason rate_limited, 429) or by the caps on requests, analyses and scans in flight (reason overloaded, 503), by route (graphql, export)."},
		[]string{"route", "reason"})
	m.statementsPerRequest = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: namespace, Subsystem: "cypher", Name: "statements_per_request",
		Help: "Cypher statements one GraphQL request sent to Neo4j.", Buckets: []float64{0, 1, 2, 3, 4, 6, 8, 12, 16, 32}})
	m.statementDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Subsystem: "cypher", Name: "statement_duration_seconds",
		Help:    "Time of one Cypher statement seen from the API (waiting for a connection, Neo4j's work, reading the rows), by statement name (the file in internal/store/cypher).",
		Buckets: []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}}, []string{"statement"})
	m.statementErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Subsystem: "cypher", Name: "statement_errors_total",
		Help: "Cypher statements that failed (Neo4j away, timeout, a refused analysis...), by statement name."}, []string{"statement"})
	m.exportRuns = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Subsystem: "export", Name: "runs_total",
		Help: "Bulk exports (/export/...) started, by format and outcome (success, refused: 4xx, error: 5xx)."}, []string{"format", "outcome"})
	m.exportRows = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Subsystem: "export", Name: "rows_total",
		Help: "Projects written by the bulk exports that succeeded, by format."}, []string{"format"})
	m.exportDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Subsystem: "export", Name: "duration_seconds",
		Help: "Time of a bulk export, by format.", Buckets: slow}, []string{"format"})
	m.importRuns = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Subsystem: "import", Name: "runs_total",
		Help: "Dataset imports (seed import-iati, import-eutf), by source and outcome (success, error)."}, []string{"source", "outcome"})
	m.importRows = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Subsystem: "import", Name: "rows_total",
		Help: "Activities an import read (read) and wrote as projects (written), by source."}, []string{"source", "kind"})
	m.importDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Subsystem: "import", Name: "duration_seconds",
		Help: "Time of one import, by source.", Buckets: slow}, []string{"source"})
	m.registry.MustRegister(m.own()...)
	m.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// own lists the API's own collectors (WatchStore adds the store's gauges).
func (m *Metrics) own() []prometheus.Collector {
	return []prometheus.Collector{m.requests, m.requestDuration, m.rootFieldDuration, m.cost, m.refusals,
		m.statementsPerRequest, m.statementDuration, m.statementErrors,
		m.exportRuns, m.exportRows, m.exportDuration, m.importRuns, m.importRows, m.importDuration}
}

// Handler serves the metrics in Prometheus's text format (GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{ErrorLog: nil})
}

// Registry is the registry of the collectors (the seed command writes it to a file).
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// StoreState is what the pool and breaker gauges read.
type StoreState interface {
	BreakerOpen() bool
	SessionsInUse() store.Sessions
}

// WatchStore adds the gauges of the store's sessions (statements in flight, of all callers and
// of anonymous ones, against their bounds) and of its breaker.
func (m *Metrics) WatchStore(s StoreState) {
	sessions := func(pick func(store.Sessions) int) func() float64 {
		return func() float64 { return float64(pick(s.SessionsInUse())) }
	}
	m.registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Subsystem: "neo4j", Name: "sessions_in_use",
			Help: "Cypher statements in flight to Neo4j (each holds a connection of the driver's pool)."}, sessions(func(x store.Sessions) int { return x.InUse })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Subsystem: "neo4j", Name: "sessions_max",
			Help: "Most Cypher statements the API sends at once, below the driver's pool of 50 connections."}, sessions(func(x store.Sessions) int { return x.Max })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Subsystem: "neo4j", Name: "anonymous_sessions_in_use",
			Help: "Cypher statements of callers without an API key in flight."}, sessions(func(x store.Sessions) int { return x.AnonymousInUse })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Subsystem: "neo4j", Name: "anonymous_sessions_max",
			Help: "Most Cypher statements of anonymous callers in flight (ANONYMOUS_STATEMENTS_IN_FLIGHT)."}, sessions(func(x store.Sessions) int { return x.AnonymousMax })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Subsystem: "neo4j", Name: "breaker_open",
			Help: "1 while the breaker is open (Neo4j was found unreachable and reads are refused at once), else 0."}, func() float64 {
			if s.BreakerOpen() {
				return 1
			}
			return 0
		}),
	)
}

// ObserveImport counts one import run of a source (iati, eutf): activities read and written, its
// time and whether it failed.
func (m *Metrics) ObserveImport(source string, read, written int, d time.Duration, err error) {
	outcome := "success"
	if err != nil {
		outcome = "error"
	}
	m.importRuns.WithLabelValues(source, outcome).Inc()
	m.importRows.WithLabelValues(source, "read").Add(float64(read))
	m.importRows.WithLabelValues(source, "written").Add(float64(written))
	m.importDuration.WithLabelValues(source).Observe(d.Seconds())
}

// WriteImports writes the import series alone (not the runtime's) in Prometheus's text format
// to path, atomically: the seed command's imports run in a process of their own, and
// node_exporter's textfile collector publishes the file.
func (m *Metrics) WriteImports(path string) error {
	reg := prometheus.NewRegistry()
	if err := reg.Register(m.importRuns); err != nil {
		return err
	}
	reg.MustRegister(m.importRows, m.importDuration)
	return prometheus.WriteToTextfile(path, reg)
}

// observeExport counts one export run from its response: its status and X-Total-Count.
func (m *Metrics) observeExport(format string, status int, rows string, d time.Duration) {
	outcome := "success"
	switch {
	case status >= 500:
		outcome = "error"
	case status >= 400:
		outcome = "refused"
	}
	m.exportRuns.WithLabelValues(format, outcome).Inc()
	if outcome == "success" {
		n, _ := strconv.Atoi(rows)
		m.exportRows.WithLabelValues(format).Add(float64(n))
		m.exportDuration.WithLabelValues(format).Observe(d.Seconds())
	}
}

// observeRefusal counts a request refused with 429 (rate limit) or 503 with Retry-After (caps).
func (m *Metrics) observeRefusal(route string, status int, retryAfter bool) {
	switch {
	case status == http.StatusTooManyRequests:
		m.refusals.WithLabelValues(route, "rate_limited").Inc()
	case status == http.StatusServiceUnavailable && retryAfter:
		m.refusals.WithLabelValues(route, "overloaded").Inc()
	}
}

// operationNames keeps the operation names that have a series of their own: the first max
// valid names seen; the others collapse into OperationOther.
type operationNames struct {
	mu    sync.Mutex
	max   int
	known map[string]bool
}

var graphQLName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

func (o *operationNames) label(name string) string {
	if name == "" {
		return OperationUnnamed
	}
	if !graphQLName.MatchString(name) {
		return OperationOther
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.known[name] {
		return name
	}
	if len(o.known) < o.max {
		o.known[name] = true
		return name
	}
	return OperationOther
}

// errorCode keeps error codes bounded: codes are the API's own, upper-case words.
var errorCode = regexp.MustCompile(`^[A-Z][A-Z_]{0,39}$`)

func codeLabel(code string) string {
	switch {
	case code == "":
		return "none"
	case errorCode.MatchString(code):
		return code
	}
	return "OTHER"
}
