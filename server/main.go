// Command server runs the Partnership Graph GraphQL API: configuration from the environment,
// structured logs, one Neo4j driver, the GraphQL handler, and an HTTP server that shuts down
// gracefully on SIGINT and SIGTERM.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/auth"
	"github.com/partnership-graph/partnership-graph/internal/config"
	"github.com/partnership-graph/partnership-graph/internal/export"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/ratelimit"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/telemetry"
)

// applyGarbageCollection sets the Go runtime's garbage collection as configured (GOGC and
// GOMEMLIMIT, with the server's own defaults when they are not set).
func applyGarbageCollection(cfg *config.Config) {
	debug.SetGCPercent(cfg.GCPercent)
	debug.SetMemoryLimit(cfg.MemoryLimit)
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		os.Exit(healthcheck(os.Getenv, os.Stderr))
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	log := newLogger(cfg)
	slog.SetDefault(log)
	applyGarbageCollection(cfg)

	driver, err := store.NewDriver(store.DriverOptions{
		URI: cfg.Neo4jURI, User: cfg.Neo4jUser, Password: cfg.Neo4jPassword, RequestTimeout: cfg.RequestTimeout,
	})
	if err != nil {
		return err
	}
	tel, err := newTelemetry(cfg, log)
	if err != nil {
		return err
	}
	st := store.New(driver, cfg.Neo4jDatabase, store.WithMaxAnalysisRows(cfg.MaxAnalysisRows),
		store.WithAnonymousSessions(cfg.AnonymousStatements), store.WithInstrument(tel))
	defer st.Close()
	tel.Metrics.WatchStore(st)
	if cfg.ExplainSlow {
		tel.SetExplain(st.Explain)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tel.Shutdown(ctx); err != nil {
			log.Warn("exporting the last spans", "error", err.Error())
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if cfg.MigrateOnStart {
		migrateCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		applied, err := st.Migrate(migrateCtx)
		cancel()
		if err != nil {
			// The API still starts: /readyz reports Neo4j and queries answer SERVICE_UNAVAILABLE.
			log.Warn("schema migrations not applied; Neo4j unreachable?", "error", err.Error())
		} else {
			log.Info("schema migrations checked", "applied", applied)
		}
	}

	keys := auth.Keys{}
	var allowlist map[string]bool
	if cfg.MutationAllowlist != "" {
		text, err := os.ReadFile(cfg.MutationAllowlist)
		if err == nil {
			allowlist, err = graph.LoadMutationAllowlist(string(text))
		}
		if err != nil {
			return fmt.Errorf("MUTATION_ALLOWLIST_FILE %s: %w", cfg.MutationAllowlist, err)
		}
	}
	if cfg.APIKeysFile != "" {
		if keys, err = auth.LoadKeys(cfg.APIKeysFile); err != nil {
			return fmt.Errorf("API_KEYS_FILE: %w", err)
		}
	}
	// One store of shared state for limits, caches and idempotency keys: in memory for one
	// instance, Redis (falling back to memory for reads while it is away) with REDIS_URL.
	state, fallback, closeState, err := sharedstate.Open(cfg.RedisURL, map[string]int64{"apq": graph.DefaultPersistedQueryBytes}, log)
	if err != nil {
		return err
	}
	defer closeState()
	var sharedState interface{ Degraded() string }
	if fallback != nil {
		sharedState = fallback
		tel.Metrics.WatchSharedState(func() bool { return fallback.Degraded() != "" })
	}
	limiter := ratelimit.New(state, ratelimit.Policy{
		Burst: cfg.RateBurst, PerSecond: cfg.RatePerSecond, PerClient: cfg.MaxConcurrent,
		InFlight: cfg.MaxInFlight, Reserved: cfg.ReservedForKeys, Scans: cfg.MaxScans, ScansReserved: cfg.ScansReserved,
		Analyses: cfg.MaxAnalyses, AnalysesReserved: cfg.AnalysesReserved,
		SlotTTL: cfg.RequestTimeout + time.Minute,
	})
	router := httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(st, graph.Options{Version: version, Logger: log, Limits: &cfg.Limits,
			MaxTokens: cfg.MaxQueryTokens, RateLimiter: limiter, State: state, Introspection: cfg.Introspection,
			CurationApprover: cfg.CurationApprover, MutationAllowlist: allowlist, Telemetry: tel}),
		Telemetry:      tel,
		MetricsOnAPI:   cfg.MetricsOnAPI,
		SharedState:    sharedState,
		TrustedProxies: cfg.TrustedProxies,
		Ready:          st.Ping,
		AllowedOrigins: cfg.AllowedOrigins,
		RequestTimeout: cfg.RequestTimeout,
		Logger:         log,
		Keys:           keys,
		Anonymous:      cfg.AnonymousRole,
		Limiter:        limiter,
		Exports: &httpapi.Exports{Store: st, BaseURL: cfg.PublicBaseURL, Timeout: cfg.ExportTimeout,
			IATI: func(ctx context.Context, w io.Writer, st *store.Store, scope store.ExportScope) error {
				return export.WriteIATI(ctx, w, st, scope, export.IATIOptions{})
			}},
	})
	srv := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           router,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + 5*time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr, err)
	}
	log.Info("serving", "graphql", "http://"+ln.Addr().String()+"/graphql",
		"graphiql", "http://"+ln.Addr().String()+"/", "neo4j", cfg.Neo4jURI, "shared_state", sharedStateName(cfg.RedisURL), "version", version)

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	if cfg.MetricsAddr != "" {
		metricsLn, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("listen on METRICS_ADDR %s: %w", cfg.MetricsAddr, err)
		}
		metrics := &http.Server{Handler: metricsRouter(tel), ReadHeaderTimeout: 5 * time.Second,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		go func() { _ = metrics.Serve(metricsLn) }()
		defer metrics.Close()
		log.Info("serving metrics", "metrics", "http://"+metricsLn.Addr().String()+"/metrics")
	}

	select {
	case err := <-serveErr:
		_ = driver.Close(context.Background())
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", cfg.ShutdownGrace.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	shutdownErr := srv.Shutdown(shutdownCtx)
	// The driver closes last, after in-flight requests have finished with it.
	if err := driver.Close(shutdownCtx); err != nil {
		log.Warn("closing the Neo4j driver", "error", err.Error())
	}
	if shutdownErr != nil && !errors.Is(shutdownErr, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", shutdownErr)
	}
	log.Info("stopped")
	return nil
}

