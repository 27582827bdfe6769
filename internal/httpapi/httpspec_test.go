package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/reqctx"
)

// The GraphQL-over-HTTP specification's media types and the status codes it gives for each
// (graph/transport.go).
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// rawAnswer is a response with its body kept as raw top-level entries, so that a missing "data"
// entry is told apart from "data": null.
type rawAnswer struct {
	status      int
	contentType string
	header      http.Header
	entries     map[string]json.RawMessage
	errors      []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	}
}

func (a rawAnswer) hasData() bool { _, ok := a.entries["data"]; return ok }

func (a rawAnswer) code() string {
	if len(a.errors) == 0 {
		return ""
	}
	c, _ := a.errors[0].Extensions["code"].(string)
	return c
}

// exchange sends one request to /graphql: a POST of body (Content-Type application/json), or a GET
// of the query string when method is GET (with X-Requested-With, which the CSRF rule asks for).
func exchange(t *testing.T, srv *httptest.Server, method, body string, header http.Header) rawAnswer {
	t.Helper()
	var req *http.Request
	if method == http.MethodGet {
		req, _ = http.NewRequest(method, srv.URL+"/graphql?"+body, nil)
		req.Header.Set("X-Requested-With", "XMLHttpRequest")
	} else {
		req, _ = http.NewRequest(method, srv.URL+"/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := rawAnswer{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), header: resp.Header}
	if err := json.Unmarshal(raw, &a.entries); err != nil {
		t.Fatalf("status %d, body is not a JSON object: %v\n%s", resp.StatusCode, err, raw)
	}
	if e, ok := a.entries["errors"]; ok {
		if err := json.Unmarshal(e, &a.errors); err != nil {
			t.Fatalf("errors: %v\n%s", err, raw)
		}
	}
	for _, e := range a.errors {
		if e.Extensions["code"] == nil || e.Extensions["requestId"] != resp.Header.Get("X-Request-Id") {
			t.Errorf("error without code or request id: %+v (X-Request-Id %q)", e, resp.Header.Get("X-Request-Id"))
		}
	}
	return a
}

func accept(v string) http.Header {
	if v == "" {
		return nil
	}
	return http.Header{"Accept": {v}}
}

// mediaOf is the media type of a Content-Type, which must name UTF-8 when it names a charset.
func mediaOf(t *testing.T, contentType string) string {
	t.Helper()
	media, params, _ := strings.Cut(contentType, ";")
	if params != "" && !strings.EqualFold(strings.TrimSpace(params), "charset=utf-8") {
		t.Errorf("Content-Type %q", contentType)
	}
	return strings.TrimSpace(media)
}

// TestRequestErrorsFollowTheMediaType: a request error raised before execution (document parse
// failure, validation failure, variable coercion failure) answers with no "data" entry, 200 in
// application/json and 400 in application/graphql-response+json; the media type follows Accept.
func TestRequestErrorsFollowTheMediaType(t *testing.T) {
	srv := newAPI(t)
	requestErrors := []struct {
		name, body, code string
	}{
		{"parse failure", gql(`{ country(code: "SN") { name }`), "GRAPHQL_PARSE_FAILED"},
		{"validation failure", gql(`{ country(code: "SN") { capital } }`), "GRAPHQL_VALIDATION_FAILED"},
		{"variable coercion failure", `{"query":"query ($c: String!) { country(code: $c) { name } }","variables":{"c":null}}`, "BAD_USER_INPUT"},
		{"variable of the wrong type", `{"query":"query ($n: Int!) { countries(first: $n) { totalCount } }","variables":{"n":"ten"}}`, "BAD_USER_INPUT"},
		{"operation cannot be determined", `{"query":"query A { about { version } } query B { about { version } }"}`, "GRAPHQL_VALIDATION_FAILED"},
	}
	accepts := []struct {
		accept, media string
		status        int
	}{
		{"", mediaJSON, http.StatusOK},
		{"*/*", mediaJSON, http.StatusOK},
		{"application/json", mediaJSON, http.StatusOK},
		{"application/graphql-response+json", mediaGraphQLResponse, http.StatusBadRequest},
		{"application/graphql-response+json, application/json", mediaGraphQLResponse, http.StatusBadRequest},
	}
	for _, re := range requestErrors {
		for _, ac := range accepts {
			t.Run(re.name+"/Accept "+ac.accept, func(t *testing.T) {
				a := exchange(t, srv, http.MethodPost, re.body, accept(ac.accept))
				if a.status != ac.status || mediaOf(t, a.contentType) != ac.media {
					t.Errorf("got %d %s, want %d %s", a.status, a.contentType, ac.status, ac.media)
				}
				if a.hasData() {
					t.Errorf("a request error carries a data entry: %s", a.entries["data"])
				}
				if a.code() != re.code {
					t.Errorf("code %q, want %s (%+v)", a.code(), re.code, a.errors)
				}
			})
		}
	}
	// The same over GET.
	for _, ac := range accepts {
		a := exchange(t, srv, http.MethodGet, "query="+url.QueryEscape(`{ country(code: "SN") { capital } }`), accept(ac.accept))
		if a.status != ac.status || mediaOf(t, a.contentType) != ac.media || a.hasData() || a.code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("GET, Accept %q: %d %s data=%v %+v", ac.accept, a.status, a.contentType, a.hasData(), a.errors)
		}
	}
}

// TestSuccessAnswersInTheNegotiatedMediaType: a query that runs answers 200 with data, in the
// media type the Accept header prefers (q-values first), over POST and GET; field errors keep
// 200 and data in both media types.
func TestSuccessAnswersInTheNegotiatedMediaType(t *testing.T) {
	srv := newAPI(t)
	q := `{ country(code: "MA") { name } }`
	for _, c := range []struct{ accept, media string }{
		{"", mediaJSON},
		{"*/*", mediaJSON},
		{"application/*", mediaJSON},
		{"application/json", mediaJSON},
		{"application/json, multipart/mixed", mediaJSON}, // GraphiQL's
		{"application/graphql-response+json", mediaGraphQLResponse},
		{"application/graphql-response+json; charset=utf-8, application/json; charset=utf-8", mediaGraphQLResponse},
		{"application/json, application/graphql-response+json", mediaJSON},
		{"application/json;q=0.5, application/graphql-response+json", mediaGraphQLResponse},
		{"application/graphql-response+json;q=0.2, application/json;q=0.9", mediaJSON},
		{"application/graphql-response+json;q=0.9, */*;q=0.1", mediaGraphQLResponse},
		{"text/html, */*;q=0.1", mediaJSON},
	} {
		for _, method := range []string{http.MethodPost, http.MethodGet} {
			body := gql(q)
			if method == http.MethodGet {
				body = "query=" + url.QueryEscape(q)
			}
			a := exchange(t, srv, method, body, accept(c.accept))
			if a.status != http.StatusOK || mediaOf(t, a.contentType) != c.media || len(a.errors) > 0 {
				t.Errorf("%s, Accept %q: %d %s %+v, want 200 %s", method, c.accept, a.status, a.contentType, a.errors, c.media)
			}
			if string(a.entries["data"]) != `{"country":{"name":"Morocco"}}` {
				t.Errorf("%s, Accept %q: data %s", method, c.accept, a.entries["data"])
			}
			if !strings.Contains(strings.Join(a.header.Values("Vary"), ","), "Accept") {
				t.Errorf("%s, Accept %q: Vary %q does not name Accept", method, c.accept, a.header.Values("Vary"))
			}
		}
	}
	// A field error is no request error: 200 with data in both media types.
	for _, ac := range []string{mediaJSON, mediaGraphQLResponse} {
		a := exchange(t, srv, http.MethodPost, gql(`{ about { version } countries(first: 0) { totalCount } }`), accept(ac))
		if a.status != http.StatusOK || mediaOf(t, a.contentType) != ac || !a.hasData() || a.code() != "BAD_USER_INPUT" {
			t.Errorf("field error, Accept %s: %d %s data=%v %+v", ac, a.status, a.contentType, a.hasData(), a.errors)
		}
	}
}

// TestNotAcceptableAndMalformedRequests: 406 when Accept allows neither media type; 400 in both
// media types for a request that is not a well-formed GraphQL-over-HTTP request; 405 for a
// mutation over GET.
func TestNotAcceptableAndMalformedRequests(t *testing.T) {
	srv := newAPI(t)
	for _, h := range []string{"text/html", "application/xml, text/*", "application/json;q=0, application/graphql-response+json;q=0", "*/*;q=0"} {
		for _, method := range []string{http.MethodPost, http.MethodGet} {
			body := gql(`{ about { version } }`)
			if method == http.MethodGet {
				body = "query=" + url.QueryEscape(`{ about { version } }`)
			}
			a := exchange(t, srv, method, body, accept(h))
			if a.status != http.StatusNotAcceptable || a.hasData() || a.code() != "BAD_USER_INPUT" {
				t.Errorf("%s, Accept %q: %d data=%v %+v, want 406", method, h, a.status, a.hasData(), a.errors)
			}
		}
	}
	malformed := map[string]string{
		"no query":              `{"qeury":"{ about { version } }"}`,
		"null query":            `{"query":null}`,
		"query not a string":    `{"query":{"obj":"ect"}}`,
		"variables not a map":   `{"query":"{ about { version } }","variables":[7]}`,
		"extensions not a map":  `{"query":"{ about { version } }","extensions":"x"}`,
		"operationName boolean": `{"query":"{ about { version } }","operationName":false}`,
		"not JSON":              `{ "not a JSON`,
		"empty body":            ``,
	}
	for name, body := range malformed {
		for _, ac := range []string{"", mediaJSON, mediaGraphQLResponse} {
			a := exchange(t, srv, http.MethodPost, body, accept(ac))
			if a.status != http.StatusBadRequest || a.hasData() || a.code() != "BAD_USER_INPUT" {
				t.Errorf("%s, Accept %q: %d data=%v %+v, want 400", name, ac, a.status, a.hasData(), a.errors)
			}
		}
	}
	for name, qs := range map[string]string{
		"GET without query":      "operationName=x",
		"GET variables not JSON": "query=" + url.QueryEscape(`{ about { version } }`) + "&variables=" + url.QueryEscape(`{"a":`),
		"GET variables an array": "query=" + url.QueryEscape(`{ about { version } }`) + "&variables=" + url.QueryEscape(`[1]`),
	} {
		for _, ac := range []string{mediaJSON, mediaGraphQLResponse} {
			if a := exchange(t, srv, http.MethodGet, qs, accept(ac)); a.status != http.StatusBadRequest || a.hasData() {
				t.Errorf("%s, Accept %s: %d data=%v %+v, want 400", name, ac, a.status, a.hasData(), a.errors)
			}
		}
	}
	// A mutation over GET is refused with 405 before validation (the schema has none), whatever
	// the media type.
	for _, ac := range []string{mediaJSON, mediaGraphQLResponse} {
		a := exchange(t, srv, http.MethodGet, "query="+url.QueryEscape(`mutation { about { version } }`), accept(ac))
		if a.status != http.StatusMethodNotAllowed || a.header.Get("Allow") != "POST" || a.hasData() {
			t.Errorf("mutation over GET, Accept %s: %d Allow %q %+v", ac, a.status, a.header.Get("Allow"), a.errors)
		}
		a = exchange(t, srv, http.MethodGet, "operationName=M&query="+url.QueryEscape(`query Q { about { version } } mutation M { about { version } }`), accept(ac))
		if a.status != http.StatusMethodNotAllowed {
			t.Errorf("named mutation over GET, Accept %s: %d %+v", ac, a.status, a.errors)
		}
	}
}

// TestAccessAndLimitsStatusPerMediaType: refusals of the operation limits, roles and the rate
// budget are request errors too; application/json keeps 200 (429 for the budget), and
// application/graphql-response+json answers 400, 403 and 429.
func TestAccessAndLimitsStatusPerMediaType(t *testing.T) {
	srv := secureAPIWithRule(t, quiet, reqctx.RoleAnonymous, reqctx.IntrospectionAnalysts, 100, 1, 8)
	introspection := gql(`{ __schema { queryType { name } } }`)
	tooDeep := gql(`{ project(key: "project:sn-1") { countries(first: 1) { nodes { projects(first: 1) { nodes { countries(first: 1) { nodes { projects(first: 1) { nodes { countries(first: 1) { nodes { projects(first: 1) { nodes { countries(first: 1) { nodes { name } } } } } } } } } } } } } } } }`)
	for _, c := range []struct {
		name, body, accept, code string
		status                   int
	}{
		{"introspection by a reader, INTROSPECTION=analysts", introspection, mediaJSON, "FORBIDDEN", http.StatusOK},
		{"introspection by a reader, INTROSPECTION=analysts", introspection, mediaGraphQLResponse, "FORBIDDEN", http.StatusForbidden},
		{"over a limit", tooDeep, mediaJSON, "COMPLEXITY_LIMIT_EXCEEDED", http.StatusOK},
		{"over a limit", tooDeep, mediaGraphQLResponse, "COMPLEXITY_LIMIT_EXCEEDED", http.StatusBadRequest},
	} {
		h := bearer(readerKey)
		h.Set("Accept", c.accept)
		a := exchange(t, srv, http.MethodPost, c.body, h)
		if a.status != c.status || mediaOf(t, a.contentType) != c.accept || a.hasData() || a.code() != c.code {
			t.Errorf("%s, Accept %s: %d %s data=%v %+v, want %d %s", c.name, c.accept, a.status, a.contentType, a.hasData(), a.errors, c.status, c.code)
		}
	}
	// A budget of 100 points, 1 back per second: the third query of 41 points is refused with 429
	// in both media types (the analyst key has a budget of its own).
	q := gql(`{ countries(first: 20) { edges { node { name } } } }`)
	for _, ac := range []string{mediaJSON, mediaGraphQLResponse} {
		key := readerKey
		if ac == mediaGraphQLResponse {
			key = analystKey
		}
		for i := 1; i <= 3; i++ {
			h := bearer(key)
			h.Set("Accept", ac)
			a := exchange(t, srv, http.MethodPost, q, h)
			want := http.StatusOK
			if i == 3 {
				want = http.StatusTooManyRequests
			}
			if a.status != want || mediaOf(t, a.contentType) != ac || (i == 3 && (a.hasData() || a.code() != "RATE_LIMITED" || a.header.Get("Retry-After") == "")) {
				t.Errorf("Accept %s, request %d: %d %s Retry-After %q %+v, want %d", ac, i, a.status, a.contentType, a.header.Get("Retry-After"), a.errors, want)
			}
		}
	}
}
