package httpapi_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/synthetic"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// statementLog records the names of the statements a store sends.
type statementLog struct {
	mu    sync.Mutex
	names []string
}

func (l *statementLog) observe(_ context.Context, name string) {
	l.mu.Lock()
	l.names = append(l.names, name)
	l.mu.Unlock()
}

func (l *statementLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.names
	l.names = nil
	return out
}

// TestNestedQueryCostsTheSameRoundTripsForAnyNumberOfRows runs the same three-level query
// (countries -> projects -> donors) over a synthetic graph of 10 countries and one of 600 (two-letter
// codes allow 676): the lists below the countries are read in the countries' own statement (one
// subquery per node and level), so both cost one statement, however many rows come back.
func TestNestedQueryCostsTheSameRoundTripsForAnyNumberOfRows(t *testing.T) {
	testenv.EmptyStore(t)
	log := &statementLog{}
	st := store.New(testenv.Driver(t), "neo4j", store.WithStatementObserver(log.observe))
	srv := serve(t, st)

	const q = `{ countries(first: 100) { totalCount edges { node { iso2
	  projects(first: 20) { totalCount edges { share node { title
	    donors(first: 5) { totalCount edges { amount { amount currency } node { name } } } } } } } } } }`
	want := fmt.Sprint([]string{"Query.countries"})
	for _, size := range []synthetic.Size{
		{Countries: 10, Processes: 2, Instruments: 10, Organisations: 20, Projects: 100, Themes: 3},
		{Countries: 600, Processes: 5, Instruments: 50, Organisations: 200, Projects: 3000, Themes: 5},
	} {
		d, err := synthetic.Generate(size, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.ReplaceGraphInBatches(context.Background(), store.DatasetSynthetic, d, 5000); err != nil {
			t.Fatal(err)
		}
		log.take()
		out := query(t, srv, q, nil)
		if len(out.Errors) > 0 {
			t.Fatalf("%d countries: %v", size.Countries, out.Errors)
		}
		sent := fmt.Sprint(log.take())
		if total := dig(t, out.Data, "countries", "totalCount"); total != float64(size.Countries) {
			t.Fatalf("totalCount = %v, want %d", total, size.Countries)
		}
		projects, donors := 0, 0
		for _, c := range dig(t, out.Data, "countries", "edges").([]any) {
			for _, p := range dig(t, c, "node", "projects", "edges").([]any) {
				projects++
				donors += len(dig(t, p, "node", "donors", "edges").([]any))
			}
		}
		if projects == 0 || donors == 0 {
			t.Fatalf("%d countries: %d projects and %d donors returned; the query must reach every level", size.Countries, projects, donors)
		}
		if sent != want {
			t.Errorf("%d countries (%d projects, %d donors returned) sent %s, want %s", size.Countries, projects, donors, sent, want)
		}
		t.Logf("%d countries: %d project and %d donor edges returned with statements %s", size.Countries, projects, donors, sent)
	}
}

// A nested list that the store refuses (here, a forged cursor) fails at its own path, as it would
// if it had been read by a statement of its own: the list above it, which would have read it in
// its own statement, is read again without it. (The nested list cannot be null, so GraphQL's null
// propagation then empties the countries too.)
func TestANestedListThatFailsIsReportedAtItsOwnPath(t *testing.T) {
	testenv.EmptyStore(t)
	st := store.New(testenv.Driver(t), "neo4j")
	testenv.LoadDataset(t, st, "seed/data")
	srv := serve(t, st)

	out := query(t, srv, `{ countries(first: 2) { nodes { key projects(first: 2, after: "forged") { nodes { key } } } } }`, nil)
	if len(out.Errors) == 0 {
		t.Fatalf("the forged cursor was accepted: %v", out.Data)
	}
	for _, e := range out.Errors {
		path := fmt.Sprint(e.Path)
		if e.Extensions["code"] != "BAD_USER_INPUT" || (path != "[countries nodes 0 projects]" && path != "[countries nodes 1 projects]") {
			t.Errorf("error %+v, want BAD_USER_INPUT at countries.nodes.N.projects", e)
		}
	}
}
