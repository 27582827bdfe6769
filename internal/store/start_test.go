package store_test

import (
	"context"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// A project's `start` (its actual start, else its planned one: the default order and the start
// filter read it) follows its dates through every dataset write: created, changed by the
// owner, lost with them, and restated by the next owner when the first withdraws.
func TestProjectStartFollowsItsDates(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	const a, b = "import:test/start-a.xml", "import:test/start-b.xml"
	project := func(source string, dates map[string]any) *dataset.Dataset {
		d := smallCurated()
		d.Nodes[0].Props["id"] = source
		for i, n := range d.Nodes {
			if n.Kind == dataset.KindProject {
				props := sourced(map[string]any{"id": "project:p1", "title": "Curated title", "status": "CLOSED", "scope": "NATIONAL"}, source)
				for k, v := range dates {
					props[k] = v
				}
				d.Nodes[i].Props = props
			}
			if n.Kind != dataset.KindSource && n.Kind != dataset.KindProject {
				d.Nodes[i].Props = sourced(n.Props, source)
			}
		}
		for i := range d.Rels {
			d.Rels[i].Props = sourced(map[string]any{}, source)
			if d.Rels[i].Type == dataset.RelImplements {
				d.Rels[i].Props = sourced(map[string]any{"role": "IMPLEMENTING", "lead": true}, source)
			}
		}
		return d
	}
	start := func() string {
		t.Helper()
		return cypherText(t, "MATCH (p:Project {id: 'project:p1'}) RETURN coalesce(p.start, 'none') AS s")
	}
	steps := []struct {
		name  string
		write func() error
		want  string
	}{
		{"planned only", func() error {
			_, err := st.UpsertDataset(ctx, a, project("source:a", map[string]any{"plannedStart": "2019-03-01"}), nil)
			return err
		}, "2019-03-01"},
		{"actual start stated", func() error {
			_, err := st.UpsertDataset(ctx, a, project("source:a", map[string]any{"plannedStart": "2019-03-01", "actualStart": "2019-05-15"}), nil)
			return err
		}, "2019-05-15"},
		{"another dataset states other dates (a claim, the owner's stay)", func() error {
			_, err := st.UpsertDataset(ctx, b, project("source:b", map[string]any{"plannedStart": "2021-01-01"}), nil)
			return err
		}, "2019-05-15"},
		{"the owner withdraws: the next dataset's dates", func() error {
			_, err := st.RemoveDataset(ctx, a)
			return err
		}, "2021-01-01"},
		{"the dates go", func() error {
			_, err := st.UpsertDataset(ctx, b, project("source:b", nil), nil)
			return err
		}, "none"},
	}
	for _, s := range steps {
		if err := s.write(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := start(); got != s.want {
			t.Errorf("%s: start = %s, want %s", s.name, got, s.want)
		}
	}
	// Writing the same data again changes nothing: `start` is never taken for a stated value.
	sum, err := st.UpsertDataset(ctx, b, project("source:b", nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Updated != 0 || sum.Claims != 0 {
		t.Errorf("rewriting the same data: %+v", sum)
	}
}

// cypherText runs a statement returning one string, s.
func cypherText(t *testing.T, q string) string {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), q, nil, neo4j.EagerResultTransformer)
	if err != nil || len(res.Records) != 1 {
		t.Fatalf("%s: %v", q, err)
	}
	s, _ := res.Records[0].Get("s")
	text, _ := s.(string)
	return text
}
