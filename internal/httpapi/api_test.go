package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/export"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

const allowedOrigin = "https://app.example.org"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newAPI loads the fixture dataset (testdata/fixture) into the test Neo4j and serves the full
// router over it.
func newAPI(t *testing.T) *httptest.Server {
	t.Helper()
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "internal/httpapi/testdata/fixture")
	return serve(t, st)
}

// testLimits let the fixture and golden queries ask for many aliased lists at once; the default
// limits are tested on their own (limits_test.go).
var testLimits = limits.Limits{MaxCost: 100_000, MaxDepth: 15, MaxAliases: 100, MaxRootFields: 100, MaxDirectives: 20}

func serve(t testing.TB, st *store.Store) *httptest.Server {
	t.Helper()
	return serveWith(t, st, testLimits)
}

// serveWith serves the full router over st with the given operation limits.
func serveWith(t testing.TB, st *store.Store, l limits.Limits) *httptest.Server {
	t.Helper()
	return serveExportsWithin(t, st, l, time.Minute)
}

// serveExportsWithin is serveWith with exportTimeout as the exports' deadline.
func serveExportsWithin(t testing.TB, st *store.Store, l limits.Limits, exportTimeout time.Duration) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL:        graph.NewHandler(st, graph.Options{Version: "test", Logger: quiet, Limits: &l}),
		Ready:          st.Ping,
		AllowedOrigins: []string{allowedOrigin},
		RequestTimeout: 10 * time.Second,
		Logger:         quiet,
		Anonymous:      reqctx.RoleAnalyst,
		Exports: &httpapi.Exports{Store: st, BaseURL: "http://127.0.0.1:8080", Timeout: exportTimeout,
			IATI: func(ctx context.Context, w io.Writer, st *store.Store, scope store.ExportScope) error {
				return export.WriteIATI(ctx, w, st, scope, export.IATIOptions{})
			}},
	}))
	t.Cleanup(srv.Close)
	return srv
}

type gqlResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Extensions map[string]any `json:"extensions"`
}

func post(t *testing.T, srv *httptest.Server, body any) (*http.Response, gqlResponse) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return resp, decode(t, resp)
}

func decode(t *testing.T, resp *http.Response) gqlResponse {
	t.Helper()
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("status %d, body is not JSON: %v\n%s", resp.StatusCode, err, raw)
	}
	return out
}

func query(t *testing.T, srv *httptest.Server, q string, vars map[string]any) gqlResponse {
	t.Helper()
	_, out := post(t, srv, map[string]any{"query": q, "variables": vars})
	return out
}

