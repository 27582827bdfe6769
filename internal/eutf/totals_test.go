package eutf

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/iati"
)

const exportDir = "../../seed/eutf"

// expectedTotals is the output of tools/eutf/totals.py, which computes it from the CSV files
// without this package.
type expectedTotals struct {
	Activities                  int                           `json:"activities"`
	Decisions                   int                           `json:"decisions"`
	Contracts                   int                           `json:"contracts"`
	Identifiers                 int                           `json:"identifiers"`
	ActivitiesPerCountry        map[string]int                `json:"activitiesPerCountry"`
	CountedActivities           int                           `json:"countedActivities"`
	BudgetTotal                 float64                       `json:"budgetTotal"`
	BudgetPerCountry            map[string]float64            `json:"budgetPerCountry"`
	BudgetPerCountryAndPriority map[string]map[string]float64 `json:"budgetPerCountryAndPriority"`
}

// countedOnce applies the rule of seed/eutf/README.md to the activities: a contract counts, and
// so does a decision with no contract under it.
func countedOnce(activities []iati.Activity) []iati.Activity {
	level := map[string]int{}
	for _, a := range activities {
		level[a.Identifier] = a.Hierarchy
	}
	hasContract := map[string]bool{}
	for _, a := range activities {
		for _, rel := range a.Related {
			switch {
			case a.Hierarchy == contractLevel && rel.Type == "1" && level[rel.Ref] == decisionLevel:
				hasContract[rel.Ref] = true
			case a.Hierarchy == decisionLevel && rel.Type == "2" && level[rel.Ref] == contractLevel:
				hasContract[a.Identifier] = true
			}
		}
	}
	var counted []iati.Activity
	for _, a := range activities {
		if a.Hierarchy == contractLevel || a.Hierarchy == decisionLevel && !hasContract[a.Identifier] {
			counted = append(counted, a)
		}
	}
	return counted
}

func budgetOf(a iati.Activity) float64 {
	total := 0.0
	for _, b := range a.Budgets {
		total += b.Value.Amount
	}
	return total
}

func prioritiesOf(a iati.Activity) []string {
	var out []string
	for _, t := range a.Tags {
		if _, ok := PriorityAreas[t.Code]; ok && t.Vocabulary == ownVocabulary {
			out = append(out, t.Code)
		}
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

func sameAmount(a, b float64) bool { return math.Abs(a-b) < 0.01 }

// TestTotalsMatchTheIndependentCount proves the reader loses nothing: what it hands out adds up
// to what the script counts straight from the files.
func TestTotalsMatchTheIndependentCount(t *testing.T) {
	b, err := os.ReadFile("testdata/expected_totals.json")
	if err != nil {
		t.Fatal(err)
	}
	var want expectedTotals
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	res, err := Read(exportDir)
	if err != nil {
		t.Fatal(err)
	}

	if len(res.Activities) != want.Identifiers {
		t.Errorf("%d activities, want one per identifier: %d", len(res.Activities), want.Identifiers)
	}
	got := expectedTotals{
		ActivitiesPerCountry:        map[string]int{},
		BudgetPerCountry:            map[string]float64{},
		BudgetPerCountryAndPriority: map[string]map[string]float64{},
	}
	for _, a := range res.Activities {
		if a.Hierarchy == decisionLevel || a.Hierarchy == contractLevel {
			for _, c := range a.Countries {
				got.ActivitiesPerCountry[c.Code]++
			}
		}
	}
	counted := countedOnce(res.Activities)
	got.CountedActivities = len(counted)
	for _, a := range counted {
		budget := budgetOf(a)
		got.BudgetTotal += budget
		for _, c := range a.Countries {
			got.BudgetPerCountry[c.Code] += budget
			if got.BudgetPerCountryAndPriority[c.Code] == nil {
				got.BudgetPerCountryAndPriority[c.Code] = map[string]float64{}
			}
			for _, p := range prioritiesOf(a) {
				got.BudgetPerCountryAndPriority[c.Code][p] += budget
			}
		}
	}

	if got.CountedActivities != want.CountedActivities {
		t.Errorf("counted activities %d, want %d", got.CountedActivities, want.CountedActivities)
	}
	if !sameAmount(got.BudgetTotal, want.BudgetTotal) {
		t.Errorf("budget total %.2f, want %.2f", got.BudgetTotal, want.BudgetTotal)
	}
	compareCounts(t, "activities per country", got.ActivitiesPerCountry, want.ActivitiesPerCountry)
	compareAmounts(t, "budget per country", got.BudgetPerCountry, want.BudgetPerCountry)
	for code := range union(got.BudgetPerCountryAndPriority, want.BudgetPerCountryAndPriority) {
		compareAmounts(t, "budget of "+code+" per priority", got.BudgetPerCountryAndPriority[code], want.BudgetPerCountryAndPriority[code])
	}
}

func union[V any](a, b map[string]V) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

func compareCounts(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	for k := range union(got, want) {
		if got[k] != want[k] {
			t.Errorf("%s: %s is %d, want %d", what, k, got[k], want[k])
		}
	}
}

func compareAmounts(t *testing.T, what string, got, want map[string]float64) {
	t.Helper()
	for k := range union(got, want) {
		g, gok := got[k]
		w, wok := want[k]
		if gok != wok || !sameAmount(g, w) {
			t.Errorf("%s: %s is %.2f (present %v), want %.2f (present %v)", what, k, g, gok, w, wok)
		}
	}
}
