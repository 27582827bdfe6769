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
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
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

func serve(t *testing.T, st *store.Store) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL:        graph.NewHandler(st, graph.Options{Version: "test", Logger: quiet}),
		Ready:          st.Ping,
		AllowedOrigins: []string{allowedOrigin},
		RequestTimeout: 10 * time.Second,
		Logger:         quiet,
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

func TestCountryWithNestedProjectsDonorsAndMemberships(t *testing.T) {
	srv := newAPI(t)
	out := query(t, srv, `query($code: String!) {
	  country(code: $code) {
	    id iso2 iso3 name region subregion euRelation
	    sources { source { id title } locator status }
	    memberships { role from until process { shortName launched launchedPrecision } }
	    projects {
	      share
	      project {
	        title status scope actualStart
	        budget { amount currency asOf }
	        donors { amount { amount currency } donor { shortName kind } }
	        implementers { role lead organisation { shortName } }
	        instruments { shortName kind parent { shortName } }
	      }
	    }
	  }
	}`, map[string]any{"code": "sen"})
	if len(out.Errors) > 0 {
		t.Fatalf("errors: %v", out.Errors)
	}
	c := dig(t, out.Data, "country")
	want := map[string]any{"id": "country:SN", "iso2": "SN", "iso3": "SEN", "name": "Senegal", "region": "Africa",
		"subregion": "Western Africa", "euRelation": "OTHER"}
	for k, v := range want {
		if got := dig(t, c, k); got != v {
			t.Errorf("country.%s = %v, want %v", k, got, v)
		}
	}
	if got := mustJSON(dig(t, c, "sources")); got != `[{"locator":"p. 1","source":{"id":"source:doc-a","title":"Fixture document A"},"status":"VERIFIED"}]` {
		t.Errorf("sources = %s", got)
	}
	if got := mustJSON(dig(t, c, "memberships")); got != `[{"from":"2006-07-01","process":{"launched":"2006-07-01","launchedPrecision":"MONTH","shortName":"Rabat Process"},"role":"MEMBER","until":null}]` {
		t.Errorf("memberships = %s", got)
	}
	projects := dig(t, c, "projects").([]any)
	if len(projects) != 2 {
		t.Fatalf("want 2 projects targeting Senegal, got %s", mustJSON(projects))
	}
	// Latest start first: sn-1 (2016) before reg-1 (2014).
	first := dig(t, projects[0], "project")
	if dig(t, first, "title") != "Senegal employment project" || dig(t, projects[0], "share") != 100.0 {
		t.Errorf("first project = %s", mustJSON(projects[0]))
	}
	if got := mustJSON(dig(t, first, "instruments")); got != `[{"kind":"FUNDING_WINDOW","parent":{"shortName":"FTF"},"shortName":"FTF West"}]` {
		t.Errorf("instruments = %s", got)
	}
	second := dig(t, projects[1], "project")
	if got := mustJSON(dig(t, second, "donors")); got != `[{"amount":{"amount":40000000,"currency":"EUR"},"donor":{"kind":"EU_INSTITUTION","shortName":"EC"}},{"amount":{"amount":6000000,"currency":"EUR"},"donor":{"kind":"GOVERNMENT","shortName":"BMZ"}}]` {
		t.Errorf("donors of the regional project = %s", got)
	}
	if got := mustJSON(dig(t, second, "implementers")); got != `[{"lead":true,"organisation":{"shortName":"GIZ"},"role":"IMPLEMENTING"},{"lead":false,"organisation":{"shortName":"ICMPD"},"role":"IMPLEMENTING"}]` {
		t.Errorf("implementers = %s", got)
	}
	if dig(t, projects[1], "share") != 60.0 {
		t.Errorf("share of the regional project in Senegal = %v, want 60", dig(t, projects[1], "share"))
	}
}

