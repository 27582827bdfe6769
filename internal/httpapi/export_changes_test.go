package httpapi_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/importer"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/synthetic"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// graphLines reads graph.ndjson at u: its lines by what they are, keyed by node or relationship key.
func graphLines(t *testing.T, u string) map[string]map[string]map[string]any {
	t.Helper()
	resp := exportGet(t, u, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", u, resp.StatusCode, readAll(t, resp))
	}
	out := map[string]map[string]map[string]any{"node": {}, "relationship": {}, "deleted": {}}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		out[l["what"].(string)][l["key"].(string)] = l
	}
	return out
}

// TestExportsSinceAndConditionalRequests: every export answers with an ETag from the graph's
// data version and a Last-Modified, and If-None-Match gives 304 at no cost until a write
// commits; ?since= gives only what changed after it (nodes and relationships stamped by the
// write, deletions as tombstones), and a bad since is BAD_USER_INPUT.
func TestExportsSinceAndConditionalRequests(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDefaultGraph(t, st)
	srv := serve(t, st)
	ctx := context.Background()

	first := exportGet(t, srv.URL+"/export/projects.csv", nil)
	etag := first.Header.Get("ETag")
	if first.StatusCode != 200 || etag == "" || first.Header.Get("Last-Modified") == "" {
		t.Fatalf("projects.csv: %d, ETag %q, Last-Modified %q", first.StatusCode, etag, first.Header.Get("Last-Modified"))
	}
	again := exportGet(t, srv.URL+"/export/projects.csv", map[string]string{"If-None-Match": etag})
	if again.StatusCode != http.StatusNotModified || len(readAll(t, again)) != 0 {
		t.Fatalf("If-None-Match of the same ETag: %d, want 304 and no body", again.StatusCode)
	}
	if other := exportGet(t, srv.URL+"/export/graph.ndjson", nil).Header.Get("ETag"); other == etag || other == "" {
		t.Errorf("two exports share the ETag %q", etag)
	}
	for _, bad := range []string{"yesterday", "2026-13-01T00:00:00Z"} {
		resp := exportGet(t, srv.URL+"/export/graph.ndjson?since="+url.QueryEscape(bad), nil)
		if body := string(readAll(t, resp)); resp.StatusCode != 400 || !strings.Contains(body, "BAD_USER_INPUT") || !strings.Contains(body, "RFC 3339") {
			t.Errorf("since=%s: %d %s", bad, resp.StatusCode, body)
		}
	}

	loaded, err := st.DataVersion(ctx)
	if err != nil || loaded.ChangedAt.IsZero() {
		t.Fatalf("data version after loading: %+v, %v", loaded, err)
	}
	since := url.QueryEscape(loaded.ChangedAt.Format(time.RFC3339Nano))
	if lines := graphLines(t, srv.URL+"/export/graph.ndjson?since="+since); len(lines["node"])+len(lines["relationship"])+len(lines["deleted"]) != 0 {
		t.Fatalf("nothing changed since the last write, yet the export holds %d nodes", len(lines["node"]))
	}

	// An import: its nodes and relationships are changed, the rest is not.
	root, _ := testenv.RepoRoot()
	rep, err := importer.ImportIATIFile(ctx, st, root+"/internal/iati/testdata/full-2.03.xml", importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	imported, err := st.DataVersion(ctx)
	if err != nil || imported.Tag == loaded.Tag || !imported.ChangedAt.After(loaded.ChangedAt) {
		t.Fatalf("the import did not move the data version on: %+v -> %+v (%v)", loaded, imported, err)
	}
	if changed := exportGet(t, srv.URL+"/export/projects.csv", map[string]string{"If-None-Match": etag}); changed.StatusCode != 200 || changed.Header.Get("ETag") == etag {
		t.Errorf("after a write, If-None-Match of the old ETag: %d (ETag %q)", changed.StatusCode, changed.Header.Get("ETag"))
	}
	lines := graphLines(t, srv.URL+"/export/graph.ndjson?since="+since)
	if _, ok := lines["node"]["project:iati-xm-dac-918-3-pg-mig-0001"]; !ok || len(lines["relationship"]) == 0 {
		t.Fatalf("since the load: %d nodes, %d relationships; the imported programme missing", len(lines["node"]), len(lines["relationship"]))
	}
	if _, ok := lines["node"]["process:rabat"]; ok {
		t.Errorf("process:rabat did not change, yet it is exported since the load")
	}
	for _, kind := range []string{"node", "relationship"} {
		for key, l := range lines[kind] {
			at, err := time.Parse(time.RFC3339Nano, l["properties"].(map[string]any)["changedAt"].(string))
			if err != nil || !at.After(loaded.ChangedAt) {
				t.Fatalf("%s %s changed at %v, not after %v", kind, key, l["properties"].(map[string]any)["changedAt"], loaded.ChangedAt)
			}
		}
	}
	projects := exportGet(t, srv.URL+"/export/projects.ndjson?since="+since, nil)
	n := strings.Count(string(readAll(t, projects)), "\n")
	if n == 0 || n >= 600 {
		t.Errorf("projects.ndjson since the load: %d projects; want only those of the import", n)
	}

	// Removing the import deletes what only it asserted: tombstones.
	if _, err := st.RemoveDataset(ctx, rep.Dataset); err != nil {
		t.Fatal(err)
	}
	sinceImport := url.QueryEscape(imported.ChangedAt.Format(time.RFC3339Nano))
	lines = graphLines(t, srv.URL+"/export/graph.ndjson?since="+sinceImport)
	gone, ok := lines["deleted"]["project:iati-xm-dac-918-3-pg-mig-0001"]
	if !ok || gone["deletedAt"] == nil {
		t.Fatalf("the removed programme has no deletion line: %v", lines["deleted"])
	}
	resp := exportGet(t, srv.URL+"/export/csv/deleted.csv?since="+sinceImport, nil)
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil || len(rows) != len(lines["deleted"])+1 || rows[0][0] != "what" {
		t.Fatalf("deleted.csv: %v, %d rows for %d deletions", err, len(rows), len(lines["deleted"]))
	}
	var index struct{ Files []struct{ Name string } }
	_ = json.Unmarshal(readAll(t, exportGet(t, srv.URL+"/export/csv/?since="+sinceImport, nil)), &index)
	if last := index.Files[len(index.Files)-1].Name; last != "deleted.csv" {
		t.Errorf("the index with since ends with %s, not deleted.csv", last)
	}
	// Imported again: written after its tombstone, so no longer deleted.
	if _, err := importer.ImportIATIFile(ctx, st, root+"/internal/iati/testdata/full-2.03.xml", importer.Options{}); err != nil {
		t.Fatal(err)
	}
	lines = graphLines(t, srv.URL+"/export/graph.ndjson?since="+sinceImport)
	if _, still := lines["deleted"]["project:iati-xm-dac-918-3-pg-mig-0001"]; still {
		t.Errorf("a project written again after its deletion is still exported as deleted")
	}
	if _, ok := lines["node"]["project:iati-xm-dac-918-3-pg-mig-0001"]; !ok {
		t.Errorf("the project written again is not exported since its deletion")
	}
}

// runningTransactions lists the queries of the transactions Neo4j runs, other than this one.
func runningTransactions(t *testing.T) []string {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t),
		"SHOW TRANSACTIONS YIELD currentQuery WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN currentQuery", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range res.Records {
		q, _ := r.Get("currentQuery")
		out = append(out, q.(string))
	}
	return out
}

