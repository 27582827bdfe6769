// Package config reads the server's settings from environment variables, with defaults, and
// rejects a wrong value with an error naming the variable.
package config

import (
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
)

// Config holds every setting of the API server.
type Config struct {
	Neo4jURI            string               // NEO4J_URI
	Neo4jUser           string               // NEO4J_USER
	Neo4jPassword       string               // NEO4J_PASSWORD
	Neo4jDatabase       string               // NEO4J_DATABASE
	RedisURL            string               // REDIS_URL; "": shared state in memory (one instance)
	ListenAddr          string               // LISTEN_ADDR
	AllowedOrigins      []string             // CORS_ALLOWED_ORIGINS
	LogLevel            slog.Level           // LOG_LEVEL
	LogFormat           string               // LOG_FORMAT
	RequestTimeout      time.Duration        // REQUEST_TIMEOUT
	ExportTimeout       time.Duration        // EXPORT_TIMEOUT
	PublicBaseURL       string               // PUBLIC_BASE_URL
	ShutdownGrace       time.Duration        // SHUTDOWN_TIMEOUT
	MigrateOnStart      bool                 // MIGRATE_ON_START
	Limits              limits.Limits        // MAX_QUERY_COST, MAX_QUERY_DEPTH, MAX_QUERY_ALIASES, MAX_QUERY_ROOT_FIELDS, MAX_QUERY_DIRECTIVES, MAX_FILTER_*, MAX_INPUT_*
	MaxQueryTokens      int                  // MAX_QUERY_TOKENS
	APIKeysFile         string               // API_KEYS_FILE
	AnonymousRole       reqctx.Role          // ANONYMOUS_ROLE; 0 when anonymous requests are refused
	Introspection       reqctx.Introspection // INTROSPECTION
	RateBurst           int                  // RATE_LIMIT_BURST
	RatePerSecond       int                  // RATE_LIMIT_PER_SECOND
	MaxConcurrent       int                  // MAX_CONCURRENT_PER_CLIENT
	MaxInFlight         int                  // MAX_IN_FLIGHT
	ReservedForKeys     int                  // IN_FLIGHT_RESERVED_FOR_KEYS
	MaxScans            int                  // MAX_SCANS_IN_FLIGHT
	ScansReserved       int                  // SCANS_RESERVED_FOR_KEYS
	MaxAnalysisRows     int                  // MAX_ANALYSIS_ROWS
	AnonymousStatements int                  // ANONYMOUS_STATEMENTS_IN_FLIGHT
	MaxAnalyses         int                  // MAX_ANALYSES_IN_FLIGHT
	AnalysesReserved    int                  // ANALYSES_RESERVED_FOR_KEYS
	TrustedProxies      []netip.Prefix       // TRUSTED_PROXIES
	CurationApprover    reqctx.Role          // CURATION_APPROVER
	MutationAllowlist   string               // MUTATION_ALLOWLIST_FILE
	// MetricsAddr is the host:port of the metrics listener; "" when METRICS_ADDR is api (then
	// MetricsOnAPI) or off.
	MetricsAddr          string        // METRICS_ADDR
	MetricsOnAPI         bool          // METRICS_ADDR=api
	MetricsMaxOperations int           // METRICS_MAX_OPERATIONS
	OTLPEndpoint         string        // OTEL_EXPORTER_OTLP_ENDPOINT; "": tracing off
	TraceSampleRatio     float64       // TRACE_SAMPLE_RATIO
	SlowRequest          time.Duration // SLOW_REQUEST_THRESHOLD; 0: no slow-request log
	ExplainSlow          bool          // DEBUG_EXPLAIN_SLOW
	// GCPercent and MemoryLimit are the Go runtime's garbage collection settings the server
	// applies at start (runtime/debug): GCPercent -1 is off, MemoryLimit math.MaxInt64 no limit.
	GCPercent   int   // GOGC
	MemoryLimit int64 // GOMEMLIMIT, in bytes
}

// Neo4jPoolSize is the size of the driver's connection pool; MAX_IN_FLIGHT stays below it, so a
// burst of requests waits in the API's admission, never in the pool.
const Neo4jPoolSize = 50

// Variable documents one environment variable: its name, default and meaning. The README's
// configuration table lists the same.
type Variable struct {
	Name    string
	Default string
	Help    string
}

