package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

// pageSummary writes what a page answers (each edge's node key, cursor, relationship version and
// amounts, then the count and the page info), so that two reads of it compare.
func pageSummary(p *store.Page) string {
	var b strings.Builder
	for _, e := range p.Edges {
		key := reflect.ValueOf(e.Node).Elem().FieldByName("Key").String()
		fmt.Fprintf(&b, "%s %s %s share=%v amount=%v|", key, e.Cursor(), e.Version, ptr(e.Share), e.Amount)
	}
	fmt.Fprintf(&b, "total=%d next=%v previous=%v", p.Total, p.HasNext, p.HasPrevious)
	return b.String()
}

func ptr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// Lists nested in a page's statement answer exactly what the same lists answer in statements of
// their own, at every level: filtered, sorted, counted, paged backwards and from a cursor.
func TestNestedListsAnswerWhatTheirOwnStatementsAnswer(t *testing.T) {
	st := syntheticStore(t, 600, 40, 12)
	ctx := context.Background()
	ten, three, two := 10, 3, 2
	donors := store.ListRequest{Page: store.PageRequest{First: &three}, WithTotal: true}
	funds := store.ListRequest{OrderBy: []any{map[string]any{"field": "TITLE", "direction": "DESC"}}, Page: store.PageRequest{Last: &two}}
	themes := store.ListRequest{Where: map[string]any{"name": map[string]any{"contains": "1"}}, Page: store.PageRequest{First: &two}, WithTotal: true}
	countOnly := store.ListRequest{Page: store.PageRequest{First: &two}, WithTotal: true, CountOnly: true}
	projects := store.ListRequest{
		Where:   map[string]any{"status": []any{"IMPLEMENTATION", "CLOSED"}},
		OrderBy: []any{map[string]any{"field": "TITLE"}}, Page: store.PageRequest{First: &ten}, WithTotal: true,
	}
	withDonors := donors
	withDonors.Nested = []store.NestedList{{Name: "Organisation.funds", Request: funds}}
	nestedProjects := projects
	nestedProjects.Nested = []store.NestedList{
		{Name: "Project.donors", Request: withDonors},
		{Name: "Project.themes", Request: themes},
		{Name: "Project.countries", Request: countOnly},
	}
	five := 5
	root := store.ListRequest{OrderBy: []any{map[string]any{"field": "NAME"}}, Page: store.PageRequest{First: &five},
		Nested: []store.NestedList{{Name: "Country.projects", Request: nestedProjects}}}
	page, err := st.List(ctx, "Query.countries", root)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Edges) != 5 || len(page.Nested) != 1 {
		t.Fatalf("root page: %d edges, %d nested lists", len(page.Edges), len(page.Nested))
	}
	// Level by level: the pages read apart, for the same parents, must equal the nested ones.
	compare := func(level, name string, req store.ListRequest, nested map[string]*store.Page) {
		t.Helper()
		keys := make([]string, 0, len(nested))
		for k := range nested {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		apart, err := st.Related(ctx, name, req, keys)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if got, want := pageSummary(nested[k]), pageSummary(apart[k]); got != want {
				t.Errorf("%s %s of %s:\n nested %s\n apart  %s", level, name, k, got, want)
			}
		}
	}
	countries := page.Nested[0]
	if len(countries) != 5 {
		t.Fatalf("projects of %d countries, want 5", len(countries))
	}
	compare("level 1", "Country.projects", projects, countries)
	below := func(pages map[string]*store.Page, i int) map[string]*store.Page {
		out := map[string]*store.Page{}
		for _, p := range pages {
			if i < len(p.Nested) {
				for k, np := range p.Nested[i] {
					out[k] = np
				}
			}
		}
		return out
	}
	projectDonors, projectThemes, projectCountries := below(countries, 0), below(countries, 1), below(countries, 2)
	if len(projectDonors) < 20 {
		t.Fatalf("donors of %d projects, want those of every project of the pages", len(projectDonors))
	}
	compare("level 2", "Project.donors", donors, projectDonors)
	compare("level 2", "Project.themes", themes, projectThemes)
	compare("level 2", "Project.countries", countOnly, projectCountries)
	donorFunds := below(projectDonors, 0)
	if len(donorFunds) == 0 {
		t.Fatal("no funds read below the donors")
	}
	compare("level 3", "Organisation.funds", funds, donorFunds)
	counted := 0
	for _, p := range projectCountries {
		if len(p.Edges) != 0 {
			t.Errorf("a count alone came with edges: %s", pageSummary(p))
		}
		counted += p.Total
	}
	if counted == 0 {
		t.Error("no project has a country counted")
	}

	// From a cursor: the next page of a nested list answers what its own statement answers.
	var parent string
	for k, p := range countries {
		if p.HasNext {
			parent = k
			break
		}
	}
	if parent == "" {
		t.Fatal("no country has a second page of projects")
	}
	next := projects
	after := countries[parent].Edges[len(countries[parent].Edges)-1].Cursor()
	next.Page.After = &after
	nestedNext := next
	nestedNext.Nested = nestedProjects.Nested
	got, err := st.Related(ctx, "Country.projects", nestedNext, []string{parent})
	if err != nil {
		t.Fatal(err)
	}
	compare("after a cursor", "Country.projects", next, got)
	compare("after a cursor, level 2", "Project.donors", donors, below(got, 0))
}
