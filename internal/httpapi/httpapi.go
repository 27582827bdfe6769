// Package httpapi assembles the HTTP surface of the API: routes (GraphQL, GraphiQL, health),
// request ids, access logs, body limits, transport rules against CSRF, API keys, concurrency
// caps, request deadlines and the CORS allowlist.
package httpapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rs/cors"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/auth"
	"github.com/partnership-graph/partnership-graph/internal/explorer"
	"github.com/partnership-graph/partnership-graph/internal/playground"
	"github.com/partnership-graph/partnership-graph/internal/ratelimit"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/telemetry"
)

// MaxBodyBytes bounds a request body; a larger one is answered with 413.
const MaxBodyBytes = 1 << 20

// Options are the parts and settings the router needs.
type Options struct {
	GraphQL        http.Handler
	Ready          func(ctx context.Context) error
	AllowedOrigins []string
	RequestTimeout time.Duration
	Logger         *slog.Logger
	// Keys are the API keys; Anonymous is the role of requests without one (0: refused).
	Keys      auth.Keys
	Anonymous reqctx.Role
	// Limiter caps requests in flight per caller and overall and charges each request at least
	// one point (the GraphQL layer charges the rest of its cost); nil: none.
	Limiter *ratelimit.Limiter
	// TrustedProxies are the proxies whose X-Forwarded-For names the client; none: the client is
	// the peer address.
	TrustedProxies []netip.Prefix
	// Exports are the bulk exports and node IRIs; nil: none.
	Exports *Exports
	// Telemetry measures every request (metrics, the request's span, the slow-query log); nil:
	// none.
	Telemetry *telemetry.Telemetry
	// MetricsOnAPI serves the telemetry's /metrics on this router too (METRICS_ADDR=api).
	MetricsOnAPI bool
	// SharedState, when the instances share a store (REDIS_URL), tells /readyz whether it is
	// away (the reason) or not (""); nil: the state is this instance's own.
	SharedState interface{ Degraded() string }
}

// NewRouter returns the server's root handler.
func NewRouter(o Options) http.Handler {
	mux := http.NewServeMux()
	identify := auth.Options{Keys: o.Keys, Anonymous: o.Anonymous, Refuse: writeError, TrustedProxies: o.TrustedProxies}
	mux.Handle("/graphql", limitBody(transportRules(withBookmarks(auth.Middleware(identify, admission(o.Limiter, answerRefusal(o.GraphQL)))))))
	exportRoutes(mux, o, func(next http.Handler) http.Handler { return auth.Middleware(identify, next) })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := o.Ready(ctx); err != nil {
			o.Logger.WarnContext(ctx, "not ready", "request_id", reqctx.RequestID(ctx), "error", err.Error())
			state := "unreachable"
			if apperr.CodeOf(err) == apperr.Misconfigured {
				state = "authentication failed" // an operator's fix, not an outage
			}
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "neo4j": state})
			return
		}
		writeJSON(w, http.StatusOK, readiness(o.SharedState))
	})
	explore := explorer.Handler()
	mux.Handle("/explore", explore)
	mux.Handle("/explore/", explore)
	if o.MetricsOnAPI && o.Telemetry != nil {
		mux.Handle("GET /metrics", o.Telemetry.Metrics.Handler())
	}
	mux.Handle("/", playground.Handler())

	corsOptions := cors.Options{
		AllowedOrigins:   o.AllowedOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   []string{"Content-Type", "Authorization", "X-API-Key", "X-Request-Id", "X-Requested-With", "Apollo-Require-Preflight", BookmarkHeader},
		ExposedHeaders:   []string{"X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After", BookmarkHeader},
		AllowCredentials: false,
		MaxAge:           600,
	}
	if len(o.AllowedOrigins) == 0 {
		// rs/cors allows every origin when its list is empty; no list means no origin here.
		corsOptions.AllowOriginFunc = func(string) bool { return false }
	}
	c := cors.New(corsOptions)
	return o.Telemetry.Middleware(withRequestID(accessLog(o.Logger, withDeadline(o.RequestTimeout, o.Exports, c.Handler(mux)))))
}

// writeError answers a request refused before GraphQL with a GraphQL-shaped error.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	telemetry.NoteError(r.Context(), code)
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{
		"message":    message,
		"extensions": map[string]string{"code": code, "requestId": reqctx.RequestID(r.Context())},
	}}})
}

