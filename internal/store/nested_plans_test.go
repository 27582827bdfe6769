package store_test

import (
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

// A nested page sorted by title is cut per parent inside its subquery (a Top per parent of
// limit+1 rows): what leaves the subquery is at most a page per parent, whatever each parent's
// list holds. The parent's list itself is expanded once (no index orders a node's
// relationships), and nothing sorts or collects the whole of it.
func TestNestedPagesAreCutPerParent(t *testing.T) {
	syntheticStore(t, 2000, 100, 20)
	replan(t)
	five := 5
	parents := []string{"country:syn-AA", "country:syn-AB", "country:syn-AC"}
	cypher, params, err := store.PageStatement("Country.projects", store.ListRequest{
		OrderBy: []any{map[string]any{"field": "TITLE"}}, Page: store.PageRequest{First: &five},
	}, parents)
	if err != nil {
		t.Fatal(err)
	}
	rows := profiled(t, cypher, params)
	t.Logf("rows per operator: %v", rows)
	if rows["Sort"] > 0 {
		t.Errorf("a whole list is sorted: %v", rows)
	}
	if rows["Top"] == 0 || rows["Top"] > int64(len(parents)*(five+1)) {
		t.Errorf("Top produced %d rows, want 1 to %d (a page and one more per parent): %v", rows["Top"], len(parents)*(five+1), rows)
	}
}
