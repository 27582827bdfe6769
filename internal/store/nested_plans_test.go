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
	// A page and one more per parent.
	cutPerParent(t, cypher, params, int64(len(parents)*(five+1)))
}

// cutPerParent profiles a page statement and checks that nothing sorts a whole list and that its
// Tops (per parent, and of the root page) produce at least one row and at most most.
func cutPerParent(t *testing.T, cypher string, params map[string]any, most int64) {
	t.Helper()
	rows := profiled(t, cypher, params)
	t.Logf("rows per operator: %v", rows)
	if rows["Sort"] > 0 {
		t.Errorf("a whole list is sorted: %v", rows)
	}
	if tops := rows["Top"] + rows["PartialTop"]; rows["Top"] == 0 || tops > most {
		t.Errorf("Top produced %d rows (PartialTop %d), want 1 to %d: %v", rows["Top"], rows["PartialTop"], most, rows)
	}
}

// A list nested in a page's statement is cut per parent inside its subquery (a Top per parent
// of at most limit+1 rows, none for the row read past the page): nothing sorts or collects a
// parent's whole list, at any level.
func TestNestedListsAreCutPerParentInsideTheStatement(t *testing.T) {
	syntheticStore(t, 2000, 100, 20)
	replan(t)
	three, five := 3, 5
	req := store.ListRequest{OrderBy: []any{map[string]any{"field": "NAME"}}, Page: store.PageRequest{First: &three},
		Nested: []store.NestedList{{Name: "Country.projects", Request: store.ListRequest{
			OrderBy: []any{map[string]any{"field": "TITLE"}}, Page: store.PageRequest{First: &five},
			Nested: []store.NestedList{{Name: "Project.donors", Request: store.ListRequest{Page: store.PageRequest{First: &three}}}},
		}}}}
	cypher, params, err := store.PageStatement("Query.countries", req, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The root page (4 rows), 3 countries x 6 projects, 15 projects x 4 donors at most.
	cutPerParent(t, cypher, params, 4+3*6+15*4)
}
