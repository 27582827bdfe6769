package store_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// citationsByScan lists the citations of a source as a scan of every node and relationship
// finds them, "key@locator" sorted: what Source.supports must give through its indexes.
func citationsByScan(t *testing.T, source string) []string {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), `
		MATCH (n:Entity) WHERE $source IN n.sourceIds
		UNWIND [i IN range(0, size(n.sourceIds) - 1) WHERE n.sourceIds[i] = $source] AS i
		RETURN n.id + '@' + coalesce(n.sourceLocators[i], '') AS citation
		UNION ALL
		MATCH (a)-[r]->(b) WHERE $source IN r.sourceIds
		UNWIND [i IN range(0, size(r.sourceIds) - 1) WHERE r.sourceIds[i] = $source] AS i
		RETURN type(r) + ' ' + a.id + ' ' + b.id + '@' + coalesce(r.sourceLocators[i], '') AS citation`,
		map[string]any{"source": source}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range res.Records {
		c, _ := r.Get("citation")
		out = append(out, c.(string))
	}
	sort.Strings(out)
	return out
}

// Source.supports pages through exactly the citations a scan of the whole graph finds, nodes
// first, in a stable order, with counts; pages of several sources come from one statement.
func TestSupportsFindsEveryCitation(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "seed/data")
	ctx := context.Background()
	sources := []string{"source:seed-004", "source:rabat-process", "source:iso-3166", "source:iati-codelists"}
	for _, source := range sources {
		want := citationsByScan(t, source)
		var got []string
		seenRelationship := false
		var after *string
		for pages := 0; ; pages++ {
			first := 7
			byKey, err := st.Supports(ctx, sources, store.PageRequest{First: &first, After: after}, true)
			if err != nil {
				t.Fatal(err)
			}
			p := byKey[source]
			if p == nil {
				t.Fatalf("%s: no page", source)
			}
			if p.Total != len(want) {
				t.Errorf("%s: totalCount %d, a scan finds %d", source, p.Total, len(want))
			}
			for _, e := range p.Edges {
				loc := ""
				if e.Locator != nil {
					loc = *e.Locator
				}
				switch {
				case e.NodeKey != nil && e.Relationship == nil:
					if seenRelationship {
						t.Errorf("%s: node %s after a relationship", source, *e.NodeKey)
					}
					got = append(got, *e.NodeKey+"@"+loc)
				case e.NodeKey == nil && e.Relationship != nil:
					seenRelationship = true
					got = append(got, fmt.Sprintf("%s %s %s@%s", e.Relationship.Type, e.Relationship.FromKey, e.Relationship.ToKey, loc))
				default:
					t.Errorf("%s: an edge must be a node or a relationship: %+v", source, e)
				}
			}
			if !p.HasNext {
				break
			}
			if pages > 100 {
				t.Fatalf("%s: pages never end", source)
			}
			after = &p.Edges[len(p.Edges)-1].Cursor
		}
		sort.Strings(got)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: supports gives\n%v\na scan finds\n%v", source, got, want)
		}
	}
	if len(citationsByScan(t, "source:seed-004")) < 20 {
		t.Fatal("the curated seed cites source:seed-004 less than the test assumes")
	}
}

// The citations are found through the two citation indexes: no scan of every node, label or
// relationship, whatever the size of the graph.
func TestSupportsPlanReadsTheCitationIndexes(t *testing.T) {
	testenv.EmptyStore(t)
	replan(t)
	first := 20
	for _, withTotal := range []bool{false, true} {
		cypher, params, err := store.SupportsStatement([]string{"source:seed-004"}, store.PageRequest{First: &first}, withTotal)
		if err != nil {
			t.Fatal(err)
		}
		res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), "EXPLAIN "+cypher, params, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		plan, _ := res.Summary.Plan().Arguments()["string-representation"].(string)
		for _, scan := range []string{"AllNodesScan", "NodeByLabelScan", "AllRelationshipsScan", "RelationshipTypeScan", "CartesianProduct"} {
			if strings.Contains(plan, scan) {
				t.Errorf("withTotal %v: plan has %s:\n%s", withTotal, scan, plan)
			}
		}
		if !strings.Contains(plan, "db.index.fulltext.queryNodes") || !strings.Contains(plan, "db.index.fulltext.queryRelationships") {
			t.Errorf("withTotal %v: plan reads no citation index:\n%s", withTotal, plan)
		}
	}
}
