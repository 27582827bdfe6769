package export_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/export"
	"github.com/partnership-graph/partnership-graph/internal/importer"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

var fixedNow = func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }

func repoPath(t *testing.T, rel string) string {
	t.Helper()
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, rel)
}

// curatedStore is the test graph holding the curated seed only.
func curatedStore(t *testing.T) *store.Store {
	t.Helper()
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "seed/data")
	return st
}

// exportFile writes the export of where to a file of the test's own and returns its path and the
// projects left out.
func exportFile(t *testing.T, st *store.Store, where map[string]any, name string) (string, map[string]string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	omitted := map[string]string{}
	opts := export.IATIOptions{Now: fixedNow, Omitted: func(key, reason string) { omitted[key] = reason }}
	if err := export.WriteIATI(context.Background(), f, st, store.ExportScope{Where: where}, opts); err != nil {
		f.Close()
		t.Fatalf("export: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, omitted
}

// validate checks a file against the IATI 2.03 activity schema with xmllint.
func validate(t *testing.T, path string) {
	t.Helper()
	schema := repoPath(t, "internal/iati/schema/iati-activities-schema.xsd")
	out, err := exec.Command("xmllint", "--noout", "--schema", schema, path).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint says %s is not valid IATI 2.03: %v\n%s", path, err, out)
	}
}

var activityIdentifier = regexp.MustCompile(`<iati-identifier>([^<]*)</iati-identifier>`)

func identifiers(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range activityIdentifier.FindAllSubmatch(data, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

func TestCuratedAndEUTFExportValidates(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDefaultGraph(t, st)
	path, omitted := exportFile(t, st, nil, "all.xml")
	validate(t, path)
	ids := identifiers(t, path)
	count := projectCount(t, "", "true")
	if len(ids)+len(omitted) != count {
		t.Errorf("%d activities and %d left out, for %d projects", len(ids), len(omitted), count)
	}
	// The schema requires an activity date: only projects without any are left out, each named
	// in the file.
	if dated := projectCount(t, "", "coalesce(p.plannedStart, p.actualStart, p.plannedEnd, p.actualEnd) IS NOT NULL"); len(ids) != dated {
		t.Errorf("%d activities for %d projects with a date", len(ids), dated)
	}
	data, _ := os.ReadFile(path)
	for key, reason := range omitted {
		if reason != "no activity date (the schema requires one)" || !bytes.Contains(data, []byte("<!-- "+key+" left out: ")) {
			t.Errorf("left out %q: %q", key, reason)
		}
	}
	t.Logf("%d activities, %d projects without a date left out", len(ids), len(omitted))
	for _, want := range []string{`<iati-activities version="2.03" generated-datetime="2025-01-02T03:04:05Z">`,
		`<reporting-org ref="XX-PARTNERSHIP-GRAPH" type="90">`, `<iati-identifier>XX-PARTNERSHIP-GRAPH-bmm-1</iati-identifier>`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("the export lacks %s", want)
		}
	}
}

func TestFilterExportsOnlyMatchingProjects(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDefaultGraph(t, st)
	path, omitted := exportFile(t, st, map[string]any{"countries": []any{"NE"}}, "niger.xml")
	validate(t, path)
	ids := identifiers(t, path)
	want := projectCount(t, "country:NE", "true")
	if want == 0 || len(ids)+len(omitted) != want {
		t.Fatalf("%d activities and %d left out, for %d projects targeting Niger", len(ids), len(omitted), want)
	}
	data, _ := os.ReadFile(path)
	activities := strings.Split(string(data), "<iati-activity")[1:]
	for i, a := range activities {
		if !strings.Contains(a, `<recipient-country code="NE"`) {
			t.Errorf("activity %s does not name Niger", ids[i])
		}
	}
}

// projectCount counts the projects of the test graph that match condition (Cypher over p), those
// targeting a country when given.
func projectCount(t *testing.T, country, condition string) int {
	t.Helper()
	q := "MATCH (p:Project) WHERE " + condition + " RETURN count(p) AS n"
	if country != "" {
		q = "MATCH (p:Project)-[:TARGETS]->(:Country {id: $country}) WHERE " + condition + " RETURN count(DISTINCT p) AS n"
	}
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), q, map[string]any{"country": country}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	return int(res.Records[0].AsMap()["n"].(int64))
}

// notRoundTripped are the properties the comparison leaves out, each for its reason:
//   - dataset, datasets, assertions, versions: bookkeeping of which import states what, which
//     necessarily names the other file;
//   - sourceIds, sourceLocators: provenance. Every imported fact cites the file's Source, whose
//     id is made of the file's checksum (the exported file is another file), and a locator names
//     an element by its position in its file (participating-org[3]), which the graph does not keep;
//   - changedAt: when the write happened.
var notRoundTripped = map[string]bool{"dataset": true, "datasets": true, "assertions": true, "versions": true,
	"sourceIds": true, "sourceLocators": true, "changedAt": true}

// projectFacts lists, one line each and sorted, the properties of the projects of ids and every
// relationship they have, with its properties and the node at its other end (key and properties).
func projectFacts(t *testing.T, ids []string) string {
	t.Helper()
	ctx := context.Background()
	var lines []string
	res, err := neo4j.ExecuteQuery(ctx, testenv.Driver(t),
		"MATCH (p:Project) WHERE p.id IN $ids RETURN p.id AS id, properties(p) AS props", map[string]any{"ids": ids}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Records {
		m := r.AsMap()
		lines = append(lines, fmt.Sprintf("%v %s", m["id"], propsLine(m["props"])))
	}
	res, err = neo4j.ExecuteQuery(ctx, testenv.Driver(t),
		`MATCH (p:Project)-[r]-(o) WHERE p.id IN $ids
		 RETURN p.id AS id, type(r) AS type, startNode(r) = p AS out, o.id AS other, properties(r) AS props, properties(o) AS otherProps`,
		map[string]any{"ids": ids}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Records {
		m := r.AsMap()
		arrow := "<-"
		if m["out"] == true {
			arrow = "->"
		}
		lines = append(lines, fmt.Sprintf("%v %s%v%s %v %s | %v %s", m["id"], arrow, m["type"], arrow, m["other"], propsLine(m["props"]),
			m["other"], propsLine(m["otherProps"])))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func propsLine(v any) string {
	props, _ := v.(map[string]any)
	keys := make([]string, 0, len(props))
	for k := range props {
		if !notRoundTripped[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%v", k, props[k])
	}
	return b.String()
}

func datasetProjects(t *testing.T, dataset string) []string {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t),
		"MATCH (p:Project) WHERE $dataset IN p.datasets RETURN p.id AS id ORDER BY id", map[string]any{"dataset": dataset}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range res.Records {
		ids = append(ids, r.AsMap()["id"].(string))
	}
	return ids
}

func TestIATIRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := curatedStore(t)
	rep, err := importer.ImportIATIFile(ctx, st, repoPath(t, "internal/iati/testdata/full-2.03.xml"), importer.Options{})
	if err != nil {
		t.Fatalf("importing the fixture: %v", err)
	}
	ids := datasetProjects(t, rep.Dataset)
	if len(ids) != 2 {
		t.Fatalf("the fixture made projects %v", ids)
	}
	before := projectFacts(t, ids)
	path, omitted := exportFile(t, st, map[string]any{"datasets": []any{rep.Dataset}}, "exported.xml")
	validate(t, path)
	if len(omitted) > 0 {
		t.Fatalf("projects left out: %v", omitted)
	}

	st = curatedStore(t)
	again, err := importer.ImportIATIFile(ctx, st, path, importer.Options{})
	if err != nil {
		t.Fatalf("importing the export: %v", err)
	}
	if len(again.Notices) > 0 {
		t.Logf("notices importing the export:\n%s", strings.Join(again.Notices, "\n"))
	}
	if got := datasetProjects(t, again.Dataset); strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Fatalf("the export made projects %v, the fixture %v", got, ids)
	}
	after := projectFacts(t, ids)
	if before != after {
		data, _ := os.ReadFile(path)
		t.Fatalf("the facts differ after a round trip:\n%s\nexported file:\n%s", testenv.DiffLines(before, after), data)
	}
	t.Logf("facts compared:\n%s", before)
}
