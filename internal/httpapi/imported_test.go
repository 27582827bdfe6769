package httpapi_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestImportedDataThroughTheAPI serves the curated seed with the EUTF export imported, as
// `make run` does, and asks what an analyst would: the Fund's projects by dataset, a contract's
// decision and a decision's contracts, what the IATI publication adds, and the money per country
// counted once, against the totals tools/eutf/totals.py computes from the CSV files.
func TestImportedDataThroughTheAPI(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDefaultGraph(t, st)
	root, _ := testenv.RepoRoot()
	srv := serve(t, st)

	r := query(t, srv, `{
		eutf: projects(first: 1, where: {datasets: ["import:eutf-akvo"]}) { totalCount }
		curated: projects(first: 1, where: {datasets: ["curated"]}) { totalCount }
		contract: project(key: "project:iati-t05-eutf-sah-ne-01-01") {
			datasets hierarchy statusDerived amountsOnChildren
			parent { key hierarchy amountsOnChildren components(first: 5) { totalCount nodes { key } } }
			iati { reportingOrg sectors tags }
			instruments(first: 2) { nodes { key } }
			donors(first: 3) { edges { amount { amount currency } node { key } } }
		}
	}`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %v", r.Errors)
	}
	if n := dig(t, r.Data, "eutf", "totalCount").(float64); n != 640 {
		t.Errorf("projects of the EUTF dataset = %v, want 640", n)
	}
	if n := dig(t, r.Data, "curated", "totalCount").(float64); n < 15 || n > 100 {
		t.Errorf("curated projects = %v", n)
	}
	c := dig(t, r.Data, "contract").(map[string]any)
	if mustJSON(c["datasets"]) != `["import:eutf-akvo"]` || c["hierarchy"] != 2.0 || c["amountsOnChildren"] != false {
		t.Errorf("contract = %s", mustJSON(c))
	}
	parent := c["parent"].(map[string]any)
	if parent["key"] != "project:iati-t05-eutf-sah-ne-01" || parent["amountsOnChildren"] != true ||
		dig(t, parent, "components", "totalCount").(float64) < 1 {
		t.Errorf("the contract's decision = %s", mustJSON(parent))
	}
	if mustJSON(dig(t, c, "instruments", "nodes")) != `[{"key":"instrument:eutf-sahel-lake-chad"}]` {
		t.Errorf("instruments = %s, want the Sahel and Lake Chad window", mustJSON(dig(t, c, "instruments", "nodes")))
	}
	if dig(t, c, "iati", "reportingOrg") != "EU Trust Fund for Africa" {
		t.Errorf("iati = %s", mustJSON(c["iati"]))
	}

	var want struct {
		BudgetPerCountry map[string]float64 `json:"budgetPerCountry"`
	}
	b, _ := os.ReadFile(filepath.Join(root, "internal", "eutf", "testdata", "expected_totals.json"))
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	r = query(t, srv, `{ fundingSummary(groupBy: [COUNTRY], where: {datasets: ["import:eutf-akvo"]}) {
		groups { country { iso2 } currency total } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %v", r.Errors)
	}
	groups := dig(t, r.Data, "fundingSummary", "groups").([]any)
	seen := 0
	for _, g := range groups {
		g := g.(map[string]any)
		country, _ := g["country"].(map[string]any)
		if country == nil || g["currency"] == nil { // no country, or fundings without an amount (co-funders)
			continue
		}
		iso := country["iso2"].(string)
		seen++
		total, err := strconv.ParseFloat(g["total"].(string), 64) // a Decimal string, compared with the file's sums
		if err != nil || g["currency"] != "EUR" || math.Abs(total-want.BudgetPerCountry[iso]) > 0.011 {
			t.Errorf("fundingSummary for %s = %v %v, want %.2f EUR", iso, g["total"], g["currency"], want.BudgetPerCountry[iso])
		}
	}
	if seen == 0 || seen > len(want.BudgetPerCountry) {
		t.Errorf("fundingSummary gave %d countries, the totals %d", seen, len(want.BudgetPerCountry))
	}
}