// dig walks a decoded JSON value by object keys and array indexes.
func dig(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %q: not an object: %v", k, v)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("at [%d]: not an array of that length: %v", k, v)
			}
			v = a[k]
		}
	}
	return v
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestErrorsCarryCodeAndRequestID(t *testing.T) {
	srv := newAPI(t)
	cases := []struct {
		name, query, code, message string
	}{
		{"first out of range", `{ countries(first: 0) { totalCount } }`, "BAD_USER_INPUT", "argument first must be from 1 to 100, got 0"},
		{"first too large", `{ projects(first: 101) { totalCount } }`, "BAD_USER_INPUT", "argument first must be from 1 to 100, got 101"},
		{"first missing", `{ countries { totalCount } }`, "BAD_USER_INPUT", "give first (to page forwards) or last (to page backwards), a number from 1 to 100"},
		{"bad country code", `{ country(code: "S1") { name } }`, "BAD_USER_INPUT", `argument code must be an ISO 3166-1 alpha-2 or alpha-3 code such as SN or SEN, got "S1"`},
		{"unknown field", `{ country(code: "SN") { capital } }`, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "capital" on type "Country".`},
		{"syntax", `{ country(code: "SN") { name }`, "GRAPHQL_PARSE_FAILED", ""},
		{"bad enum", `{ projects(first: 1, where: {status: [RUNNING]}) { totalCount } }`, "GRAPHQL_VALIDATION_FAILED", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := post(t, srv, map[string]any{"query": tc.query})
			if len(out.Errors) != 1 {
				t.Fatalf("want one error, got %+v", out.Errors)
			}
			e := out.Errors[0]
			if e.Extensions["code"] != tc.code {
				t.Errorf("code = %v, want %s (message %q)", e.Extensions["code"], tc.code, e.Message)
			}
			if tc.message != "" && e.Message != tc.message {
				t.Errorf("message = %q, want %q", e.Message, tc.message)
			}
			id := resp.Header.Get("X-Request-Id")
			if id == "" || e.Extensions["requestId"] != id {
				t.Errorf("requestId = %v, header X-Request-Id = %q", e.Extensions["requestId"], id)
			}
		})
	}
}

func TestDatabaseDownGivesServiceUnavailableAndNotReady(t *testing.T) {
	// A driver pointed at a port where nothing listens: the API still serves, /healthz stays up.
	d, err := store.NewDriver(store.DriverOptions{URI: "bolt://127.0.0.1:1", User: "neo4j", Password: "x", RequestTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(context.Background())
	srv := serve(t, store.New(d, "neo4j"))

	_, out := post(t, srv, map[string]any{"query": `{ regionalProcesses(first: 5) { totalCount } }`})
	if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "SERVICE_UNAVAILABLE" {
		t.Fatalf("want one SERVICE_UNAVAILABLE error, got %+v", out.Errors)
	}
	if strings.Contains(out.Errors[0].Message, "127.0.0.1") || strings.Contains(out.Errors[0].Message, "bolt") {
		t.Errorf("error message leaks the database address: %q", out.Errors[0].Message)
	}
	if resp := get(t, srv.URL+"/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz = %d, want 200", resp.StatusCode)
	}
	if resp := get(t, srv.URL+"/readyz", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d, want 503", resp.StatusCode)
	}
}

func get(t *testing.T, u string, header http.Header) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestHealthReadyAndGETTransport(t *testing.T) {
	srv := newAPI(t)
	if resp := get(t, srv.URL+"/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz = %d", resp.StatusCode)
	}
	resp := get(t, srv.URL+"/readyz", nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"reachable"`) {
		t.Errorf("/readyz = %d %s", resp.StatusCode, body)
	}
	out := decode(t, get(t, srv.URL+"/graphql?query="+url.QueryEscape(`{ country(code: "MA") { name } }`), http.Header{"X-Requested-With": {"XMLHttpRequest"}}))
	if got := mustJSON(out.Data); got != `{"country":{"name":"Morocco"}}` {
		t.Errorf("GET query = %s (errors %v)", got, out.Errors)
	}
}

func TestAutomaticPersistedQueries(t *testing.T) {
	srv := newAPI(t)
	q := `{ country(code: "DE") { name } }`
	sum := sha256.Sum256([]byte(q))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}

	_, out := post(t, srv, map[string]any{"extensions": ext})
	if len(out.Errors) != 1 || out.Errors[0].Message != "PersistedQueryNotFound" {
		t.Fatalf("unknown hash: want PersistedQueryNotFound, got %+v", out.Errors)
	}
	if out.Errors[0].Extensions["code"] == nil {
		t.Errorf("PersistedQueryNotFound has no code: %+v", out.Errors[0])
	}
	_, out = post(t, srv, map[string]any{"query": q, "extensions": ext})
	if mustJSON(out.Data) != `{"country":{"name":"Germany"}}` {
		t.Fatalf("registering query: %s %v", mustJSON(out.Data), out.Errors)
	}
	_, out = post(t, srv, map[string]any{"extensions": ext})
	if mustJSON(out.Data) != `{"country":{"name":"Germany"}}` {
		t.Errorf("by hash only: %s %v", mustJSON(out.Data), out.Errors)
	}
}

func TestCORSAllowlist(t *testing.T) {
	srv := newAPI(t)
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	ok := preflight(allowedOrigin)
	if got := ok.Header.Get("Access-Control-Allow-Origin"); got != allowedOrigin {
		t.Errorf("allowed origin: Access-Control-Allow-Origin = %q", got)
	}
	if !strings.Contains(strings.Join(ok.Header.Values("Vary"), ","), "Origin") {
		t.Errorf("allowed origin: Vary = %q, want Origin", ok.Header.Values("Vary"))
	}
	bad := preflight("https://evil.example.com")
	if got := bad.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("disallowed origin got Access-Control-Allow-Origin = %q", got)
	}
}

func TestBodyLimit(t *testing.T) {
	srv := newAPI(t)
	big := `{"query":"{ about { name } }","variables":{"pad":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}}`
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	out := decode(t, resp)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", resp.StatusCode)
	}
	if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("errors = %+v", out.Errors)
	}
	// The server is still healthy afterwards.
	if _, ok := post(t, srv, map[string]any{"query": `{ about { name } }`}); ok.Data["about"] == nil {
		t.Errorf("query after a too-large body failed: %+v", ok.Errors)
	}
}

func TestGraphiQLPageServedWithoutCDN(t *testing.T) {
	srv := newAPI(t)
	resp := get(t, srv.URL+"/", nil)
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
	if strings.Contains(string(page), "//") && strings.Contains(string(page), "https://") {
		t.Errorf("page refers to another origin:\n%s", page)
	}
	for _, asset := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js", "start.js", "page.css"} {
		if !strings.Contains(string(page), "/playground/"+asset) {
			t.Errorf("page does not load %s", asset)
		}
		r := get(t, srv.URL+"/playground/"+asset, nil)
		n, _ := io.Copy(io.Discard, r.Body)
		if r.StatusCode != http.StatusOK || n == 0 {
			t.Errorf("GET /playground/%s = %d, %d bytes", asset, r.StatusCode, n)
		}
	}
	// The example queries of the menu are written into the page as a JSON data block.
	if !strings.Contains(string(page), `<script id="pg-examples-data" type="application/json">[{"id":"country-page"`) {
		t.Errorf("page lacks the example queries:\n%s", page)
	}
	if r := get(t, srv.URL+"/playground/missing.js", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("missing asset = %d, want 404", r.StatusCode)
	}
}