func TestRootListsAndLookups(t *testing.T) {
	srv := newAPI(t)
	out := query(t, srv, `{
	  about { name version counts { kind count } }
	  countries(region: "africa") { iso2 }
	  members: countries(euRelation: MEMBER_STATE) { name }
	  regionalProcesses { id shortName successor { id } predecessor { id } secretariat { shortName }
	    members { role member { __typename ... on Country { iso2 } ... on Organisation { shortName } } } }
	  instruments(kind: FUNDING_WINDOW) { id }
	  organisations(kind: GOVERNMENT_AGENCY) { shortName country { iso2 } parent { shortName } }
	  donors { id projectCount organisation { shortName } funds { project { id } } }
	  projects(country: "MAR", status: PIPELINE) { id plannedStart }
	  process: regionalProcess(id: "process:rabat") { pillars }
	  notAProcess: regionalProcess(id: "country:SN") { id }
	  missing: project(id: "project:none") { id }
	  org: organisation(id: "org:giz") { implements { project { id } } funds { project { id } } }
	  instrument(id: "instrument:fund") { projects { id } amount { amount currency asOf } }
	}`, nil)
	if len(out.Errors) > 0 {
		t.Fatalf("errors: %v", out.Errors)
	}
	checks := map[string]string{
		"about":             `{"counts":[{"count":3,"kind":"Country"},{"count":2,"kind":"Instrument"},{"count":4,"kind":"Organisation"},{"count":3,"kind":"Project"},{"count":2,"kind":"RegionalProcess"},{"count":2,"kind":"Source"}],"name":"Partnership Graph","version":"test"}`,
		"countries":         `[{"iso2":"MA"},{"iso2":"SN"}]`,
		"members":           `[{"name":"Germany"}]`,
		"instruments":       `[{"id":"instrument:fund-west"}]`,
		"organisations":     `[{"country":{"iso2":"DE"},"parent":{"shortName":"BMZ"},"shortName":"GIZ"}]`,
		"donors":            `[{"funds":[{"project":{"id":"project:ma-1"}},{"project":{"id":"project:sn-1"}},{"project":{"id":"project:reg-1"}}],"id":"org:ec","organisation":{"shortName":"EC"},"projectCount":3},{"funds":[{"project":{"id":"project:reg-1"}}],"id":"org:bmz","organisation":{"shortName":"BMZ"},"projectCount":1}]`,
		"projects":          `[{"id":"project:ma-1","plannedStart":"2027-01-01"}]`,
		"process":           `{"pillars":["legal migration","irregular migration"]}`,
		"notAProcess":       `null`,
		"missing":           `null`,
		"org":               `{"funds":[],"implements":[{"project":{"id":"project:reg-1"}}]}`,
		"instrument":        `{"amount":{"amount":5000000000,"asOf":"2022-08-05","currency":"EUR"},"projects":[{"id":"project:reg-1"}]}`,
		"regionalProcesses": `[{"id":"process:old","members":[{"member":{"__typename":"Country","iso2":"DE"},"role":"MEMBER"}],"predecessor":null,"secretariat":null,"shortName":"Old Dialogue","successor":{"id":"process:rabat"}},{"id":"process:rabat","members":[{"member":{"__typename":"Country","iso2":"DE"},"role":"MEMBER"},{"member":{"__typename":"Organisation","shortName":"ICMPD"},"role":"SECRETARIAT"},{"member":{"__typename":"Country","iso2":"MA"},"role":"MEMBER"},{"member":{"__typename":"Country","iso2":"SN"},"role":"MEMBER"}],"predecessor":{"id":"process:old"},"secretariat":{"shortName":"ICMPD"},"shortName":"Rabat Process","successor":null}]`,
	}
	for field, want := range checks {
		if got := mustJSON(out.Data[field]); got != want {
			t.Errorf("%s =\n  %s\nwant\n  %s", field, got, want)
		}
	}
}

func TestErrorsCarryCodeAndRequestID(t *testing.T) {
	srv := newAPI(t)
	cases := []struct {
		name, query, code, message string
	}{
		{"first out of range", `{ countries(first: 0) { name } }`, "BAD_USER_INPUT", "argument first must be from 1 to 300, got 0"},
		{"first too large", `{ projects(first: 301) { id } }`, "BAD_USER_INPUT", "argument first must be from 1 to 300, got 301"},
		{"first null", `{ countries(first: null) { name } }`, "BAD_USER_INPUT", "argument first must be a number from 1 to 300, not null"},
		{"bad country code", `{ country(code: "S1") { name } }`, "BAD_USER_INPUT", `argument code must be an ISO 3166-1 alpha-2 or alpha-3 code such as SN or SEN, got "S1"`},
		{"unknown field", `{ country(code: "SN") { capital } }`, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "capital" on type "Country".`},
		{"syntax", `{ country(code: "SN") { name }`, "GRAPHQL_PARSE_FAILED", ""},
		{"bad enum", `{ projects(status: RUNNING) { id } }`, "GRAPHQL_VALIDATION_FAILED", ""},
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

	_, out := post(t, srv, map[string]any{"query": `{ regionalProcesses { id } }`})
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
	out := decode(t, get(t, srv.URL+"/graphql?query="+url.QueryEscape(`{ country(code: "MA") { name } }`), nil))
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
	for _, asset := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js", "start.js"} {
		if !strings.Contains(string(page), "/playground/"+asset) {
			t.Errorf("page does not load %s", asset)
		}
		r := get(t, srv.URL+"/playground/"+asset, nil)
		n, _ := io.Copy(io.Discard, r.Body)
		if r.StatusCode != http.StatusOK || n == 0 {
			t.Errorf("GET /playground/%s = %d, %d bytes", asset, r.StatusCode, n)
		}
	}
	if r := get(t, srv.URL+"/playground/missing.js", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("missing asset = %d, want 404", r.StatusCode)
	}
}