// noTransactionLeft fails unless Neo4j soon runs no transaction of the API: a cancelled export
// must not leave its statement running.
func noTransactionLeft(t *testing.T, what string) {
	t.Helper()
	var left []string
	for range 50 {
		if left = runningTransactions(t); len(left) == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: Neo4j still runs %d transactions: %v", what, len(left), left)
}

// TestCancelledExportsFreeTheirTransaction cuts exports short, by the client going away after the
// first bytes and by the export's deadline, and checks that Neo4j runs no transaction of theirs
// afterwards; and that no export, whole or cut, changes the graph or its data version.
func TestCancelledExportsFreeTheirTransaction(t *testing.T) {
	st := testenv.EmptyStore(t)
	d, err := synthetic.Generate(synthetic.Size{Countries: 40, Processes: 4, Instruments: 20, Organisations: 200, Projects: 6000, Themes: 8}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ReplaceGraphInBatches(context.Background(), store.DatasetSynthetic, d, 5000); err != nil {
		t.Fatal(err)
	}
	before, version := testenv.FullGraphDump(t), dataVersion(t, st)

	srv := serve(t, st)
	for _, name := range []string{"graph.jsonld", "iati.xml", "graph.ndjson", "csv/projects.csv"} {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/export/"+name, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(resp.Body, make([]byte, 4096)); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d, first bytes: %v", name, resp.StatusCode, err)
		}
		cancel()
		resp.Body.Close()
		noTransactionLeft(t, name+" cut by its client")
	}

	// The deadline: a client that reads nothing while the export runs out of time.
	quick := serveExportsWithin(t, st, testLimits, 200*time.Millisecond)
	resp, err := http.Get(quick.URL + "/export/graph.jsonld")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	noTransactionLeft(t, "graph.jsonld past its deadline")
	if _, err := io.Copy(io.Discard, resp.Body); err == nil {
		t.Errorf("an export past its deadline ended like a whole one")
	}
	resp.Body.Close()

	// Whole exports of every format change nothing either.
	for _, name := range []string{"projects.ndjson", "projects.csv", "graph.ndjson", "csv/fundings.csv", "csv/deleted.csv"} {
		readAll(t, exportGet(t, srv.URL+"/export/"+name+"?since=2000-01-01T00:00:00Z", nil))
	}
	if after := testenv.FullGraphDump(t); after != before || dataVersion(t, st) != version {
		t.Fatalf("exports changed the graph:\n%s", limitText(testenv.DiffLines(before, after), 2000))
	}
}