// Variables lists every variable Load reads.
var Variables = []Variable{
	{"NEO4J_URI", "bolt://127.0.0.1:7687", "Bolt address of Neo4j (bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s://, neo4j+ssc://)"},
	{"NEO4J_USER", "neo4j", "Neo4j user"},
	{"NEO4J_PASSWORD", "", "Neo4j password (required)"},
	{"NEO4J_DATABASE", "neo4j", "Neo4j database name"},
	{"REDIS_URL", "", "Redis that the instances behind one address share (rate-limit budgets, requests in flight, persisted queries, idempotency keys), e.g. redis://10.0.0.5:6379/0 (rediss:// for TLS; user and password in the URL); empty: all of it in this instance's memory"},
	{"LISTEN_ADDR", "127.0.0.1:8080", "host:port the HTTP server listens on"},
	{"CORS_ALLOWED_ORIGINS", "", "comma-separated origins allowed to call the API from a browser, e.g. https://app.example.org; empty allows none"},
	{"LOG_LEVEL", "info", "debug, info, warn or error"},
	{"LOG_FORMAT", "json", "json or text"},
	{"REQUEST_TIMEOUT", "10s", "deadline of one request, a Go duration"},
	{"EXPORT_TIMEOUT", "10m", "deadline of one bulk export (/export/...), a Go duration"},
	{"PUBLIC_BASE_URL", "http://127.0.0.1:8080", "base of the IRIs of nodes ({base}/id/project/bmm-1) in exports and JSON-LD; http or https, no path"},
	{"SHUTDOWN_TIMEOUT", "15s", "how long in-flight requests may finish after SIGINT or SIGTERM"},
	{"MIGRATE_ON_START", "true", "apply the graph's constraints and indexes at start-up"},
	{"MAX_QUERY_COST", "50000", "largest cost of one operation, in points (README, \"Query cost\"); checked before any Cypher runs"},
	{"MAX_QUERY_DEPTH", "15", "deepest nesting of fields in one operation, counted through fragments"},
	{"MAX_QUERY_ALIASES", "30", "most aliased fields in one operation"},
	{"MAX_QUERY_ROOT_FIELDS", "20", "most top-level fields in one operation"},
	{"MAX_QUERY_DIRECTIVES", "20", "most directives in one operation"},
	{"MAX_QUERY_TOKENS", "15000", "most tokens the parser reads from one query"},
	{"MAX_QUERY_FIELDS", "250", "most field selections written in one document (operations and fragments), checked before validation"},
	{"MAX_FILTER_DEPTH", "4", "deepest nesting of AND, OR, NOT and relationship filters (...Some, ...None) in one operation, inline or in variables"},
	{"MAX_FILTER_CONDITIONS", "40", "most conditions in all the filters of one operation"},
	{"MAX_FILTER_ROWS", "200000", "most rows the relationship filters of one operation may make Neo4j read, estimated from the graph's sizes"},
	{"MAX_INPUT_LIST_ITEMS", "1000", "most items in all the list arguments of one operation"},
	{"MAX_INPUT_STRING_BYTES", "8192", "most bytes in all the string arguments of one operation"},
	{"API_KEYS_FILE", "", "CSV file of API keys (name,role,sha256,revoked); empty: no keys"},
	{"ANONYMOUS_ROLE", "anonymous", "role of requests without an API key: none (refused), anonymous (read; introspect when INTROSPECTION=readers) or analyst (read and introspect, for local use)"},
	{"INTROSPECTION", "readers", "which roles may introspect the schema and get its facts (\"did you mean\" suggestions, an enum's valid values) in errors: readers (every role that may read, anonymous callers included), analysts (analyst, editor and admin) or none"},
	{"RATE_LIMIT_BURST", "100000", "cost points a client may spend at once (its bucket)"},
	{"RATE_LIMIT_PER_SECOND", "1000", "cost points a client gets back every second"},
	{"MAX_CONCURRENT_PER_CLIENT", "8", "requests one client (API key, or anonymous address) may have in flight"},
	{"MAX_IN_FLIGHT", "32", "requests the API answers at once, below the Neo4j pool of 50; beyond, 503 with Retry-After"},
	{"IN_FLIGHT_RESERVED_FOR_KEYS", "8", "of MAX_IN_FLIGHT, requests kept for callers with an API key (anonymous callers share the rest)"},
	{"MAX_SCANS_IN_FLIGHT", "2", "operations priced as a scan of the graph (unnarrowed analytics and aggregates, computed root sorts) running at once; beyond, 503 with Retry-After"},
	{"SCANS_RESERVED_FOR_KEYS", "1", "of MAX_SCANS_IN_FLIGHT, scans kept for callers with an API key (anonymous callers always get at least one)"},
	{"MAX_ANALYSES_IN_FLIGHT", "4", "operations with a field priced by @cost (analytics, fundingSummary, computed root sorts; narrowed or not) running at once; beyond, 503 with Retry-After"},
	{"ANALYSES_RESERVED_FOR_KEYS", "2", "of MAX_ANALYSES_IN_FLIGHT, analyses kept for callers with an API key (anonymous callers always get at least one)"},
	{"ANONYMOUS_STATEMENTS_IN_FLIGHT", "8", "Cypher statements of anonymous callers sent to Neo4j at once (of 45); the rest are kept for callers with a key"},
	{"MAX_ANALYSIS_ROWS", "250000", "most rows one analytics statement may read from Neo4j; beyond, COMPLEXITY_LIMIT_EXCEEDED asking to narrow the question"},
	{"CURATION_APPROVER", "admin", "who approves and rejects change sets (never their own): admin (admin keys) or editor (a second editor, or an admin)"},
	{"MUTATION_ALLOWLIST_FILE", "", "file of the SHA-256 (hex, one a line) of the only mutation documents that run (persisted operations); empty: any mutation"},
	{"TRUSTED_PROXIES", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client, e.g. 10.0.0.0/8; empty: the peer address is the client"},
	{"METRICS_ADDR", "127.0.0.1:9464", "host:port of the listener serving Prometheus metrics at /metrics (loopback by default: not public); api serves them at /metrics of LISTEN_ADDR instead; off serves none"},
	{"METRICS_MAX_OPERATIONS", "100", "operation names that get series of their own in the metrics (the first seen); later names count as _other, unnamed operations as _unnamed"},
	{"OTEL_EXPORTER_OTLP_ENDPOINT", "", "OTLP/HTTP base URL traces are exported to (spans go to {url}/v1/traces), e.g. http://127.0.0.1:4318; empty: tracing off (the other OTEL_EXPORTER_OTLP_* variables of the OpenTelemetry SDK apply too)"},
	{"TRACE_SAMPLE_RATIO", "1", "share of new traces recorded and exported, above 0 and at most 1 (a caller's sampled traceparent is always followed)"},
	{"SLOW_REQUEST_THRESHOLD", "1s", "a GraphQL request slower than this is logged (warn) with its operation, cost and statements with their timings, never variable values; 0 logs none"},
	{"DEBUG_EXPLAIN_SLOW", "false", "debug mode: add the EXPLAIN plans of a slow request's statements to the log (the statements' parameters are kept in memory until planned, never logged)"},
	{"GOGC", "400", "heap growth, in percent of the live heap, that starts a garbage collection (the Go runtime's variable, with the server's own default: a request allocates much and keeps little, and collecting four times less often costs tens of megabytes); off: only GOMEMLIMIT collects"},
	{"GOMEMLIMIT", "1GiB", "soft limit of the Go heap (the Go runtime's variable and format: 512MiB, 2GiB, bytes), near which the garbage collector works harder whatever GOGC; off: none"},
}

// Load reads the configuration through getenv (os.Getenv in production).
func Load(getenv func(string) string) (*Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, v := range Variables {
			if v.Name == name {
				return v.Default
			}
		}
		return ""
	}
	c := &Config{
		Neo4jUser:     get("NEO4J_USER"),
		Neo4jPassword: getenv("NEO4J_PASSWORD"),
		Neo4jDatabase: get("NEO4J_DATABASE"),
		LogFormat:     get("LOG_FORMAT"),
	}
	var err error
	if c.Neo4jURI, err = neo4jURI(get("NEO4J_URI")); err != nil {
		return nil, fmt.Errorf("NEO4J_URI: %w", err)
	}
	if c.RedisURL = get("REDIS_URL"); c.RedisURL != "" {
		if _, err := sharedstate.ParseRedisURL(c.RedisURL); err != nil {
			return nil, err
		}
	}
	if c.Neo4jPassword == "" {
		return nil, fmt.Errorf("NEO4J_PASSWORD: must be set (the password of NEO4J_USER)")
	}
	if c.ListenAddr, err = listenAddr(get("LISTEN_ADDR")); err != nil {
		return nil, fmt.Errorf("LISTEN_ADDR: %w", err)
	}
	if c.AllowedOrigins, err = origins(get("CORS_ALLOWED_ORIGINS")); err != nil {
		return nil, fmt.Errorf("CORS_ALLOWED_ORIGINS: %w", err)
	}
	if err = c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL"))); err != nil {
		return nil, fmt.Errorf("LOG_LEVEL: want debug, info, warn or error, got %q", get("LOG_LEVEL"))
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return nil, fmt.Errorf("LOG_FORMAT: want json or text, got %q", c.LogFormat)
	}
	if c.RequestTimeout, err = positiveDuration(get("REQUEST_TIMEOUT")); err != nil {
		return nil, fmt.Errorf("REQUEST_TIMEOUT: %w", err)
	}
	if c.ExportTimeout, err = positiveDuration(get("EXPORT_TIMEOUT")); err != nil {
		return nil, fmt.Errorf("EXPORT_TIMEOUT: %w", err)
	}
	if c.PublicBaseURL, err = publicBaseURL(get("PUBLIC_BASE_URL")); err != nil {
		return nil, fmt.Errorf("PUBLIC_BASE_URL: %w", err)
	}
	if c.ShutdownGrace, err = positiveDuration(get("SHUTDOWN_TIMEOUT")); err != nil {
		return nil, fmt.Errorf("SHUTDOWN_TIMEOUT: %w", err)
	}
	if c.MigrateOnStart, err = strconv.ParseBool(get("MIGRATE_ON_START")); err != nil {
		return nil, fmt.Errorf("MIGRATE_ON_START: want true or false, got %q", get("MIGRATE_ON_START"))
	}
	for _, l := range []struct {
		name string
		dst  *int
	}{
		{"MAX_QUERY_COST", &c.Limits.MaxCost}, {"MAX_QUERY_DEPTH", &c.Limits.MaxDepth},
		{"MAX_QUERY_ALIASES", &c.Limits.MaxAliases}, {"MAX_QUERY_ROOT_FIELDS", &c.Limits.MaxRootFields},
		{"MAX_QUERY_DIRECTIVES", &c.Limits.MaxDirectives}, {"MAX_QUERY_TOKENS", &c.MaxQueryTokens},
		{"MAX_FILTER_DEPTH", &c.Limits.MaxFilterDepth}, {"MAX_FILTER_CONDITIONS", &c.Limits.MaxFilterConditions},
		{"MAX_FILTER_ROWS", &c.Limits.MaxFilterRows}, {"MAX_QUERY_FIELDS", &c.Limits.MaxFields},
		{"MAX_INPUT_LIST_ITEMS", &c.Limits.MaxListItems}, {"MAX_INPUT_STRING_BYTES", &c.Limits.MaxStringBytes},
		{"RATE_LIMIT_BURST", &c.RateBurst}, {"RATE_LIMIT_PER_SECOND", &c.RatePerSecond},
		{"MAX_CONCURRENT_PER_CLIENT", &c.MaxConcurrent}, {"MAX_IN_FLIGHT", &c.MaxInFlight},
		{"MAX_SCANS_IN_FLIGHT", &c.MaxScans}, {"MAX_ANALYSIS_ROWS", &c.MaxAnalysisRows},
		{"ANONYMOUS_STATEMENTS_IN_FLIGHT", &c.AnonymousStatements}, {"MAX_ANALYSES_IN_FLIGHT", &c.MaxAnalyses},
	} {
		n, err := strconv.Atoi(get(l.name))
		if err != nil || n < 1 || n > 1_000_000_000 {
			return nil, fmt.Errorf("%s: want a whole number from 1 to 1000000000, got %q", l.name, get(l.name))
		}
		*l.dst = n
	}
	if c.AnonymousStatements >= 45 {
		return nil, fmt.Errorf("ANONYMOUS_STATEMENTS_IN_FLIGHT: must stay below the 45 statements the API sends at once, got %d", c.AnonymousStatements)
	}
	if c.MaxInFlight >= Neo4jPoolSize {
		return nil, fmt.Errorf("MAX_IN_FLIGHT: must stay below the Neo4j pool of %d connections, got %d", Neo4jPoolSize, c.MaxInFlight)
	}
	for _, r := range []struct {
		name  string
		dst   *int
		below int
		of    string
	}{
		{"IN_FLIGHT_RESERVED_FOR_KEYS", &c.ReservedForKeys, c.MaxInFlight, "MAX_IN_FLIGHT"},
		{"SCANS_RESERVED_FOR_KEYS", &c.ScansReserved, c.MaxScans, "MAX_SCANS_IN_FLIGHT"},
		{"ANALYSES_RESERVED_FOR_KEYS", &c.AnalysesReserved, c.MaxAnalyses, "MAX_ANALYSES_IN_FLIGHT"},
	} {
		n, err := strconv.Atoi(get(r.name))
		if err != nil || n < 0 || n >= r.below {
			return nil, fmt.Errorf("%s: want a whole number from 0 to %d (below %s), got %q", r.name, r.below-1, r.of, get(r.name))
		}
		*r.dst = n
	}
	if c.TrustedProxies, err = prefixes(get("TRUSTED_PROXIES")); err != nil {
		return nil, fmt.Errorf("TRUSTED_PROXIES: %w", err)
	}
	switch role := get("ANONYMOUS_ROLE"); role {
	case "none":
	case "anonymous", "analyst":
		c.AnonymousRole, _ = reqctx.ParseRole(role)
	default:
		return nil, fmt.Errorf("ANONYMOUS_ROLE: want none, anonymous or analyst, got %q", role)
	}
	rule, ok := reqctx.ParseIntrospection(get("INTROSPECTION"))
	if !ok {
		return nil, fmt.Errorf("INTROSPECTION: want readers, analysts or none, got %q", get("INTROSPECTION"))
	}
	c.Introspection = rule
	switch addr := get("METRICS_ADDR"); addr {
	case "off":
	case "api":
		c.MetricsOnAPI = true
	default:
		if c.MetricsAddr, err = listenAddr(addr); err != nil {
			return nil, fmt.Errorf("METRICS_ADDR: %w, api or off", err)
		}
		if c.MetricsAddr == c.ListenAddr {
			return nil, fmt.Errorf("METRICS_ADDR: %s is LISTEN_ADDR; use api to serve the metrics on the API's port", addr)
		}
	}
	if c.MetricsMaxOperations, err = strconv.Atoi(get("METRICS_MAX_OPERATIONS")); err != nil || c.MetricsMaxOperations < 1 || c.MetricsMaxOperations > 10_000 {
		return nil, fmt.Errorf("METRICS_MAX_OPERATIONS: want a whole number from 1 to 10000, got %q", get("METRICS_MAX_OPERATIONS"))
	}
	if raw := get("OTEL_EXPORTER_OTLP_ENDPOINT"); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_ENDPOINT: want an http or https URL such as http://127.0.0.1:4318, got %q", raw)
		}
		c.OTLPEndpoint = raw
	}
	if c.TraceSampleRatio, err = strconv.ParseFloat(get("TRACE_SAMPLE_RATIO"), 64); err != nil || c.TraceSampleRatio <= 0 || c.TraceSampleRatio > 1 {
		return nil, fmt.Errorf("TRACE_SAMPLE_RATIO: want a number above 0 and at most 1, got %q", get("TRACE_SAMPLE_RATIO"))
	}
	if c.SlowRequest, err = time.ParseDuration(get("SLOW_REQUEST_THRESHOLD")); err != nil || c.SlowRequest < 0 {
		return nil, fmt.Errorf("SLOW_REQUEST_THRESHOLD: want a duration such as 500ms or 2s (0: off), got %q", get("SLOW_REQUEST_THRESHOLD"))
	}
	if c.ExplainSlow, err = strconv.ParseBool(get("DEBUG_EXPLAIN_SLOW")); err != nil {
		return nil, fmt.Errorf("DEBUG_EXPLAIN_SLOW: want true or false, got %q", get("DEBUG_EXPLAIN_SLOW"))
	}
	if c.GCPercent, err = gcPercent(get("GOGC")); err != nil {
		return nil, fmt.Errorf("GOGC: %w", err)
	}
	if c.MemoryLimit, err = memoryLimit(get("GOMEMLIMIT")); err != nil {
		return nil, fmt.Errorf("GOMEMLIMIT: %w", err)
	}
	c.APIKeysFile = get("API_KEYS_FILE")
	switch approver := get("CURATION_APPROVER"); approver {
	case "admin", "editor":
		c.CurationApprover, _ = reqctx.ParseRole(approver)
	default:
		return nil, fmt.Errorf("CURATION_APPROVER: want admin or editor, got %q", approver)
	}
	c.MutationAllowlist = get("MUTATION_ALLOWLIST_FILE")
	if c.Neo4jDatabase == "" || strings.ContainsAny(c.Neo4jDatabase, " `") {
		return nil, fmt.Errorf("NEO4J_DATABASE: %q is not a database name", c.Neo4jDatabase)
	}
	return c, nil
}