// transportRules keep browsers from sending GraphQL on a user's behalf (CSRF): a POST must carry
// a JSON body (a form or multipart post, which any page can send, is refused with 415); a GET
// must carry a header that forces a CORS preflight; a batch (a JSON array of operations) is
// refused. GET only runs queries (the GET transport refuses mutations).
func transportRules(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "application/json" {
				writeError(w, r, http.StatusUnsupportedMediaType, "BAD_USER_INPUT", "POST a JSON body with Content-Type: application/json")
				return
			}
			body, err := io.ReadAll(r.Body)
			if err != nil {
				writeError(w, r, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT", "request body is larger than 1 MiB")
				return
			}
			if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '[' {
				writeError(w, r, http.StatusBadRequest, "BAD_USER_INPUT", "batched operations are not supported: send one operation per request")
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		case http.MethodGet:
			if !forcesPreflight(r.Header) {
				writeError(w, r, http.StatusBadRequest, "BAD_USER_INPUT",
					"a GET request needs a header that browsers only send after a CORS preflight, such as X-Requested-With: XMLHttpRequest or an API key; or use POST")
				return
			}
		case http.MethodOptions:
		default:
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			writeError(w, r, http.StatusMethodNotAllowed, "BAD_USER_INPUT", "use POST (or GET for queries)")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// forcesPreflight tells whether a request carries a header that no cross-site page can send
// without a CORS preflight.
func forcesPreflight(h http.Header) bool {
	for _, name := range []string{"X-Requested-With", "Apollo-Require-Preflight", "Authorization", "X-API-Key"} {
		if h.Get(name) != "" {
			return true
		}
	}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "application/json"
}

// admission lets a request in when its caller has fewer than its maximum in flight (429
// RATE_LIMITED otherwise), the API fewer than its overall maximum, with room kept for callers
// with a key (503 SERVICE_UNAVAILABLE otherwise), and the caller's budget holds at least one
// point, which every request costs, refused or not (429).
func admission(l *ratelimit.Limiter, next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := reqctx.CallerOf(r.Context())
		release, why := l.Enter(r.Context(), c.Client, !c.Keyed)
		defer release()
		switch why {
		case ratelimit.ClientBusy:
			w.Header().Set("Retry-After", "1")
			writeError(w, r, http.StatusTooManyRequests, "RATE_LIMITED", "too many requests in flight for this client; wait for one to finish")
			return
		case ratelimit.Overloaded:
			w.Header().Set("Retry-After", "1")
			writeError(w, r, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", "the API is answering as many requests as it can; retry in a second")
			return
		}
		if ok, b := l.Take(r.Context(), c.Client, 1); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(b.RetryAfter.Seconds()))))
			writeError(w, r, http.StatusTooManyRequests, "RATE_LIMITED",
				fmt.Sprintf("rate limit: the budget of %d points is spent; retry in %d s", b.Limit, max(1, int(b.RetryAfter.Seconds()))))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// answerRefusal turns the status of a response into 429 or 503, with Retry-After, when the
// GraphQL layer refused the operation for its cost or for the scans cap (reqctx.Caller.Refused).
func answerRefusal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&refusalWriter{ResponseWriter: w, caller: reqctx.CallerOf(r.Context())}, r)
	})
}

type refusalWriter struct {
	http.ResponseWriter
	caller      *reqctx.Caller
	wroteHeader bool
}

func (l *refusalWriter) WriteHeader(code int) {
	if !l.wroteHeader && l.caller != nil {
		if status, retry := l.caller.Refused(); status != 0 {
			l.Header().Set("Retry-After", strconv.Itoa(max(1, int(retry.Seconds()))))
			code = status
		}
	}
	l.wroteHeader = true
	l.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (flushes, write deadlines of exports).
func (l *refusalWriter) Unwrap() http.ResponseWriter { return l.ResponseWriter }

func (l *refusalWriter) Write(b []byte) (int, error) {
	if !l.wroteHeader {
		l.WriteHeader(http.StatusOK)
	}
	return l.ResponseWriter.Write(b)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// limitBody answers 413 when a body is longer than MaxBodyBytes, before any of it is parsed.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxBodyBytes {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"errors": []map[string]any{{
				"message":    "request body is larger than 1 MiB",
				"extensions": map[string]string{"code": "BAD_USER_INPUT", "requestId": reqctx.RequestID(r.Context())},
			}}})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// withDeadline gives every request a deadline, which flows down to the Neo4j driver; bulk
// exports get their own, longer one.
func withDeadline(d time.Duration, exports *Exports, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if exports != nil && strings.HasPrefix(r.URL.Path, "/export/") {
			d := exports.Timeout
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// safeRequestID accepts a caller's X-Request-Id only when it cannot garble a log line.
var safeRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequestID gives the request its id: the caller's X-Request-Id when it is safe to log,
// else the trace id of the request's span (the caller's traceparent, or a new trace), so logs,
// errors and traces share one id.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !safeRequestID.MatchString(id) {
			if id = telemetry.RequestID(r.Context()); id == "" {
				var b [16]byte // the size of a trace id, when no telemetry runs
				_, _ = rand.Read(b[:])
				id = hex.EncodeToString(b[:])
			}
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(reqctx.WithRequestID(r.Context(), id)))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (flushes, write deadlines of exports).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		// The caller is filled in by the auth middleware of the routes that need one.
		caller := &reqctx.Caller{}
		next.ServeHTTP(rec, r.WithContext(reqctx.WithCaller(r.Context(), caller)))
		attrs := []any{"request_id", reqctx.RequestID(r.Context()),
			"method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "duration_ms", float64(time.Since(start).Microseconds()) / 1000}
		if caller.Client != "" {
			attrs = append(attrs, "client", caller.Client, "role", caller.Role.String(), "cost", caller.Cost())
			telemetry.NoteCost(r.Context(), caller.Cost())
		}
		log.InfoContext(r.Context(), "request", attrs...)
	})
}
