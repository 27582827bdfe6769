package importer_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/importer"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

var fixedNow = importer.Options{Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }}

func repo(t *testing.T, parts ...string) string {
	t.Helper()
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(append([]string{root}, parts...)...)
}

// rows runs a read query on the test Neo4j.
func rows(t *testing.T, q string, params map[string]any) []map[string]any {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), q, params, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	out := make([]map[string]any, len(res.Records))
	for i, r := range res.Records {
		out[i] = r.AsMap()
	}
	return out
}

func one(t *testing.T, q string, params map[string]any) any {
	t.Helper()
	r := rows(t, q, params)
	if len(r) != 1 {
		t.Fatalf("%s: %d rows, want 1", q, len(r))
	}
	return r[0]["v"]
}

func curatedStore(t *testing.T) *store.Store {
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "seed/data")
	return st
}

type eutfTotals struct {
	Identifiers                 int                           `json:"identifiers"`
	ActivitiesPerCountry        map[string]int                `json:"activitiesPerCountry"`
	BudgetPerCountry            map[string]float64            `json:"budgetPerCountry"`
	BudgetPerCountryAndPriority map[string]map[string]float64 `json:"budgetPerCountryAndPriority"`
	CountedActivities           int                           `json:"countedActivities"`
	BudgetTotal                 float64                       `json:"budgetTotal"`
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.011 }

