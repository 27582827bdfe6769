package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// analysisParams gives every parameter any analysis statement uses a value of the right type.
var analysisParams = map[string]any{
	"countries": []string{"country:SN"}, "country": "country:SN", "theme": "theme:x", "process": "process:x",
	"donor": "org:x", "instrument": "instrument:x", "nationalOnly": false, "includeEU": false, "viaProcesses": true,
	"from": "2020-01-01", "to": "2021-01-01", "donors": []string{"org:x"}, "frontier": []string{"country:SN"},
	"visited": []string{"country:SN"}, "keys": []string{"country:SN"}, "types": []string{"TARGETS"}, "room": int64(10), "first": int64(10),
}

// Every analysis statement is planned without a cartesian product, and those that start from
// nodes named by key seek the id index instead of scanning.
func TestAnalysisPlans(t *testing.T) {
	testenv.EmptyStore(t) // migrated: the indexes exist, as in production
	driver := testenv.Driver(t)
	for _, s := range store.AnalysisStatements() {
		res, err := neo4j.ExecuteQuery(context.Background(), driver, "EXPLAIN "+s.Cypher, analysisParams, neo4j.EagerResultTransformer)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		// The plan's text holds every operator (the driver's tree of children loses some branches).
		joined, _ := res.Summary.Plan().Arguments()["string-representation"].(string)
		if joined == "" {
			t.Fatalf("%s: Neo4j sent no plan text", s.Name)
		}
		if strings.Contains(joined, "CartesianProduct") {
			t.Errorf("%s: plan has a cartesian product: %s", s.Name, joined)
		}
		if s.Anchored && !strings.Contains(joined, "IndexSeek") {
			t.Errorf("%s: plan seeks no index: %s", s.Name, joined)
		}
		// Paths must be found by breadth-first search from both ends, not by listing every path.
		if strings.HasPrefix(s.Name, "analysis_shortest_paths") && (!strings.Contains(joined, "ShortestPath") || strings.Contains(joined, "VarLengthExpand")) {
			t.Errorf("%s: plan does not search shortest paths breadth first: %s", s.Name, joined)
		}
	}
}
