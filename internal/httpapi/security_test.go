package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/auth"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/ratelimit"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

const (
	readerKey  = "pg-reader-7c1f0e4d9a"
	analystKey = "pg-analyst-52b8e61f03"
	revokedKey = "pg-revoked-a9d3c7e210"
)

// testKeys writes a keys file with a reader, an analyst and a revoked key, and loads it as the
// server does.
func testKeys(t testing.TB) auth.Keys {
	t.Helper()
	file := filepath.Join(t.TempDir(), "keys.csv")
	content := "name,role,sha256,revoked\n" +
		"front-end,reader," + auth.Hash(readerKey) + ",false\n" +
		"analyst-1,analyst," + auth.Hash(analystKey) + ",false\n" +
		"old-script,reader," + auth.Hash(revokedKey) + ",true\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	keys, err := auth.LoadKeys(file)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// secureAPI serves the fixture with API keys, anonymous access refused, and a small budget.
func secureAPI(t *testing.T, anonymous reqctx.Role, burst, perSecond, concurrent int) *httptest.Server {
	t.Helper()
	return secureAPIWithLog(t, quiet, anonymous, burst, perSecond, concurrent)
}

func secureAPIWithLog(t *testing.T, log *slog.Logger, anonymous reqctx.Role, burst, perSecond, concurrent int) *httptest.Server {
	t.Helper()
	return secureAPIWithRule(t, log, anonymous, reqctx.IntrospectionReaders, burst, perSecond, concurrent)
}

// secureAPIWithRule is secureAPIWithLog under the given INTROSPECTION rule.
func secureAPIWithRule(t *testing.T, log *slog.Logger, anonymous reqctx.Role, rule reqctx.Introspection, burst, perSecond, concurrent int) *httptest.Server {
	t.Helper()
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "internal/httpapi/testdata/fixture")
	keys := testKeys(t)
	limiter := ratelimit.New(sharedstate.NewMemory(nil), ratelimit.Policy{Burst: burst, PerSecond: perSecond, PerClient: concurrent})
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(st, graph.Options{Version: "test", Logger: log, Limits: &limits.Defaults,
			RateLimiter: limiter, Introspection: rule}),
		Ready:          st.Ping,
		AllowedOrigins: []string{allowedOrigin},
		RequestTimeout: 10 * time.Second,
		Logger:         log,
		Keys:           keys,
		Anonymous:      anonymous,
		Limiter:        limiter,
	}))
	t.Cleanup(srv.Close)
	return srv
}

func send(t *testing.T, srv *httptest.Server, method, contentType, body string, header http.Header) (*http.Response, gqlResponse) {
	t.Helper()
	u := srv.URL + "/graphql"
	var req *http.Request
	if method == http.MethodGet {
		req, _ = http.NewRequest(method, u+"?query="+url.QueryEscape(body), nil)
	} else {
		req, _ = http.NewRequest(method, u, strings.NewReader(body))
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp, decode(t, resp)
}

func gql(q string) string {
	b, _ := json.Marshal(map[string]any{"query": q})
	return string(b)
}

func bearer(key string) http.Header { return http.Header{"Authorization": {"Bearer " + key}} }

func expectError(t *testing.T, resp *http.Response, out gqlResponse, status int, code string) {
	t.Helper()
	if resp.StatusCode != status || len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != code || out.Errors[0].Extensions["requestId"] == nil {
		t.Errorf("want %d %s, got %d %+v", status, code, resp.StatusCode, out.Errors)
	}
}

func TestTransportsRefuseWhatBrowsersCanForge(t *testing.T) {
	srv := secureAPI(t, reqctx.RoleAnonymous, 5000, 100, 8)
	q := `{ about { version } }`
	cases := []struct {
		name, method, contentType, body string
		header                          http.Header
		status                          int
		code                            string
	}{
		{"form post", http.MethodPost, "application/x-www-form-urlencoded", "query=" + url.QueryEscape(q), nil, 415, "BAD_USER_INPUT"},
		{"multipart post", http.MethodPost, "multipart/form-data; boundary=x", "--x\r\n\r\n" + q + "\r\n--x--", nil, 415, "BAD_USER_INPUT"},
		{"text post", http.MethodPost, "text/plain", gql(q), nil, 415, "BAD_USER_INPUT"},
		{"batch", http.MethodPost, "application/json", "[" + gql(q) + "," + gql(q) + "]", nil, 400, "BAD_USER_INPUT"},
		{"simple GET", http.MethodGet, "", q, nil, 400, "BAD_USER_INPUT"},
		{"PUT", http.MethodPut, "application/json", gql(q), nil, 405, "BAD_USER_INPUT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, out := send(t, srv, c.method, c.contentType, c.body, c.header)
			expectError(t, resp, out, c.status, c.code)
		})
	}
	// A mutation over GET is refused (the schema has no mutations at all, so also over POST).
	resp, out := send(t, srv, http.MethodGet, "", `mutation { about { version } }`, http.Header{"X-Requested-With": {"x"}})
	if resp.StatusCode == http.StatusOK && len(out.Errors) == 0 {
		t.Errorf("a mutation over GET ran: %d", resp.StatusCode)
	}
	// What is allowed works: JSON POST (with a charset), and GET with a preflight header.
	for _, h := range []http.Header{{"X-Requested-With": {"XMLHttpRequest"}}, {"Apollo-Require-Preflight": {"true"}}, bearer(readerKey)} {
		resp, out := send(t, srv, http.MethodGet, "", q, h)
		if resp.StatusCode != 200 || len(out.Errors) > 0 {
			t.Errorf("GET with %v: %d %+v", h, resp.StatusCode, out.Errors)
		}
	}
	resp, out = send(t, srv, http.MethodPost, "application/json; charset=utf-8", gql(q), nil)
	if resp.StatusCode != 200 || len(out.Errors) > 0 {
		t.Errorf("JSON POST: %d %+v", resp.StatusCode, out.Errors)
	}
}