// TestEUTFImportMatchesIndependentTotals imports the real EUTF export next to the curated seed
// and checks the graph against totals computed from the CSV files by tools/eutf/totals.py, which
// shares no code with the importer: activities, activities per country, and the money counted
// once (per country, per country and priority area, and in all).
func TestEUTFImportMatchesIndependentTotals(t *testing.T) {
	st := curatedStore(t)
	ctx := context.Background()
	curatedOnly := testenv.GraphDump(t)
	rep, err := importer.ImportEUTF(ctx, st, repo(t, "seed", "eutf"), fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	var want eutfTotals
	b, err := os.ReadFile(repo(t, "internal", "eutf", "testdata", "expected_totals.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	const ds = importer.DatasetEUTF
	p := map[string]any{"ds": ds}
	if got := one(t, "MATCH (p:Project) WHERE $ds IN p.datasets RETURN count(p) AS v", p).(int64); int(got) != want.Identifiers || rep.Written != want.Identifiers {
		t.Errorf("projects of the import = %d (report %d), want %d", got, rep.Written, want.Identifiers)
	}

	// The totals count decisions and contracts (hierarchy 1 and 2), not the rows without a prefix.
	perCountry := map[string]int{}
	for _, r := range rows(t, "MATCH (p:Project)-[t:TARGETS]->(c:Country) WHERE $ds IN t.datasets AND p.hierarchy IN [1, 2] RETURN c.iso2 AS c, count(DISTINCT p) AS n", p) {
		perCountry[r["c"].(string)] = int(r["n"].(int64))
	}
	for _, r := range rows(t, "MATCH (p:Project) WHERE $ds IN p.datasets AND p.hierarchy IN [1, 2] UNWIND p.unresolvedRecipients AS c RETURN c, count(DISTINCT p) AS n", p) {
		perCountry[r["c"].(string)] += int(r["n"].(int64))
	}
	for c, n := range want.ActivitiesPerCountry {
		if perCountry[c] != n {
			t.Errorf("activities for %s = %d, want %d", c, perCountry[c], n)
		}
	}
	if len(perCountry) != len(want.ActivitiesPerCountry) {
		t.Errorf("%d countries in the graph, %d in the totals", len(perCountry), len(want.ActivitiesPerCountry))
	}
	if len(rep.UnresolvedCountries) == 0 {
		t.Errorf("the report lists no unresolved recipient country; the export names three the curated seed lacks")
	}

	money := "MATCH (:Organisation {id: 'org:ec'})-[f:FUNDS]->(p:Project) WHERE $ds IN f.datasets AND f.amount IS NOT NULL AND f.currency = 'EUR' "
	for _, r := range rows(t, money+"MATCH (p)-[t:TARGETS]->(c:Country) RETURN c.iso2 AS c, sum(f.amount) AS v", p) {
		c := r["c"].(string)
		if !near(r["v"].(float64), want.BudgetPerCountry[c]) {
			t.Errorf("money for %s = %.2f, want %.2f", c, r["v"], want.BudgetPerCountry[c])
		}
	}
	for _, r := range rows(t, money+"MATCH (p)-[t:TARGETS]->(c:Country) "+
		"OPTIONAL MATCH (p)-[:ADDRESSES]->(th:ThematicArea) WHERE th.id STARTS WITH 'theme:eutf-tfp-' "+
		"WITH c, f, p, coalesce('TFP.' + right(th.id, 1), 'none') AS area RETURN c.iso2 AS c, area, sum(f.amount) AS v", p) {
		c, area := r["c"].(string), r["area"].(string)
		if !near(r["v"].(float64), want.BudgetPerCountryAndPriority[c][area]) {
			t.Errorf("money for %s in %s = %.2f, want %.2f", c, area, r["v"], want.BudgetPerCountryAndPriority[c][area])
		}
	}
	// Counted activities without a budget (empty or zero in the export) carry no amount.
	total := rows(t, money+"RETURN count(DISTINCT p) AS n, sum(f.amount) AS v", p)[0]
	noBudget := one(t, "MATCH (p:Project) WHERE $ds IN p.datasets AND p.budget IS NULL AND p.hierarchy IN [1, 2] "+
		"AND NOT coalesce(p.amountsOnChildren, false) RETURN count(p) AS v", p).(int64)
	if int(total["n"].(int64)+noBudget) != want.CountedActivities || !near(total["v"].(float64), want.BudgetTotal) {
		t.Errorf("money counted once: %d activities with an amount and %d without a budget, %.2f EUR; want %d and %.2f",
			total["n"], noBudget, total["v"], want.CountedActivities, want.BudgetTotal)
	}
	if n := one(t, "MATCH (d:Project)-[f:FUNDS]-() WHERE $ds IN d.datasets AND d.amountsOnChildren AND f.amount IS NOT NULL RETURN count(f) AS v", p).(int64); n != 0 {
		t.Errorf("%d funding relationships of decisions with contracts carry an amount (double counting)", n)
	}
	if n := one(t, "MATCH (:Project)-[r:PART_OF]->(:Project) WHERE $ds IN r.datasets RETURN count(r) AS v", p).(int64); n == 0 {
		t.Errorf("no contract is PART_OF its decision")
	}
	if n := one(t, "MATCH (p:Project)-[:FINANCED_BY]->(:Instrument {id: 'instrument:eutf-horn'}) WHERE $ds IN p.datasets RETURN count(p) AS v", p).(int64); n == 0 {
		t.Errorf("no project of the Horn of Africa window is financed by the window")
	}
	// Resolved organisations: IOM by name, UNHCR through the reviewed alias table.
	for _, id := range []string{"org:iom", "org:unhcr"} {
		if n := one(t, "MATCH (:Organisation {id: $id})-[r:IMPLEMENTS]->() WHERE $ds IN r.datasets RETURN count(r) AS v", map[string]any{"id": id, "ds": ds}).(int64); n == 0 {
			t.Errorf("%s implements no imported project: not resolved", id)
		}
	}
	if len(rep.UnresolvedOrganisations) == 0 {
		t.Errorf("the report lists no unresolved organisation")
	}
	// Every imported fact cites the export.
	if n := one(t, "MATCH (a)-[r]->(b) WHERE $ds IN r.datasets AND r.dataset = $ds AND NOT $src IN r.sourceIds RETURN count(r) AS v",
		map[string]any{"ds": ds, "src": rep.Source}).(int64); n != 0 {
		t.Errorf("%d imported relationships do not cite the export", n)
	}

	before := testenv.GraphDump(t)
	again, err := importer.ImportEUTF(ctx, st, repo(t, "seed", "eutf"), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w := again.Write; w.Created+w.Updated+w.CoAsserted+w.RelsCreated+w.RelsUpdated+w.Retracted != 0 {
		t.Errorf("second import wrote something: %+v", w)
	}
	if after := testenv.GraphDump(t); after != before {
		t.Errorf("importing the export twice changed the graph:\n%s", testenv.DiffLines(before, after))
	}
	// Removing the import leaves the curated dataset whole.
	if _, err := st.RemoveDataset(ctx, ds); err != nil {
		t.Fatal(err)
	}
	if after := testenv.GraphDump(t); after != curatedOnly {
		t.Errorf("removing the import did not give back the curated graph:\n%s", testenv.DiffLines(curatedOnly, after))
	}
}

// TestStandardExamples imports every example of the IATI Standard's schema tests: the valid
// ones import (their placeholder codes reported), the invalid ones are refused with file, line
// and element, and write nothing.
func TestStandardExamples(t *testing.T) {
	st := curatedStore(t)
	ctx := context.Background()
	pass, _ := filepath.Glob(repo(t, "internal", "iati", "testdata", "examples", "should-pass", "*.xml"))
	fail, _ := filepath.Glob(repo(t, "internal", "iati", "testdata", "examples", "should-fail", "*.xml"))
	if len(pass) < 8 || len(fail) < 7 {
		t.Fatalf("examples: %d valid, %d invalid", len(pass), len(fail))
	}
	for _, f := range fail {
		before := testenv.GraphDump(t)
		_, err := importer.ImportIATIFile(ctx, st, f, fixedNow)
		var invalid *importer.InvalidError
		if !errors.As(err, &invalid) || len(invalid.Problems) == 0 || !strings.HasPrefix(invalid.Problems[0], f+":") {
			t.Errorf("%s: err = %v, want an InvalidError whose problems start with the file name and line", filepath.Base(f), err)
		}
		if after := testenv.GraphDump(t); after != before {
			t.Errorf("%s: a refused file changed the graph", filepath.Base(f))
		}
	}
	for _, f := range pass {
		rep, err := importer.ImportIATIFile(ctx, st, f, fixedNow)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if rep.Activities == 0 || rep.Written != rep.Activities {
			t.Errorf("%s: %d activities, %d written", filepath.Base(f), rep.Activities, rep.Written)
		}
		n := one(t, "MATCH (p:Project) WHERE $ds IN p.datasets RETURN count(p) AS v", map[string]any{"ds": rep.Dataset}).(int64)
		if int(n) != rep.Activities {
			t.Errorf("%s: %d projects in dataset %s, want %d", filepath.Base(f), n, rep.Dataset, rep.Activities)
		}
		placeholder := false
		for _, n := range rep.Notices {
			if strings.Contains(n, `"xx"`) || strings.Contains(n, "no identifier") || strings.Contains(n, "version") {
				placeholder = true
			}
		}
		if !placeholder {
			t.Errorf("%s: no notice about its placeholder codes, identifier or version:\n%s", filepath.Base(f), strings.Join(rep.Notices, "\n"))
		}
	}
}