// sharedStateName says where the shared state is, for the start-up log (never the URL: it may
// hold a password).
func sharedStateName(redisURL string) string {
	if redisURL == "" {
		return "memory"
	}
	return "redis"
}

// newTelemetry builds the metrics, the tracer (exporting over OTLP/HTTP when
// OTEL_EXPORTER_OTLP_ENDPOINT is set) and the slow-request log.
func newTelemetry(cfg *config.Config, log *slog.Logger) (*telemetry.Telemetry, error) {
	opts := telemetry.Options{Version: version, SampleRatio: cfg.TraceSampleRatio, MaxOperations: cfg.MetricsMaxOperations,
		SlowRequest: cfg.SlowRequest, Logger: log}
	if cfg.OTLPEndpoint != "" {
		// The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and the other OTEL_EXPORTER_OTLP_*
		// variables) itself; it connects only when it sends.
		exp, err := otlptracehttp.New(context.Background())
		if err != nil {
			return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_ENDPOINT: %w", err)
		}
		opts.Exporter = exp
	}
	return telemetry.New(opts), nil
}

// metricsRouter serves /metrics alone, on the metrics listener.
func metricsRouter(tel *telemetry.Telemetry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", tel.Metrics.Handler())
	return mux
}

func newLogger(cfg *config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, opts))
}
