package httpapi_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/synthetic"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// A nested list of a root list that selects totalCount alone is counted in the root page's own
// statement (one statement in all), and gives the totals the nested list's own statement gives
// when the query asks for more than the count. With a filter it keeps its own statement.
func TestNestedCountsComeWithTheRootPage(t *testing.T) {
	testenv.EmptyStore(t)
	log := &statementLog{}
	st := store.New(testenv.Driver(t), "neo4j", store.WithStatementObserver(log.observe))
	srv := serve(t, st)
	d, err := synthetic.Generate(synthetic.Size{Countries: 30, Processes: 2, Instruments: 10, Organisations: 20, Projects: 300, Themes: 3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ReplaceGraphInBatches(context.Background(), store.DatasetSynthetic, d, 5000); err != nil {
		t.Fatal(err)
	}
	totals := func(q string, wantStatements []string) map[string]any {
		t.Helper()
		log.take()
		out := query(t, srv, q, nil)
		if len(out.Errors) > 0 {
			t.Fatalf("%s: %v", q, out.Errors)
		}
		if sent := fmt.Sprint(log.take()); sent != fmt.Sprint(wantStatements) {
			t.Errorf("%s sent %s, want %s", q, sent, wantStatements)
		}
		m := map[string]any{}
		for _, n := range dig(t, out.Data, "countries", "nodes").([]any) {
			m[dig(t, n, "key").(string)] = dig(t, n, "projects", "totalCount")
		}
		return m
	}
	folded := totals(`{ countries(first: 30, orderBy: [{field: PROJECT_COUNT, direction: DESC}]) { nodes { key projects(first: 1) { totalCount } } } }`,
		[]string{"Query.countries"})
	// With a page, the list is read in the countries' statement too, by a subquery per country.
	apart := totals(`{ countries(first: 30, orderBy: [{field: PROJECT_COUNT, direction: DESC}]) { nodes { key projects(first: 1) { totalCount nodes { key } } } } }`,
		[]string{"Query.countries"})
	if len(folded) != 30 || fmt.Sprint(folded) != fmt.Sprint(apart) {
		t.Errorf("totals counted with the page %v, by their own statement %v", folded, apart)
	}
	some := 0
	for _, v := range folded {
		if v.(float64) > 0 {
			some++
		}
	}
	if some == 0 {
		t.Errorf("no country has projects: %v", folded)
	}
	filtered := totals(`{ countries(first: 30) { nodes { key projects(first: 1, where: {status: [IMPLEMENTATION]}) { totalCount } } } }`,
		[]string{"Query.countries"})
	filteredApart := totals(`{ countries(first: 30) { nodes { key projects(first: 1, where: {status: [IMPLEMENTATION]}) { totalCount nodes { key } } } } }`,
		[]string{"Query.countries"})
	if len(filtered) != 30 || fmt.Sprint(filtered) != fmt.Sprint(filteredApart) {
		t.Errorf("filtered totals alone %v, with a page %v", filtered, filteredApart)
	}
}
