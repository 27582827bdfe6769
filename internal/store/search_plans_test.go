package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// planText is the text of the plan Neo4j makes for a statement (every operator with its
// expressions).
func planText(t *testing.T, cypher string, params map[string]any) string {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), "EXPLAIN "+cypher, params, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatalf("%v\n%s", err, cypher)
	}
	text, _ := res.Summary.Plan().Arguments()["string-representation"].(string)
	if text == "" {
		t.Fatal("Neo4j sent no plan text")
	}
	return text
}

// Search reads its hits from the full-text index and ranks them by comparing the stored name
// keys: no regular expression, no normalisation of names per hit, no scan of a label; and the
// ranking puts the exact name first, then the names it starts, then the rest.
func TestSearchRanksByNameKeys(t *testing.T) {
	st := syntheticStore(t, 2000, 100, 20)
	replan(t)
	five := 5
	for _, withTotal := range []bool{false, true} {
		cypher, params, err := store.SearchStatement("Project 00100", []string{store.KindProject}, store.PageRequest{First: &five}, withTotal)
		if err != nil {
			t.Fatal(err)
		}
		plan := planText(t, cypher, params)
		for _, bad := range []string{"=~", "normalize(", "NodeByLabelScan", "AllNodesScan"} {
			if strings.Contains(plan, bad) {
				t.Errorf("total %v: plan has %s: %s", withTotal, bad, plan)
			}
		}
		if !strings.Contains(plan, "STARTS WITH") || !strings.Contains(plan, "ProcedureCall") {
			t.Errorf("total %v: plan does not rank by name-key prefixes of the full-text hits: %s", withTotal, plan)
		}
	}
	// "project 001000" is one title exactly and starts none; "project 00100" starts ten
	// (001000 to 001009), and the fuzzy and prefix words find more that it does not start.
	page, err := st.Search(context.Background(), "PROJECT-001000", []string{store.KindProject}, store.PageRequest{First: &five}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Edges) == 0 || page.Edges[0].Node.(*model.Project).Key != "project:syn-001000" {
		t.Fatalf("search for a title: want project:syn-001000 first, have %v", keysOf(page))
	}
	twenty := 20
	page, err = st.Search(context.Background(), "project 00100", []string{store.KindProject}, store.PageRequest{First: &twenty}, true)
	if err != nil {
		t.Fatal(err)
	}
	keys := keysOf(page)
	if len(keys) < 10 {
		t.Fatalf("search for a title prefix: %v", keys)
	}
	for i, k := range keys[:10] {
		if want := "project:syn-00100" + string(rune('0'+i)); k != want {
			t.Errorf("hit %d is %s, want %s (the titles it starts come first, by key at equal score)", i, k, want)
		}
	}
}

func keysOf(p *store.Page) []string {
	var keys []string
	for _, e := range p.Edges {
		keys = append(keys, e.Node.(*model.Project).Key)
	}
	return keys
}

// Migration 10 gives the nodes written before it their name keys: with the keys taken away and
// the migration forgotten, migrating again writes them back as the writes do.
func TestMigrationFillsInNameKeys(t *testing.T) {
	st := syntheticStore(t, 50, 10, 5)
	ctx := context.Background()
	driver := testenv.Driver(t)
	run := func(cypher string) []*neo4j.Record {
		t.Helper()
		res, err := neo4j.ExecuteQuery(ctx, driver, cypher, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		return res.Records
	}
	const keyed = "MATCH (n:Project {id: 'project:syn-000001'}) RETURN n.nameKeys AS keys"
	written, _ := run(keyed)[0].Get("keys")
	if !slices.Equal(stringsOf(written), []string{"project 000001"}) {
		t.Fatalf("a written project's name keys: %v", written)
	}
	run("MATCH (n:Entity) REMOVE n.nameKeys")
	run("MATCH (m:SchemaMigration {version: 10}) DELETE m")
	applied, err := st.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(applied, []int{10}) {
		t.Errorf("applied %v, want [10]", applied)
	}
	filled, _ := run(keyed)[0].Get("keys")
	if !slices.Equal(stringsOf(filled), []string{"project 000001"}) {
		t.Errorf("name keys after the migration: %v", filled)
	}
	missing, _ := run("MATCH (n:Entity) WHERE (n.name IS NOT NULL OR n.title IS NOT NULL) AND n.nameKeys IS NULL RETURN count(n) AS n")[0].Get("n")
	if missing != int64(0) {
		t.Errorf("%v named nodes without name keys after the migration", missing)
	}
}

func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}

// A funding summary of donors named by key starts from them (a seek in the id index, no scan of
// organisations or projects), and counts regional projects, which expands every funded project's
// targets, only when they are asked for.
func TestFundingSummaryStartsFromNamedDonors(t *testing.T) {
	syntheticStore(t, 2000, 100, 20)
	replan(t)
	donors := []any{"org:syn-00001", "org:syn-00002", "org:syn-00003"}
	for _, withoutRegional := range []bool{true, false} {
		groups, totals, groupParams, totalParams, err := store.FundingStatements(store.FundingQuery{GroupBy: []string{store.DimDonor},
			DonorWhere: map[string]any{"keys": donors}, OrderBy: "KEYS", First: 100, WithoutRegional: withoutRegional})
		if err != nil {
			t.Fatal(err)
		}
		for name, s := range map[string]struct {
			cypher string
			params map[string]any
		}{"groups": {groups, groupParams}, "totals": {totals, totalParams}} {
			rows := profiled(t, s.cypher, s.params)
			if rows["NodeUniqueIndexSeek"] == 0 || rows["NodeByLabelScan"] > 0 || rows["AllNodesScan"] > 0 {
				t.Errorf("%s (without regional %v): want a seek of the donors, no scan: %v", name, withoutRegional, rows)
			}
		}
		if regional := strings.Contains(planText(t, groups, groupParams), "TARGETS"); regional == withoutRegional {
			t.Errorf("without regional %v: the groups' plan expands TARGETS: %v", withoutRegional, regional)
		}
	}
}
