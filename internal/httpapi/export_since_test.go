package httpapi_test

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/export"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/importer"
	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/ratelimit"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// sinceQuery is ?since= for the instant at, written in zone.
func sinceQuery(at time.Time, zone *time.Location) string {
	return "?since=" + url.QueryEscape(at.In(zone).Format(time.RFC3339Nano))
}

// TestSinceBoundary pins what ?since= means: the instant itself is left out (changed strictly
// after it), in any time zone the RFC 3339 text names, to the nanosecond (stamps are in UTC to the
// microsecond, written with Z); a date and time without a zone is refused. Deletions: the lines of
// graph.ndjson, the rows of csv/deleted.csv and the prov:Invalidation nodes of graph.jsonld,
// stamped like changes and cut at the same instant.
func TestSinceBoundary(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "seed/data")
	srv := serve(t, st)
	ctx := context.Background()
	loaded, err := st.DataVersion(ctx)
	if err != nil || loaded.ChangedAt.IsZero() {
		t.Fatalf("data version: %+v, %v", loaded, err)
	}
	at := loaded.ChangedAt
	if at != at.Truncate(time.Microsecond) || at.Location() != time.UTC {
		t.Fatalf("the write's stamp %v is not in UTC to the microsecond", at)
	}

	// Every item the load wrote carries its stamp, in UTC with Z, to the microsecond.
	whole := graphLines(t, srv.URL+"/export/graph.ndjson")
	stamped := 0
	for _, kind := range []string{"node", "relationship"} {
		for key, l := range whole[kind] {
			raw, _ := l["properties"].(map[string]any)["changedAt"].(string)
			got, err := time.Parse(time.RFC3339Nano, raw)
			if err != nil || !strings.HasSuffix(raw, "Z") || !got.Equal(at) {
				t.Fatalf("%s %s: changedAt %q, want %s", kind, key, raw, at.Format(time.RFC3339Nano))
			}
			stamped++
		}
	}
	count := func(query string) int {
		lines := graphLines(t, srv.URL+"/export/graph.ndjson"+query)
		return len(lines["node"]) + len(lines["relationship"]) + len(lines["deleted"])
	}
	utc, plus2, minus5 := time.UTC, time.FixedZone("", 2*3600), time.FixedZone("", -5*3600)
	for name, c := range map[string]struct {
		since time.Time
		zone  *time.Location
		want  int
	}{
		"the instant of the write (Z)":      {at, utc, 0},
		"the same instant at +02:00":        {at, plus2, 0},
		"the same instant at -05:00":        {at, minus5, 0},
		"a nanosecond after":                {at.Add(time.Nanosecond), utc, 0},
		"a nanosecond before":               {at.Add(-time.Nanosecond), utc, stamped},
		"a nanosecond before, at +02:00":    {at.Add(-time.Nanosecond), plus2, stamped},
		"a microsecond before":              {at.Add(-time.Microsecond), utc, stamped},
		"long before":                       {at.Add(-24 * time.Hour), utc, stamped},
		"the future (nothing changed then)": {at.Add(time.Hour), utc, 0},
	} {
		if got := count(sinceQuery(c.since, c.zone)); got != c.want {
			t.Errorf("since %s (%s): %d items, want %d", name, c.since.In(c.zone).Format(time.RFC3339Nano), got, c.want)
		}
	}
	// The same cut for the exports of projects.
	for since, want := range map[string]int{sinceQuery(at, utc): 0, sinceQuery(at.Add(-time.Nanosecond), utc): len(whole["node"])} {
		n := 0
		for _, l := range strings.Split(strings.TrimSpace(string(readAll(t, exportGet(t, srv.URL+"/export/projects.ndjson"+since, nil)))), "\n") {
			if l != "" {
				n++
			}
		}
		projects := 0
		for _, l := range whole["node"] {
			if l["label"] == store.KindProject {
				projects++
			}
		}
		if want > 0 {
			want = projects
		}
		if n != want {
			t.Errorf("projects.ndjson%s: %d projects, want %d", since, n, want)
		}
	}
	// Last-Modified is the write's time to the second (HTTP dates have no fractions): passed as
	// since, it gives the items of that write once more unless the write fell on a whole second.
	lm, err := http.ParseTime(exportGet(t, srv.URL+"/export/graph.ndjson", nil).Header.Get("Last-Modified"))
	if err != nil || !lm.Equal(at.Truncate(time.Second)) {
		t.Fatalf("Last-Modified %v (%v), want %v", lm, err, at.Truncate(time.Second))
	}
	want := stamped
	if lm.Equal(at) {
		want = 0
	}
	if got := count("?since=" + url.QueryEscape(lm.UTC().Format(time.RFC3339))); got != want {
		t.Errorf("since Last-Modified: %d items, want %d", got, want)
	}
	for _, bad := range []string{"2026-01-31", "2026-01-31T12:00:00", "2026-01-31 12:00:00Z", "1769860800"} {
		resp := exportGet(t, srv.URL+"/export/graph.ndjson?since="+url.QueryEscape(bad), nil)
		if body := string(readAll(t, resp)); resp.StatusCode != 400 || !strings.Contains(body, "BAD_USER_INPUT") {
			t.Errorf("since=%s: %d %s, want 400 BAD_USER_INPUT", bad, resp.StatusCode, body)
		}
	}

	// Deletions: an import removed again leaves tombstones stamped with the removal's time.
	root, _ := testenv.RepoRoot()
	rep, err := importer.ImportIATIFile(ctx, st, root+"/internal/iati/testdata/full-2.03.xml", importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.RemoveDataset(ctx, rep.Dataset); err != nil {
		t.Fatal(err)
	}
	removed, err := st.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gone := removed.ChangedAt
	lines := graphLines(t, srv.URL+"/export/graph.ndjson"+sinceQuery(gone.Add(-time.Nanosecond), plus2))
	if len(lines["deleted"]) == 0 {
		t.Fatal("no deletion line after removing an import")
	}
	for key, l := range lines["deleted"] {
		fields := []string{}
		for k := range l {
			fields = append(fields, k)
		}
		slices.Sort(fields)
		wantFields := []string{"deletedAt", "key", "what"} // a node: its key
		if l["type"] != nil {
			wantFields = []string{"deletedAt", "from", "key", "to", "type", "what"} // a relationship: also its type and ends
		}
		if !slices.Equal(fields, wantFields) || l["deletedAt"] != gone.Format(time.RFC3339Nano) {
			t.Errorf("deletion line of %s: %v, want the fields %v and deletedAt %s", key, l, wantFields, gone.Format(time.RFC3339Nano))
		}
	}
	// graph.jsonld with since: one prov:Invalidation per deletion, at its time, in the RDF.
	triples, _ := jsonldTriples(t, srv.URL, sinceQuery(gone.Add(-time.Nanosecond), utc))
	if n := triples["type http://www.w3.org/ns/prov#Invalidation"]; n != len(lines["deleted"]) || triples["http://www.w3.org/ns/prov#atTime"] != n {
		t.Errorf("graph.jsonld since before the removal: %d deletions with %d times, want %d", n, triples["http://www.w3.org/ns/prov#atTime"], len(lines["deleted"]))
	}
	if triples, _ := jsonldTriples(t, srv.URL, sinceQuery(gone, utc)); triples["type http://www.w3.org/ns/prov#Invalidation"] != 0 {
		t.Errorf("graph.jsonld since the removal's instant holds deletions")
	}
	if n := len(graphLines(t, srv.URL+"/export/graph.ndjson"+sinceQuery(gone, minus5))["deleted"]); n != 0 {
		t.Errorf("since the removal's instant: %d deletion lines, want none", n)
	}
	rows, err := csv.NewReader(exportGet(t, srv.URL+"/export/csv/deleted.csv"+sinceQuery(gone.Add(-time.Microsecond), utc), nil).Body).ReadAll()
	if err != nil || len(rows) != len(lines["deleted"])+1 || !slices.Equal(rows[0], export.DeletionColumns) {
		t.Fatalf("deleted.csv: %v, %d rows for %d deletions", err, len(rows), len(lines["deleted"]))
	}
	for _, row := range rows[1:] {
		l := lines["deleted"][row[1]]
		if l == nil || row[0] != "node" && row[0] != "relationship" || row[5] != gone.Format(time.RFC3339Nano) {
			t.Errorf("deleted.csv row %v does not match the deletion line %v", row, l)
		}
	}
	if rows, _ := csv.NewReader(exportGet(t, srv.URL+"/export/csv/deleted.csv"+sinceQuery(gone, utc), nil).Body).ReadAll(); len(rows) != 1 {
		t.Errorf("deleted.csv since the removal's instant: %d rows, want the header only", len(rows))
	}
}