func TestAPIKeysAndRoles(t *testing.T) {
	srv := secureAPI(t, 0, 5000, 100, 8)
	q := gql(`{ countries(first: 1) { totalCount } }`)
	introspection := gql(`{ __schema { queryType { name } } }`)

	resp, out := send(t, srv, http.MethodPost, "application/json", q, nil)
	expectError(t, resp, out, 401, "UNAUTHENTICATED")
	if resp.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	for _, key := range []string{"pg-unknown-000", revokedKey} {
		resp, out = send(t, srv, http.MethodPost, "application/json", q, bearer(key))
		expectError(t, resp, out, 401, "UNAUTHENTICATED")
		if strings.Contains(mustJSON(out.Errors), key) {
			t.Errorf("the key is echoed in the error: %v", out.Errors)
		}
	}
	// Under the default rule, a reader and an analyst both read, introspect and get suggestions.
	resp, out = send(t, srv, http.MethodPost, "application/json", q, bearer(readerKey))
	if resp.StatusCode != 200 || len(out.Errors) > 0 {
		t.Fatalf("reader: %d %+v", resp.StatusCode, out.Errors)
	}
	for _, key := range []string{readerKey, analystKey} {
		resp, out = send(t, srv, http.MethodPost, "application/json", introspection, bearer(key))
		if resp.StatusCode != 200 || len(out.Errors) > 0 || dig(t, out.Data, "__schema", "queryType", "name") != "Query" {
			t.Errorf("introspection with %s: %d %+v", key, resp.StatusCode, out.Errors)
		}
		_, out = send(t, srv, http.MethodPost, "application/json", gql(`{ countrie(code: "SN") { name } }`), http.Header{"X-Api-Key": {key}})
		if len(out.Errors) != 1 || !strings.Contains(out.Errors[0].Message, "Did you mean") {
			t.Errorf("%s got no suggestion: %+v", key, out.Errors)
		}
	}
	// Still healthy.
	if resp := get(t, srv.URL+"/healthz", nil); resp.StatusCode != 200 {
		t.Errorf("healthz %d", resp.StatusCode)
	}
}

func TestKeysFileErrorsNameLineAndField(t *testing.T) {
	dir := t.TempDir()
	for content, want := range map[string]string{
		"name,role\n": ":1: header",
		"name,role,sha256,revoked\nx,boss," + auth.Hash("k") + ",false\n":                                        `:2: field "role"`,
		"name,role,sha256,revoked\nx,reader,abc,false\n":                                                         `:2: field "sha256"`,
		"name,role,sha256,revoked\nx,reader," + auth.Hash("k") + ",maybe\n":                                      `:2: field "revoked"`,
		"name,role,sha256,revoked\nx,reader," + auth.Hash("k") + ",false\nx,reader," + auth.Hash("j") + ",false": `:3: field "name"`,
	} {
		file := filepath.Join(dir, "keys.csv")
		os.WriteFile(file, []byte(content), 0o600)
		if _, err := auth.LoadKeys(file); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %s", content, err, want)
		}
	}
}

