package httpapi_test

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

func exportGet(t *testing.T, u string, header map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestBulkExports pulls the EUTF projects as a partner's script would: NDJSON, CSV (gzipped) and
// JSON-LD, filtered with the GraphQL filter language, and checks every line, row and node; bad
// filters and unknown references are refused before anything streams; node IRIs answer JSON-LD
// or send a browser to GraphiQL.
func TestBulkExports(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDefaultGraph(t, st)
	srv := serve(t, st)
	eutf := url.QueryEscape(`{"datasets": ["import:eutf-akvo"]}`)

	resp := exportGet(t, srv.URL+"/export/projects.ndjson?where="+eutf, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-ndjson" || resp.Header.Get("X-Total-Count") != "640" {
		t.Fatalf("ndjson: %d %s, total %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("X-Total-Count"))
	}
	lines, last := 0, ""
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var doc map[string]any
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			t.Fatalf("line %d is no JSON: %v", lines+1, err)
		}
		lines++
		key := doc["key"].(string)
		if key <= last || doc["@id"] != "http://127.0.0.1:8080/id/project/"+strings.TrimPrefix(key, "project:") {
			t.Fatalf("line %d: key %s after %s, @id %v", lines, key, last, doc["@id"])
		}
		last = key
		if len(doc["sources"].([]any)) == 0 || len(doc["fundedBy"].([]any)) == 0 {
			t.Errorf("%s: no sources or no funders in the export", key)
		}
	}
	if lines != 640 {
		t.Errorf("ndjson: %d lines, want 640", lines)
	}

	resp = exportGet(t, srv.URL+"/export/projects.csv?where="+url.QueryEscape(`{"countries": ["Niger"], "datasets": ["import:eutf-akvo"]}`),
		map[string]string{"Accept-Encoding": "gzip"})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("csv: %d, encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	gz, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "key" || len(rows)-1 != atoi(resp.Header.Get("X-Total-Count")) || len(rows) < 10 {
		t.Errorf("csv: %d rows for a total of %s; header %v", len(rows)-1, resp.Header.Get("X-Total-Count"), rows[0])
	}
	for _, r := range rows[1:] {
		if !strings.Contains(r[12], "NE") {
			t.Errorf("csv row %s targets %q, not Niger", r[0], r[12])
		}
	}

	resp = exportGet(t, srv.URL+"/export/graph.jsonld?where="+url.QueryEscape(`{"keys": ["bmm-1"]}`), nil)
	var ld struct {
		Context string           `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ld); err != nil {
		t.Fatalf("jsonld: %v", err)
	}
	ids := map[string]int{}
	for _, n := range ld.Graph {
		ids[n["@id"].(string)]++
	}
	if ld.Context != "http://127.0.0.1:8080/ns/v1/context.jsonld" || ids["http://127.0.0.1:8080/id/project/bmm-1"] != 1 || ids["http://127.0.0.1:8080/id/organisation/giz"] != 1 {
		t.Errorf("jsonld: context %s, nodes %v", ld.Context, ids)
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("jsonld: %s written %d times", id, n)
		}
	}
	if resp := exportGet(t, srv.URL+"/ns/v1/context.jsonld", nil); resp.StatusCode != 200 {
		t.Errorf("context: %d", resp.StatusCode)
	}

	resp = exportGet(t, srv.URL+"/export/iati.xml?where="+url.QueryEscape(`{"countries": ["NE"], "datasets": ["import:eutf-akvo"]}`), nil)
	xmlBody, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/xml" ||
		!strings.Contains(string(xmlBody), `<iati-activities version="2.03"`) || strings.Count(string(xmlBody), "<iati-activity ") < 10 {
		t.Errorf("iati.xml: %d %s, %d activities", resp.StatusCode, resp.Header.Get("Content-Type"), strings.Count(string(xmlBody), "<iati-activity "))
	}

	for _, c := range []struct {
		path, code string
		status     int
	}{
		{"/export/projects.ndjson?where=" + url.QueryEscape(`{"countries": ["Ethiopa"]}`), "NOT_FOUND", 404},
		{"/export/projects.ndjson?where=" + url.QueryEscape(`{"status": ["OPEN"]}`), "BAD_USER_INPUT", 400},
		{"/export/projects.ndjson?where=" + url.QueryEscape(`{"nonsense": 1}`), "", 400},
		{"/export/projects.ndjson?where=not-json", "BAD_USER_INPUT", 400},
		{"/export/everything.zip", "NOT_FOUND", 404},
		{"/id/project/no-such-project", "NOT_FOUND", 404},
	} {
		resp := exportGet(t, srv.URL+c.path, map[string]string{"Accept": "application/ld+json"})
		var body gqlResponse
		_ = json.NewDecoder(resp.Body).Decode(&body)
		if resp.StatusCode != c.status || len(body.Errors) == 0 || (c.code != "" && body.Errors[0].Extensions["code"] != c.code) {
			t.Errorf("%s: %d %v, want %d %s", c.path, resp.StatusCode, body.Errors, c.status, c.code)
		}
	}

	resp = exportGet(t, srv.URL+"/id/project/bmm-1", map[string]string{"Accept": "application/ld+json"})
	var node map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&node)
	if resp.StatusCode != 200 || node["@id"] != "http://127.0.0.1:8080/id/project/bmm-1" || node["@type"] != "Project" || node["title"] == nil {
		t.Errorf("IRI as JSON-LD: %d %v", resp.StatusCode, node)
	}
	resp = exportGet(t, srv.URL+"/id/project/bmm-1", map[string]string{"Accept": "text/html,application/xhtml+xml"})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/explore?node=project%3Abmm-1" {
		t.Errorf("IRI in a browser: %d, Location %q", resp.StatusCode, loc)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