// TestSinceExportsCostTheChangedProjects: with since, an export is charged for the projects
// changed after it (one point per ten) and the change stamps of every project its filter matches
// (one point per hundred), so that a sync that finds little is cheap, and one that finds much
// costs what a whole export costs; graph.ndjson and the seed files, which read the stamp of every
// relationship, cost their whole price.
func TestSinceExportsCostTheChangedProjects(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDefaultGraph(t, st)
	ctx := context.Background()
	v, err := st.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	projects, err := strconv.Atoi(exportGet(t, serve(t, st).URL+"/export/projects.csv", nil).Header.Get("X-Total-Count"))
	if err != nil || projects < 300 {
		t.Fatalf("the default graph holds %d projects (%v); the test wants a few hundred", projects, err)
	}
	// A budget below the price of a whole export, well above a sync that finds nothing.
	burst := projects/10 - 1
	limiter := ratelimit.New(sharedstate.NewMemory(nil), ratelimit.Policy{Burst: burst, PerSecond: 1, Scans: 2})
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(st, graph.Options{Version: "test", Logger: quiet, Limits: &limits.Defaults, RateLimiter: limiter}),
		Ready:   st.Ping, RequestTimeout: 10 * time.Second, Logger: quiet, Anonymous: reqctx.RoleAnalyst, Limiter: limiter,
		Exports: &httpapi.Exports{Store: st, BaseURL: "http://127.0.0.1:8080", Timeout: time.Minute,
			IATI: func(ctx context.Context, w io.Writer, st *store.Store, scope store.ExportScope) error {
				return export.WriteIATI(ctx, w, st, scope, export.IATIOptions{})
			}},
	}))
	t.Cleanup(srv.Close)
	status := func(path string) (int, string) {
		resp := exportGet(t, srv.URL+path, nil)
		return resp.StatusCode, string(readAll(t, resp))
	}
	nothing, everything := sinceQuery(v.ChangedAt, time.UTC), sinceQuery(v.ChangedAt.Add(-24*time.Hour), time.UTC)
	for _, name := range []string{"projects.ndjson", "graph.jsonld", "iati.xml"} {
		if code, body := status("/export/" + name + nothing); code != 200 {
			t.Errorf("%s since the last write (nothing changed, %d points of stamps): %d %s", name, projects/100, code, limitText(body, 300))
		}
		code, body := status("/export/" + name + everything)
		if want := strconv.Itoa(projects/10+projects/100) + " points"; code != http.StatusTooManyRequests || !strings.Contains(body, want) {
			t.Errorf("%s since before every write: %d %s, want 429 naming %s", name, code, limitText(body, 300), want)
		}
		if code, body := status("/export/" + name); code != http.StatusTooManyRequests || !strings.Contains(body, strconv.Itoa(projects/10)+" points") {
			t.Errorf("%s whole: %d %s, want 429 naming %d points", name, code, limitText(body, 300), projects/10)
		}
	}
	// The walks of every relationship read every change stamp with since: their whole price.
	for _, name := range []string{"graph.ndjson", "csv/fundings.csv"} {
		if code, body := status("/export/" + name + nothing); code != http.StatusTooManyRequests || !strings.Contains(body, strconv.Itoa(projects/10)+" points") {
			t.Errorf("%s since the last write: %d %s, want 429 naming %d points", name, code, limitText(body, 300), projects/10)
		}
	}
	// A filter narrows both: the changed projects of one country only.
	if code, body := status("/export/iati.xml?where=" + url.QueryEscape(`{"countries": ["ET"]}`) + strings.Replace(everything, "?", "&", 1)); code != 200 {
		t.Errorf("iati.xml of one country since before every write: %d %s", code, limitText(body, 300))
	}
}
