package config

import (
	"fmt"
	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"math"

	"log/slog"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Load(envOf(map[string]string{"NEO4J_PASSWORD": "secret"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Neo4jURI != "bolt://127.0.0.1:7687" || c.Neo4jUser != "neo4j" || c.Neo4jDatabase != "neo4j" ||
		c.ListenAddr != "127.0.0.1:8080" || len(c.AllowedOrigins) != 0 || c.LogLevel != slog.LevelInfo ||
		c.LogFormat != "json" || c.RequestTimeout != 10*time.Second || c.ShutdownGrace != 15*time.Second || !c.MigrateOnStart ||
		c.Limits != limits.Defaults || c.MaxQueryTokens != 15000 || c.APIKeysFile != "" || c.AnonymousRole != reqctx.RoleAnonymous ||
		c.RateBurst != 100_000 || c.RatePerSecond != 1000 || c.MaxConcurrent != 8 || c.MaxInFlight != 32 || c.ReservedForKeys != 8 ||
		c.MaxScans != 2 || c.ScansReserved != 1 || c.MaxAnalysisRows != 250_000 || len(c.TrustedProxies) != 0 || c.AnonymousStatements != 8 ||
		c.MaxAnalyses != 4 || c.AnalysesReserved != 2 || c.Introspection != reqctx.IntrospectionReaders || c.RedisURL != "" ||
		c.GCPercent != 400 || c.MemoryLimit != 1<<30 {
		t.Errorf("defaults = %+v", c)
	}
	// As shipped, every role that may read may introspect: anonymous callers and readers too.
	for _, role := range []reqctx.Role{c.AnonymousRole, reqctx.RoleReader, reqctx.RoleAnalyst, reqctx.RoleAdmin} {
		if !c.Introspection.Allows(role) {
			t.Errorf("the default INTROSPECTION refuses the role %s", role)
		}
	}
	// The defaults of the limits package and of the documented variables are one and the same.
	if limits.Defaults != (limits.Limits{MaxCost: 50_000, MaxDepth: 15, MaxAliases: 30, MaxRootFields: 20, MaxDirectives: 20, MaxFields: 250,
		MaxFilterDepth: 4, MaxFilterConditions: 40, MaxFilterRows: 200_000, MaxListItems: 1000, MaxStringBytes: 8192}) {
		t.Errorf("limits.Defaults = %+v", limits.Defaults)
	}
}

func TestValues(t *testing.T) {
	c, err := Load(envOf(map[string]string{
		"NEO4J_URI": "neo4j+s://db.example.org:7687", "NEO4J_USER": "api", "NEO4J_PASSWORD": "p",
		"NEO4J_DATABASE": "graph", "LISTEN_ADDR": "0.0.0.0:9000",
		"CORS_ALLOWED_ORIGINS": "https://app.example.org, http://localhost:5173/",
		"LOG_LEVEL":            "debug", "LOG_FORMAT": "text", "REQUEST_TIMEOUT": "3s", "SHUTDOWN_TIMEOUT": "1m",
		"MIGRATE_ON_START": "false", "MAX_QUERY_COST": "5000", "MAX_QUERY_DEPTH": "8", "MAX_QUERY_ALIASES": "3",
		"MAX_QUERY_ROOT_FIELDS": "4", "MAX_QUERY_DIRECTIVES": "5", "MAX_QUERY_TOKENS": "600",
		"API_KEYS_FILE": "/etc/keys.csv", "ANONYMOUS_ROLE": "none", "RATE_LIMIT_BURST": "50", "RATE_LIMIT_PER_SECOND": "5",
		"MAX_CONCURRENT_PER_CLIENT": "2", "MAX_FILTER_DEPTH": "2", "MAX_FILTER_CONDITIONS": "7", "MAX_FILTER_ROWS": "13", "MAX_QUERY_FIELDS": "17", "MAX_INPUT_LIST_ITEMS": "9",
		"MAX_INPUT_STRING_BYTES": "11", "MAX_IN_FLIGHT": "10", "IN_FLIGHT_RESERVED_FOR_KEYS": "0", "MAX_SCANS_IN_FLIGHT": "3",
		"SCANS_RESERVED_FOR_KEYS": "2", "MAX_ANALYSIS_ROWS": "1000", "ANONYMOUS_STATEMENTS_IN_FLIGHT": "3", "TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7, fd00::/8",
		"INTROSPECTION": "analysts", "GOGC": "150", "GOMEMLIMIT": "300MiB",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.AllowedOrigins, " "); got != "https://app.example.org http://localhost:5173" {
		t.Errorf("origins = %q", got)
	}
	if c.Neo4jURI != "neo4j+s://db.example.org:7687" || c.Neo4jDatabase != "graph" || c.ListenAddr != "0.0.0.0:9000" ||
		c.LogLevel != slog.LevelDebug || c.RequestTimeout != 3*time.Second || c.ShutdownGrace != time.Minute || c.MigrateOnStart ||
		c.Limits != (limits.Limits{MaxCost: 5000, MaxDepth: 8, MaxAliases: 3, MaxRootFields: 4, MaxDirectives: 5, MaxFields: 17,
			MaxFilterDepth: 2, MaxFilterConditions: 7, MaxFilterRows: 13, MaxListItems: 9, MaxStringBytes: 11}) || c.MaxQueryTokens != 600 ||
		c.APIKeysFile != "/etc/keys.csv" || c.AnonymousRole != 0 || c.RateBurst != 50 || c.RatePerSecond != 5 || c.MaxConcurrent != 2 ||
		c.MaxInFlight != 10 || c.ReservedForKeys != 0 || c.MaxScans != 3 || c.ScansReserved != 2 || c.MaxAnalysisRows != 1000 || c.AnonymousStatements != 3 ||
		c.Introspection != reqctx.IntrospectionAnalysts || c.GCPercent != 150 || c.MemoryLimit != 300<<20 {
		t.Errorf("config = %+v", c)
	}
	if got := fmt.Sprint(c.TrustedProxies); got != "[10.0.0.0/8 192.0.2.7/32 fd00::/8]" {
		t.Errorf("trusted proxies = %s", got)
	}
}

func TestErrorsNameTheVariable(t *testing.T) {
	cases := map[string]map[string]string{
		"NEO4J_PASSWORD":              {},
		"NEO4J_URI":                   {"NEO4J_URI": "http://localhost:7474"},
		"LISTEN_ADDR":                 {"LISTEN_ADDR": "8080"},
		"CORS_ALLOWED_ORIGINS":        {"CORS_ALLOWED_ORIGINS": "*"},
		"LOG_LEVEL":                   {"LOG_LEVEL": "loud"},
		"LOG_FORMAT":                  {"LOG_FORMAT": "xml"},
		"REQUEST_TIMEOUT":             {"REQUEST_TIMEOUT": "-1s"},
		"SHUTDOWN_TIMEOUT":            {"SHUTDOWN_TIMEOUT": "soon"},
		"MIGRATE_ON_START":            {"MIGRATE_ON_START": "perhaps"},
		"NEO4J_DATABASE":              {"NEO4J_DATABASE": "my db"},
		"REDIS_URL":                   {"REDIS_URL": "http://cache.example.org:6379"},
		"MAX_QUERY_COST":              {"MAX_QUERY_COST": "0"},
		"MAX_QUERY_DEPTH":             {"MAX_QUERY_DEPTH": "deep"},
		"MAX_QUERY_TOKENS":            {"MAX_QUERY_TOKENS": "-3"},
		"ANONYMOUS_ROLE":              {"ANONYMOUS_ROLE": "admin"},
		"RATE_LIMIT_BURST":            {"RATE_LIMIT_BURST": "lots"},
		"MAX_FILTER_DEPTH":            {"MAX_FILTER_DEPTH": "0"},
		"MAX_IN_FLIGHT":               {"MAX_IN_FLIGHT": "50"},
		"IN_FLIGHT_RESERVED_FOR_KEYS": {"IN_FLIGHT_RESERVED_FOR_KEYS": "32"},
		"SCANS_RESERVED_FOR_KEYS":     {"SCANS_RESERVED_FOR_KEYS": "-1"},
		"TRUSTED_PROXIES":             {"TRUSTED_PROXIES": "10.0.0.0/33"},
		"INTROSPECTION":               {"INTROSPECTION": "everyone"},
		"GOGC":                        {"GOGC": "often"},
		"GOMEMLIMIT":                  {"GOMEMLIMIT": "2GB"},
	}
	for variable, env := range cases {
		if variable != "NEO4J_PASSWORD" {
			env["NEO4J_PASSWORD"] = "p"
		}
		_, err := Load(envOf(env))
		if err == nil || !strings.HasPrefix(err.Error(), variable+":") {
			t.Errorf("%s: want an error starting with the variable's name, got %v", variable, err)
		}
	}
}

// TestGarbageCollectionSettingsReadAsTheGoRuntimeReadsThem: GOGC and GOMEMLIMIT take the runtime's
// own forms (off, negative percentages as off, 0, 32-bit percentages), and refuse what it would
// not take (for GOGC, what it would quietly replace by 100).
func TestGarbageCollectionSettingsReadAsTheGoRuntimeReadsThem(t *testing.T) {
	for raw, want := range map[string]int{"off": -1, "-20": -1, "0": 0, "100": 100, "1": 1, "2147483647": 2147483647} {
		if got, err := gcPercent(raw); err != nil || got != want {
			t.Errorf("GOGC=%s: got %d, %v; want %d", raw, got, err, want)
		}
	}
	for _, bad := range []string{"OFF", "fast", "4.5", "", "2147483648", "4294967296"} {
		if _, err := gcPercent(bad); err == nil {
			t.Errorf("GOGC=%q: taken", bad)
		}
	}
	for raw, want := range map[string]int64{"off": math.MaxInt64, "1GiB": 1 << 30, "512MiB": 512 << 20, "64KiB": 64 << 10,
		"2TiB": 2 << 40, "100B": 100, "12345": 12345, "0": 0, "0MiB": 0} {
		if got, err := memoryLimit(raw); err != nil || got != want {
			t.Errorf("GOMEMLIMIT=%s: got %d, %v; want %d", raw, got, err, want)
		}
	}
	for _, bad := range []string{"1GB", "1.5GiB", "GiB", "-1MiB", "Off", "9999999TiB", ""} {
		if _, err := memoryLimit(bad); err == nil {
			t.Errorf("GOMEMLIMIT=%q: taken", bad)
		}
	}
}

func TestOriginMustBeExact(t *testing.T) {
	for _, bad := range []string{"app.example.org", "https://app.example.org/path", "ftp://x.org", "https://user@x.org"} {
		if _, err := Load(envOf(map[string]string{"NEO4J_PASSWORD": "p", "CORS_ALLOWED_ORIGINS": bad})); err == nil {
			t.Errorf("origin %q accepted", bad)
		}
	}
}

func TestURIMustNotCarryCredentials(t *testing.T) {
	_, err := Load(envOf(map[string]string{"NEO4J_PASSWORD": "p", "NEO4J_URI": "bolt://neo4j:secret@localhost:7687"}))
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("want an error that does not repeat the password, got %v", err)
	}
}

func TestIntrospectionRules(t *testing.T) {
	for _, c := range []struct {
		value string
		roles string
	}{
		{"readers", "anonymous reader analyst editor admin"},
		{"analysts", "analyst editor admin"},
		{"none", ""},
	} {
		cfg, err := Load(envOf(map[string]string{"NEO4J_PASSWORD": "p", "INTROSPECTION": c.value}))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(cfg.Introspection.Roles(), " "); got != c.roles || cfg.Introspection.String() != c.value {
			t.Errorf("INTROSPECTION=%s lets %q introspect, want %q", c.value, got, c.roles)
		}
	}
}

func TestCurationSettings(t *testing.T) {
	c, err := Load(envOf(map[string]string{"NEO4J_PASSWORD": "secret"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.CurationApprover != reqctx.RoleAdmin || c.MutationAllowlist != "" {
		t.Errorf("curation defaults: approver %s, allowlist %q", c.CurationApprover, c.MutationAllowlist)
	}
	c, err = Load(envOf(map[string]string{"NEO4J_PASSWORD": "secret", "CURATION_APPROVER": "editor", "MUTATION_ALLOWLIST_FILE": "/etc/allow"}))
	if err != nil || c.CurationApprover != reqctx.RoleEditor || c.MutationAllowlist != "/etc/allow" {
		t.Errorf("CURATION_APPROVER=editor: %v %+v", err, c)
	}
	if _, err := Load(envOf(map[string]string{"NEO4J_PASSWORD": "secret", "CURATION_APPROVER": "reader"})); err == nil || !strings.Contains(err.Error(), "CURATION_APPROVER") {
		t.Errorf("CURATION_APPROVER=reader: %v", err)
	}
}

func TestTelemetryDefaults(t *testing.T) {
	c, err := Load(envOf(map[string]string{"NEO4J_PASSWORD": "p"}))
	if err != nil {
		t.Fatal(err)
	}
	// As shipped: metrics on a loopback listener of their own (not public), no tracing, slow
	// requests logged past a second, no EXPLAIN.
	if c.MetricsAddr != "127.0.0.1:9464" || c.MetricsOnAPI || c.MetricsMaxOperations != 100 || c.OTLPEndpoint != "" ||
		c.TraceSampleRatio != 1 || c.SlowRequest != time.Second || c.ExplainSlow {
		t.Errorf("telemetry defaults = %+v", c)
	}
	if host, _, _ := strings.Cut(c.MetricsAddr, ":"); host != "127.0.0.1" {
		t.Errorf("metrics listen on %s by default, want loopback", c.MetricsAddr)
	}
}

func TestTelemetryValues(t *testing.T) {
	c, err := Load(envOf(map[string]string{"NEO4J_PASSWORD": "p", "METRICS_ADDR": "api", "METRICS_MAX_OPERATIONS": "7",
		"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "TRACE_SAMPLE_RATIO": "0.25", "SLOW_REQUEST_THRESHOLD": "0",
		"DEBUG_EXPLAIN_SLOW": "true"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddr != "" || !c.MetricsOnAPI || c.MetricsMaxOperations != 7 || c.OTLPEndpoint != "http://127.0.0.1:4318" ||
		c.TraceSampleRatio != 0.25 || c.SlowRequest != 0 || !c.ExplainSlow {
		t.Errorf("telemetry = %+v", c)
	}
	if c, err = Load(envOf(map[string]string{"NEO4J_PASSWORD": "p", "METRICS_ADDR": "off"})); err != nil || c.MetricsAddr != "" || c.MetricsOnAPI {
		t.Errorf("METRICS_ADDR=off: %+v, %v", c, err)
	}
	for variable, value := range map[string]string{"METRICS_ADDR": "9464", "METRICS_MAX_OPERATIONS": "0",
		"OTEL_EXPORTER_OTLP_ENDPOINT": "127.0.0.1:4318", "TRACE_SAMPLE_RATIO": "2", "SLOW_REQUEST_THRESHOLD": "-1s",
		"DEBUG_EXPLAIN_SLOW": "maybe"} {
		_, err := Load(envOf(map[string]string{"NEO4J_PASSWORD": "p", variable: value}))
		if err == nil || !strings.HasPrefix(err.Error(), variable+":") {
			t.Errorf("%s=%s: want an error naming the variable, got %v", variable, value, err)
		}
	}
	if _, err := Load(envOf(map[string]string{"NEO4J_PASSWORD": "p", "METRICS_ADDR": "127.0.0.1:8080"})); err == nil {
		t.Error("METRICS_ADDR equal to LISTEN_ADDR accepted")
	}
}
