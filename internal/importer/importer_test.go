package importer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
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
		if !errors.As(err, &invalid) || len(invalid.Problems) == 0 || !strings.HasPrefix(invalid.Problems[0].String(), f+":") {
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

// TestFullFixtureBecomesTheExpectedGraph imports a file with every mapped element and checks
// each fact it must give.
func TestFullFixtureBecomesTheExpectedGraph(t *testing.T) {
	st := curatedStore(t)
	ctx := context.Background()
	rep, err := importer.ImportIATIFile(ctx, st, repo(t, "internal", "iati", "testdata", "full-2.03.xml"), fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Dataset != "import:iati/xm-dac-918-3/full-2.03.xml" || rep.Activities != 2 || rep.Written != 2 {
		t.Fatalf("report: dataset %s, %d activities, %d written", rep.Dataset, rep.Activities, rep.Written)
	}
	child := rows(t, "MATCH (p:Project {id: 'project:iati-xm-dac-918-3-pg-mig-0001-ne'}) RETURN properties(p) AS p", nil)
	if len(child) != 1 {
		t.Fatalf("the first activity is not project:iati-xm-dac-918-3-pg-mig-0001-ne")
	}
	p := child[0]["p"].(map[string]any)
	for k, want := range map[string]any{
		"iatiIdentifier": "XM-DAC-918-3-PG-MIG-0001-NE",
		"title":          "Protection and assistance for migrants along the Central Mediterranean route in Niger",
		"titleLang":      "en", "status": "IMPLEMENTATION", "scope": "NATIONAL",
		"plannedStart": "2021-01-01", "actualStart": "2021-02-15", "plannedEnd": "2024-12-31",
		"budget": 7500000.5, "budgetCurrency": "EUR", "budgetAsOf": "2022-01-01", "humanitarian": true,
		"hierarchy": int64(2), "lastUpdated": "2024-02-15T12:00:00+01:00", "reportingOrg": "XM-DAC-918-3",
		"description": "Direct assistance, shelter and voluntary return for stranded migrants in Agadez and Niamey.",
	} {
		if got := p[k]; got != want {
			t.Errorf("project %s = %#v, want %#v", k, got, want)
		}
	}
	for k, want := range map[string]string{
		"otherTitles":       "[fr: Protection et assistance aux migrants le long de la route de la Méditerranée centrale au Niger]",
		"sectorCodes":       "[1:15190 1:72010 2:151]",
		"tags":              "[3:10.7]",
		"policyMarkers":     "[1:1:1 1:11:2]",
		"recipientRegions":  "[1:289 (20%)]",
		"relatedActivities": "[2:XM-DAC-918-3-PG-MIG-0001-NE-LOT1]",
		"versions":          "[import:iati/xm-dac-918-3/full-2.03.xml=2024-02-15T12:00:00+01:00]",
	} {
		if got := strings.TrimSpace(strings.ReplaceAll(fmtList(p[k]), "  ", " ")); got != want {
			t.Errorf("project %s = %s, want %s", k, got, want)
		}
	}
	facts := map[string]string{}
	for _, r := range rows(t, "MATCH (a)-[r]-(p:Project {id: 'project:iati-xm-dac-918-3-pg-mig-0001-ne'}) "+
		"RETURN type(r) + ' ' + a.id AS what, r.amount AS amount, r.currency AS currency, r.disbursed AS disbursed, "+
		"r.disbursedCurrency AS dc, r.role AS role, r.share AS share, r.sourceLocators[0] AS locator", nil) {
		facts[r["what"].(string)] = strings.TrimSpace(fmtList([]any{r["amount"], r["currency"], r["disbursed"], r["dc"], r["role"], r["share"]}))
	}
	ngo := one(t, "MATCH (o:Organisation {name: \"Association nigérienne d'aide aux migrants\"}) RETURN o.id AS v", nil).(string)
	if !strings.HasPrefix(ngo, "org:named-association-nigerienne-d-aide-aux-migrants-") {
		t.Errorf("the unresolved NGO is %s; want its name's slug and a hash (the slug drops accents and punctuation)", ngo)
	}
	for what, want := range map[string]string{
		"IMPLEMENTS " + ngo:                             "[<nil> <nil> <nil> <nil> IMPLEMENTING <nil>]",
		"FUNDS org:eu":                                  "[1e+07 EUR 2.50000075e+06 USD <nil> <nil>]",
		"IMPLEMENTS org:ec":                             "[<nil> <nil> <nil> <nil> ACCOUNTABLE <nil>]",
		"IMPLEMENTS org:iom":                            "[<nil> <nil> <nil> <nil> EXTENDING <nil>]",
		"TARGETS country:NE":                            "[<nil> <nil> <nil> <nil> <nil> 80]",
		"ADDRESSES theme:dac-15190":                     "[<nil> <nil> <nil> <nil> <nil> <nil>]",
		"ADDRESSES theme:protection-asylum":             "[<nil> <nil> <nil> <nil> <nil> <nil>]",
		"ADDRESSES theme:dac-151":                       "[<nil> <nil> <nil> <nil> <nil> <nil>]",
		"PART_OF project:iati-xm-dac-918-3-pg-mig-0001": "[<nil> <nil> <nil> <nil> <nil> <nil>]",
	} {
		if got, ok := facts[what]; !ok || got != want {
			t.Errorf("%s: %q (present %v), want %q", what, got, ok, want)
		}
	}
	if len(facts) != 9 {
		t.Errorf("the project has %d relationships, want 9: %v", len(facts), facts)
	}
	// The programme: money on its child, not twice; a participant with only an identifier
	// resolves to the organisation that identifier was given with by name earlier in the file.
	parent := rows(t, "MATCH (o)-[f:FUNDS]->(p:Project {id: 'project:iati-xm-dac-918-3-pg-mig-0001'}) RETURN o.id AS o, f.amount AS a, p.amountsOnChildren AS c", nil)
	if len(parent) != 1 || parent[0]["o"] != "org:eu" || parent[0]["a"] != nil || parent[0]["c"] != true {
		t.Errorf("programme funding = %v, want org:eu with no amount (counted on its child)", parent)
	}
	if n := one(t, "MATCH (t:ThematicArea {id: 'theme:dac-15190'}) WHERE t.name STARTS WITH 'Facilitation of orderly' RETURN count(t) AS v", nil).(int64); n != 1 {
		t.Errorf("theme:dac-15190 is not named after the Sector code list")
	}
	src := rows(t, "MATCH (s:Source {id: $id}) RETURN s.checksum AS sum, s.file AS file, s.publisher AS pub, s.importedAt AS at", map[string]any{"id": rep.Source})
	if len(src) != 1 || src[0]["sum"] != rep.Checksum || src[0]["file"] != "full-2.03.xml" || src[0]["pub"] != "XM-DAC-918-3" || src[0]["at"] != "2026-01-02T03:04:05Z" {
		t.Errorf("file source = %v", src)
	}
	if n := one(t, "MATCH ()-[r]->() WHERE $ds IN r.datasets AND (r.sourceIds <> [$src] OR r.sourceStatuses <> ['VERIFIED'] OR NOT r.sourceLocators[0] STARTS WITH 'XM-DAC-918-3-PG-MIG-0001') RETURN count(r) AS v",
		map[string]any{"ds": rep.Dataset, "src": rep.Source}).(int64); n != 0 {
		t.Errorf("%d imported relationships do not cite the file, VERIFIED, with their activity", n)
	}
}

func fmtList(v any) string {
	items, _ := v.([]any)
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = strings.TrimSpace(strings.ReplaceAll(fmtAny(it), "\n", " "))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func fmtAny(v any) string {
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case float64:
		return strconvFloat(x)
	case string:
		return x
	}
	return strings.TrimSpace(strings.Trim(strings.ReplaceAll(strings.TrimSpace(fmtSprint(v)), "  ", " "), " "))
}

// variant writes a copy of the fixture with some text replaced.
func variant(t *testing.T, name string, replace ...string) string {
	t.Helper()
	b, err := os.ReadFile(repo(t, "internal", "iati", "testdata", "full-2.03.xml"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer(replace...).Replace(string(b))
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestNewerVersionReplacesTheOlder imports an activity from one file, then a newer version from
// another file of the same publisher, then the older file again.
func TestNewerVersionReplacesTheOlder(t *testing.T) {
	st := curatedStore(t)
	ctx := context.Background()
	older := variant(t, "2023.xml", `last-updated-datetime="2024-02-15T12:00:00+01:00"`, `last-updated-datetime="2023-06-01T00:00:00Z"`,
		"Protection and assistance for migrants", "Old title")
	newer := variant(t, "2024.xml", `<recipient-country code="NE" percentage="80">`, `<recipient-country code="NE" percentage="75">`)
	const pid = "project:iati-xm-dac-918-3-pg-mig-0001-ne"
	if _, err := importer.ImportIATIFile(ctx, st, older, fixedNow); err != nil {
		t.Fatal(err)
	}
	rep, err := importer.ImportIATIFile(ctx, st, newer, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	// The programme states no last-updated-datetime and both files the same generated-datetime:
	// the same version, kept from the file that brought it first.
	if rep.Replaced["import:iati/xm-dac-918-3/2023.xml"] != 1 || rep.Skipped != 1 {
		t.Errorf("newer file: replaced %v, skipped %d; want the updated activity replaced and the programme skipped", rep.Replaced, rep.Skipped)
	}
	got := rows(t, "MATCH (p:Project {id: $id})-[t:TARGETS]->(:Country {id: 'country:NE'}) RETURN p.title AS title, p.datasets AS ds, t.share AS share, t.datasets AS tds", map[string]any{"id": pid})
	if len(got) != 1 || !strings.HasPrefix(got[0]["title"].(string), "Protection") || got[0]["share"] != 75.0 ||
		fmtList(got[0]["ds"]) != "[import:iati/xm-dac-918-3/2024.xml]" || fmtList(got[0]["tds"]) != "[import:iati/xm-dac-918-3/2024.xml]" {
		t.Errorf("after the newer file: %v; want its title and share, asserted by it alone", got)
	}
	if n := one(t, "MATCH (c:Claim) WHERE c.dataset STARTS WITH 'import:iati/xm-dac-918-3/' RETURN count(c) AS v", nil).(int64); n != 0 {
		t.Errorf("%d claims between the two versions; a newer version replaces, it does not disagree", n)
	}
	facts := func() string {
		var lines []string
		for _, r := range rows(t, "MATCH (p:Project) WHERE p.id STARTS WITH 'project:iati-xm-dac' OPTIONAL MATCH (p)-[r]-(o) "+
			"RETURN p.id + ' ' + p.title + ' ' + p.dataset + ' ' + coalesce(type(r) + ' ' + o.id + ' ' + r.dataset, '') AS l", nil) {
			lines = append(lines, r["l"].(string))
		}
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	before := facts()
	rep, err = importer.ImportIATIFile(ctx, st, older, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped != 1 || rep.Written != 1 {
		t.Errorf("older file again: %d skipped, %d written; want the replaced activity skipped and the programme kept", rep.Skipped, rep.Written)
	}
	if after := facts(); after != before {
		t.Errorf("importing the older file again changed the projects' facts:\n%s", testenv.DiffLines(before, after))
	}
}

// TestTwoPublishersStateTheSameProject imports the same activities from two publishers: one
// project each, both datasets asserting it, the second's differing values as its claims, and
// each removable without the other.
func TestTwoPublishersStateTheSameProject(t *testing.T) {
	st := curatedStore(t)
	ctx := context.Background()
	first := variant(t, "a.xml")
	second := variant(t, "b.xml", `<reporting-org ref="XM-DAC-918-3" type="40">`, `<reporting-org ref="XM-DAC-47066" type="40">`,
		">4000000<", ">4100000<")
	ra, err := importer.ImportIATIFile(ctx, st, first, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	afterFirst := testenv.GraphDump(t)
	rb, err := importer.ImportIATIFile(ctx, st, second, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if ra.Dataset == rb.Dataset {
		t.Fatalf("both publishers' files became dataset %s", ra.Dataset)
	}
	const pid = "project:iati-xm-dac-918-3-pg-mig-0001-ne"
	got := rows(t, "MATCH (p:Project {id: $id}) OPTIONAL MATCH (p)-[:HAS_CLAIM]->(c:Claim {property: 'budget'}) RETURN p.budget AS b, p.datasets AS ds, c.number AS claimed, c.dataset AS by", map[string]any{"id": pid})
	if len(got) != 1 || got[0]["b"] != 7500000.5 || got[0]["claimed"] != 7600000.5 || got[0]["by"] != rb.Dataset || !strings.Contains(fmtList(got[0]["ds"]), rb.Dataset) {
		t.Errorf("shared project = %v; want the first publisher's budget and the second's as its claim", got)
	}
	if _, err := st.RemoveDataset(ctx, rb.Dataset); err != nil {
		t.Fatal(err)
	}
	if after := testenv.GraphDump(t); after != afterFirst {
		t.Errorf("removing the second publisher's file did not leave the first whole:\n%s", testenv.DiffLines(afterFirst, after))
	}
}

func strconvFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
func fmtSprint(v any) string        { return fmt.Sprint(v) }

// TestBatchedImportMatchesTheAtomicOne imports the fixture in batches of one activity: the graph
// is the one an import in one transaction gives, a second batched import changes nothing, no
// stamp of the batched writes is left, and a new copy's withdrawn facts go.
func TestBatchedImportMatchesTheAtomicOne(t *testing.T) {
	st := curatedStore(t)
	ctx := context.Background()
	fixture := repo(t, "internal", "iati", "testdata", "full-2.03.xml")
	if _, err := importer.ImportIATIFile(ctx, st, fixture, fixedNow); err != nil {
		t.Fatal(err)
	}
	atomic := testenv.GraphDump(t)
	batched := fixedNow
	batched.Batched, batched.ChunkActivities = true, 1
	for run := 1; run <= 2; run++ {
		if _, err := importer.ImportIATIFile(ctx, st, fixture, batched); err != nil {
			t.Fatal(err)
		}
		if got := testenv.GraphDump(t); got != atomic {
			t.Fatalf("batched import %d differs from the atomic one:\n%s", run, testenv.DiffLines(atomic, got))
		}
	}
	if n := one(t, "RETURN COUNT { MATCH (n) WHERE n.stamps IS NOT NULL } + COUNT { MATCH ()-[r]->() WHERE r.stamps IS NOT NULL } AS v", nil).(int64); n != 0 {
		t.Errorf("%d items still carry a batched write's stamp", n)
	}
	// A new copy of the file where IOM no longer takes part: its relationship is withdrawn in
	// batched mode too, and the rest stays.
	b, _ := os.ReadFile(fixture)
	changed := strings.Replace(string(b), `<participating-org ref="XM-DAC-47066" type="40" role="3" activity-id="XM-DAC-47066-NE-2021-01">
      <narrative>International Organization for Migration</narrative>
    </participating-org>`, "", 1)
	if changed == string(b) {
		t.Fatal("the fixture no longer has IOM's participation")
	}
	path := filepath.Join(t.TempDir(), "full-2.03.xml")
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := importer.ImportIATIFile(ctx, st, path, batched); err != nil {
		t.Fatal(err)
	}
	if n := one(t, "MATCH (:Organisation {id: 'org:iom'})-[r:IMPLEMENTS]->(:Project {id: 'project:iati-xm-dac-918-3-pg-mig-0001-ne'}) RETURN count(r) AS v", nil).(int64); n != 0 {
		t.Errorf("IOM's participation, gone from the new copy, is still in the graph")
	}
	if n := one(t, "MATCH (p:Project {id: 'project:iati-xm-dac-918-3-pg-mig-0001-ne'})-[:TARGETS]->(:Country {id: 'country:NE'}) RETURN count(p) AS v", nil).(int64); n != 1 {
		t.Errorf("the activity lost its other facts")
	}
}

// TestEUTFImportNeedsTheCuratedSeed refuses the export on a graph without the Fund's curated
// nodes, saying what to load, and writes nothing.
func TestEUTFImportNeedsTheCuratedSeed(t *testing.T) {
	st := testenv.EmptyStore(t)
	_, err := importer.ImportEUTF(context.Background(), st, repo(t, "seed", "eutf"), fixedNow)
	if err == nil || !strings.Contains(err.Error(), "instrument:eutf-africa") || !strings.Contains(err.Error(), "go run ./seed load") {
		t.Errorf("err = %v, want one naming the missing Fund and the command to load it", err)
	}
	if n := one(t, "MATCH (n:Entity) RETURN count(n) AS v", nil).(int64); n != 0 {
		t.Errorf("%d nodes of the graph written by a refused import", n)
	}
}