// gcPercent reads GOGC as the Go runtime does: a percentage (a 32-bit integer; 0 collects all
// the time), or off (-1, as any negative value). Where the runtime quietly falls back to 100 on a
// malformed value, the server refuses it.
func gcPercent(raw string) (int, error) {
	if raw == "off" {
		return -1, nil
	}
	n, err := strconv.ParseInt(raw, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("want a percentage (400: a collection each time the heap grows by four times what it keeps) or off, got %q", raw)
	}
	return int(max(n, -1)), nil
}

// memoryLimit reads GOMEMLIMIT as the Go runtime does: bytes, with an optional unit (B, KiB,
// MiB, GiB, TiB), or off (no limit: math.MaxInt64).
func memoryLimit(raw string) (int64, error) {
	if raw == "off" {
		return math.MaxInt64, nil
	}
	number, unit := raw, int64(1)
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(raw, u.suffix) {
			number, unit = strings.TrimSuffix(raw, u.suffix), u.size
			break
		}
	}
	n, err := strconv.ParseInt(number, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/unit {
		return 0, fmt.Errorf("want a size such as 512MiB or 2GiB (a whole number with B, KiB, MiB, GiB or TiB, or bytes) or off, got %q", raw)
	}
	return n * unit, nil
}

func neo4jURI(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%q is not a URI", raw)
	}
	switch u.Scheme {
	case "bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc":
	default:
		return "", fmt.Errorf("scheme %q is not supported; use bolt://host:7687 or neo4j://host:7687", u.Scheme)
	}
	if u.Host == "" {
		return "", fmt.Errorf("%q has no host", raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("put the user and password in NEO4J_USER and NEO4J_PASSWORD, not in the URI")
	}
	return raw, nil
}

