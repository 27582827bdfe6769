package httpapi_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestNestedQueryCostsTheSameRoundTripsForAnyNumberOfRows checks that a three-level query
// (countries -> projects -> donors) sends the same statements whether it returns the countries
// of one region or all of them, each at most twice: the batch loaders close a batch when the
// burst of sibling keys is over, so a scheduling pause can split one batch in two, but the count
// never grows with the rows (one statement per row would be hundreds).
func TestNestedQueryCostsTheSameRoundTripsForAnyNumberOfRows(t *testing.T) {
	testenv.EmptyStore(t)
	var mu sync.Mutex
	var sent []string
	st := store.New(testenv.Driver(t), "neo4j", store.WithStatementObserver(func(_ context.Context, name string) {
		mu.Lock()
		sent = append(sent, name)
		mu.Unlock()
	}))
	testenv.LoadDataset(t, st, "seed/data")
	srv := serve(t, st)

	const q = `query($region: String) { countries(region: $region, first: 300) { name projects { share project { title
	  donors { amount { amount } donor { name } } countries { country { iso2 } } } } } }`
	var kinds []string
	var totals, rows []int
	// Asia holds Bangladesh, whose projects have donors and targets, so every level has rows.
	for _, region := range []any{"Asia", nil} {
		mu.Lock()
		sent = nil
		mu.Unlock()
		out := query(t, srv, q, map[string]any{"region": region})
		if len(out.Errors) > 0 {
			t.Fatalf("region %v: %v", region, out.Errors)
		}
		rows = append(rows, len(out.Data["countries"].([]any)))
		mu.Lock()
		names := append([]string(nil), sent...)
		mu.Unlock()
		sort.Strings(names)
		totals = append(totals, len(names))
		kinds = append(kinds, fmt.Sprint(distinct(names)))
	}
	if rows[1] < 5*rows[0] {
		t.Fatalf("want many more countries in all regions than in Asia; got %d and %d", rows[0], rows[1])
	}
	if kinds[0] != kinds[1] {
		t.Errorf("statements differ with the number of rows:\n  %d countries: %s\n  %d countries: %s", rows[0], kinds[0], rows[1], kinds[1])
	}
	// countries, targets_by_country, nodes_by_id (projects), fundings_by_project, targets_by_project,
	// nodes_by_id (donors and countries): at most 2 x 6.
	for i, n := range totals {
		if n > 12 {
			t.Errorf("%d countries cost %d round trips, want at most 12", rows[i], n)
		}
	}
	t.Logf("round trips for %d and %d countries: %v; statements %s", rows[0], rows[1], totals, kinds[1])
}

func distinct(sorted []string) []string {
	var out []string
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