func dataVersion(t *testing.T, st *store.Store) string {
	t.Helper()
	v, err := st.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v.Tag
}

// TestWholeGraphExportsRefuseBadFilters: the seed-format files and graph.ndjson check their
// filter as the other exports do.
func TestWholeGraphExportsRefuseBadFilters(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "seed/data")
	srv := serve(t, st)
	for _, name := range []string{"graph.ndjson", "csv/projects.csv", "csv/fundings.csv"} {
		for where, want := range map[string]string{`{"nope": 1}`: "BAD_USER_INPUT", `[1`: "BAD_USER_INPUT", `{"countries": ["Atlantis"]}`: "NOT_FOUND"} {
			resp := exportGet(t, srv.URL+"/export/"+name+"?where="+url.QueryEscape(where), nil)
			if body := string(readAll(t, resp)); resp.StatusCode < 400 || !strings.Contains(body, want) {
				t.Errorf("%s where %s: %d %s, want %s", name, where, resp.StatusCode, body, want)
			}
		}
	}
	// A filter narrows the project files and the relationships at projects, never other kinds.
	ethiopia := url.QueryEscape(`{"countries": ["Ethiopia"]}`)
	projects, _ := csv.NewReader(strings.NewReader(string(readAll(t, exportGet(t, srv.URL+"/export/csv/projects.csv?where="+ethiopia, nil))))).ReadAll()
	all, _ := csv.NewReader(strings.NewReader(string(readAll(t, exportGet(t, srv.URL+"/export/csv/projects.csv", nil))))).ReadAll()
	countries, _ := csv.NewReader(strings.NewReader(string(readAll(t, exportGet(t, srv.URL+"/export/csv/countries.csv?where="+ethiopia, nil))))).ReadAll()
	if len(projects) < 2 || len(projects) >= len(all) || len(countries) < 50 {
		t.Errorf("filtered: %d project rows of %d, %d country rows", len(projects), len(all), len(countries))
	}
}