func listenAddr(raw string) (string, error) {
	host, port, err := net.SplitHostPort(raw)
	if err != nil {
		return "", fmt.Errorf("want host:port such as 127.0.0.1:8080, got %q", raw)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return net.JoinHostPort(host, port), nil
}

func origins(raw string) ([]string, error) {
	if raw == "" {
		return nil, nil
	}
	var out []string
	for _, o := range strings.Split(raw, ",") {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if o == "*" {
			return nil, fmt.Errorf("\"*\" is not allowed; list the exact origins, e.g. https://app.example.org")
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("%q is not an origin; want scheme://host[:port], e.g. https://app.example.org", o)
		}
		out = append(out, u.Scheme+"://"+u.Host)
	}
	return out, nil
}

func prefixes(raw string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range strings.Split(raw, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			a, err := netip.ParseAddr(p)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or a CIDR such as 10.0.0.0/8", p)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		pre, err := netip.ParsePrefix(p)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8 or fd00::/8", p)
		}
		out = append(out, pre.Masked())
	}
	return out, nil
}

func positiveDuration(raw string) (time.Duration, error) {
	d, err := time.ParseDuration(raw)
	if err != nil {
		return 0, fmt.Errorf("want a duration such as 10s or 1m30s, got %q", raw)
	}
	if d <= 0 {
		return 0, fmt.Errorf("must be positive, got %q", raw)
	}
	return d, nil
}

// publicBaseURL checks the base of IRIs: an absolute http or https URL with a host and no path,
// query or fragment (a trailing slash is dropped).
func publicBaseURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSuffix(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("want an http or https URL such as https://graph.example.org, got %q", s)
	}
	return u.Scheme + "://" + u.Host, nil
}