func TestCostBudgetAnswers429WithRetryAfter(t *testing.T) {
	// A bucket of 100 points that refills 1 point a second: the third query of 41 points is refused.
	srv := secureAPI(t, reqctx.RoleAnonymous, 100, 1, 8)
	q := gql(`{ countries(first: 20) { edges { node { name } } } }`) // 1 + 20 x 2 = 41 points
	for i := 1; i <= 3; i++ {
		resp, out := send(t, srv, http.MethodPost, "application/json", q, bearer(readerKey))
		remaining, _ := strconv.Atoi(resp.Header.Get("RateLimit-Remaining"))
		if resp.Header.Get("RateLimit-Limit") != "100" {
			t.Errorf("request %d: RateLimit-Limit %q", i, resp.Header.Get("RateLimit-Limit"))
		}
		if i < 3 {
			if resp.StatusCode != 200 || len(out.Errors) > 0 || remaining > 100-41*i+1 {
				t.Errorf("request %d: %d remaining %d %+v", i, resp.StatusCode, remaining, out.Errors)
			}
			continue
		}
		expectError(t, resp, out, 429, "RATE_LIMITED")
		if s, _ := strconv.Atoi(resp.Header.Get("Retry-After")); s < 1 {
			t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
		}
		if out.Data != nil && out.Data["countries"] != nil {
			t.Error("a refused query returned data")
		}
	}
	// Another key has its own budget.
	resp, out := send(t, srv, http.MethodPost, "application/json", q, bearer(analystKey))
	if resp.StatusCode != 200 || len(out.Errors) > 0 {
		t.Errorf("another key: %d %+v", resp.StatusCode, out.Errors)
	}
}

func TestConcurrentRequestsPerKeyAreCapped(t *testing.T) {
	// The GraphQL handler is replaced by one that holds each request until released, so that
	// requests overlap for sure; the cap is the HTTP layer's.
	release := make(chan struct{})
	entered := make(chan struct{}, 10)
	limiter := ratelimit.New(sharedstate.NewMemory(nil), ratelimit.Policy{Burst: 1000, PerSecond: 1000, PerClient: 2})
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			entered <- struct{}{}
			<-release
			w.Write([]byte(`{"data":{}}`))
		}),
		Ready:          func(context.Context) error { return nil },
		RequestTimeout: 10 * time.Second,
		Logger:         quiet,
		Anonymous:      reqctx.RoleAnonymous,
		Limiter:        limiter,
	}))
	defer srv.Close()
	q := gql(`{ about { version } }`)
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := send(t, srv, http.MethodPost, "application/json", q, nil)
			codes <- resp.StatusCode
		}()
	}
	<-entered
	<-entered
	resp, out := send(t, srv, http.MethodPost, "application/json", q, nil)
	expectError(t, resp, out, 429, "RATE_LIMITED")
	if resp.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	close(release)
	wg.Wait()
	if a, b := <-codes, <-codes; a != 200 || b != 200 {
		t.Errorf("the two held requests ended with %d and %d", a, b)
	}
	resp, _ = send(t, srv, http.MethodPost, "application/json", q, nil)
	if resp.StatusCode != 200 {
		t.Errorf("after the others finished: %d", resp.StatusCode)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestAccessLogNamesClientRoleAndCostNeverTheKey(t *testing.T) {
	var logs syncBuffer
	srv := secureAPIWithLog(t, slog.New(slog.NewJSONHandler(&logs, nil)), reqctx.RoleAnonymous, 5000, 100, 8)
	send(t, srv, http.MethodPost, "application/json", gql(`{ countries(first: 2) { nodes { name } } }`), bearer(readerKey))
	send(t, srv, http.MethodPost, "application/json", gql(`{ about { version } }`), bearer(revokedKey))
	out := logs.String()
	for _, want := range []string{`"client":"front-end"`, `"role":"reader"`, `"cost":3`, `"request_id":`, `"duration_ms":`, `"status":401`} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %s:\n%s", want, out)
		}
	}
	for _, key := range []string{readerKey, revokedKey} {
		if strings.Contains(out, key) {
			t.Errorf("an API key reached the logs:\n%s", out)
		}
	}
}
