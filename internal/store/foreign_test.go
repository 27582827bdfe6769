package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/synthetic"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// cypher runs one statement on the test Neo4j (test scaffolding: the store writes only datasets).
func cypher(t *testing.T, q string) int64 {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), q, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if len(res.Records) == 0 {
		return 0
	}
	n, _ := res.Records[0].Get("n")
	c, _ := n.(int64)
	return c
}

// TestLoaderNeverDeletesDataItDidNotLoad puts nodes the loader did not write into the graph and
// loads the curated seed: a node of another application (none of the graph's labels) stays and
// the load goes on; a node of the graph's labels without a dataset, or of a dataset the store does
// not know, makes the load refuse, with a clear error, and stays too.
func TestLoaderNeverDeletesDataItDidNotLoad(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	d := curated(t)

	cypher(t, "CREATE (:Person {name: 'Ada', id: 'person:ada'})-[:KNOWS]->(:Person {name: 'Bob'})")
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, d); err != nil {
		t.Fatalf("load next to another application's nodes: %v", err)
	}
	if n := cypher(t, "MATCH (:Person)-[:KNOWS]->(:Person) RETURN count(*) AS n"); n != 1 {
		t.Errorf("the other application's nodes are gone after the load: %d pairs left", n)
	}
	if n, _, _ := st.DatasetCounts(ctx, store.DatasetCurated); n != len(d.Nodes) {
		t.Errorf("curated nodes = %d, want %d", n, len(d.Nodes))
	}

	for _, c := range []struct{ create, count, says string }{
		{"CREATE (:Entity:Country {id: 'country:foreign-1', name: 'Foreign'})",
			"MATCH (n:Country {id: 'country:foreign-1'}) RETURN count(n) AS n", `1 node without a dataset property (such as "country:foreign-1")`},
		{"CREATE (:Project {id: 'project:foreign-2', title: 'No Entity label'})",
			"MATCH (n:Project {id: 'project:foreign-2'}) RETURN count(n) AS n", `1 node without a dataset property (such as "project:foreign-2")`},
		{"CREATE (:Entity:Organisation {id: 'org:foreign-3', dataset: 'publisher-x'})",
			"MATCH (n:Organisation {id: 'org:foreign-3'}) RETURN count(n) AS n", `1 node of dataset "publisher-x"`},
	} {
		cypher(t, c.create)
		_, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, d)
		var foreign *store.ForeignDataError
		if !errors.As(err, &foreign) || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), "never deletes data it did not load") {
			t.Errorf("after %s: load gave %v, want a ForeignDataError saying %q", c.create, err, c.says)
		}
		if n := cypher(t, c.count); n != 1 {
			t.Errorf("after %s and a load, %d such nodes are left, want 1", c.create, n)
		}
		syn, err := synthetic.Generate(synthetic.Size{Countries: 3, Processes: 1, Instruments: 1, Organisations: 2, Projects: 5, Themes: 1}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.ReplaceGraphInBatches(ctx, store.DatasetSynthetic, syn, 100); !errors.As(err, &foreign) {
			t.Errorf("after %s: generating gave %v, want a ForeignDataError", c.create, err)
		}
		if n := cypher(t, c.count); n != 1 {
			t.Errorf("after %s and generating, %d such nodes are left, want 1", c.create, n)
		}
		// Refused before any write: the curated dataset is still whole.
		if n, _, _ := st.DatasetCounts(ctx, store.DatasetCurated); n != len(d.Nodes) {
			t.Errorf("after %s: curated nodes = %d, want %d", c.create, n, len(d.Nodes))
		}
		cypher(t, "MATCH (n) WHERE n.id STARTS WITH 'country:foreign' OR n.id STARTS WITH 'project:foreign' OR n.id STARTS WITH 'org:foreign' DETACH DELETE n")
	}
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, d); err != nil {
		t.Errorf("load once the foreign nodes are removed: %v", err)
	}
}
