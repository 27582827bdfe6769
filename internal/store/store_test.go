package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/synthetic"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

func curated(t *testing.T) *dataset.Dataset {
	t.Helper()
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Read(filepath.Join(root, "seed", "data"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMigrateIsIdempotent(t *testing.T) {
	st := testenv.EmptyStore(t) // applies the migrations once
	applied, err := st.Migrate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Errorf("second run applied %v, want nothing", applied)
	}
}

func TestReplaceDatasetTwiceGivesTheSameGraph(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	d := curated(t)
	for run := 1; run <= 2; run++ {
		if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, d); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		nodes, rels, err := st.DatasetCounts(ctx, store.DatasetCurated)
		if err != nil {
			t.Fatal(err)
		}
		if nodes != len(d.Nodes) || rels != len(d.Rels) {
			t.Errorf("run %d: graph has %d nodes and %d relationships, seed has %d and %d",
				run, nodes, rels, len(d.Nodes), len(d.Rels))
		}
	}
	c, err := st.CountryByCode(ctx, "XKX")
	if err != nil || c == nil || c.Name != "Kosovo" || c.Iso2 != "XK" {
		t.Errorf("Kosovo by alpha-3 = %+v, %v", c, err)
	}
}

func TestFailedReplaceKeepsThePreviousDataset(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	d := curated(t)
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, d); err != nil {
		t.Fatal(err)
	}
	// A dataset whose last relationship points at a node that does not exist fails inside the
	// transaction, after the delete and most creates have run.
	broken := &dataset.Dataset{Nodes: d.Nodes[:10], Rels: []dataset.Rel{{Type: "TARGETS", From: "project:none", To: "country:SN", Props: map[string]any{}}}}
	_, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, broken)
	if err == nil {
		t.Fatal("want an error for a relationship to a missing node")
	}
	if apperr.CodeOf(err) != apperr.Internal {
		t.Errorf("code = %s, want INTERNAL", apperr.CodeOf(err))
	}
	nodes, rels, err := st.DatasetCounts(ctx, store.DatasetCurated)
	if err != nil {
		t.Fatal(err)
	}
	if nodes != len(d.Nodes) || rels != len(d.Rels) {
		t.Errorf("after the failed load the graph has %d nodes and %d relationships, want the previous %d and %d",
			nodes, rels, len(d.Nodes), len(d.Rels))
	}
}

func TestUnknownKindIsRefusedBeforeAnyWrite(t *testing.T) {
	st := testenv.EmptyStore(t)
	_, _, err := st.ReplaceDataset(context.Background(), store.DatasetCurated,
		&dataset.Dataset{Nodes: []dataset.Node{{Kind: "Country`) DETACH DELETE (x", Props: map[string]any{"id": "x"}}}})
	if err == nil {
		t.Fatal("a kind outside the allowlist was accepted")
	}
	var coded *apperr.Error
	if errors.As(err, &coded) {
		t.Errorf("refusal should not reach Neo4j, got coded error %v", err)
	}
}

// TestCuratedAndSyntheticDataNeverMix loads the curated seed, generates a synthetic graph over it,
// then loads the seed again: each time the graph holds exactly one dataset.
func TestCuratedAndSyntheticDataNeverMix(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	d := curated(t)
	syn, err := synthetic.Generate(synthetic.Size{Countries: 20, Processes: 2, Instruments: 5, Organisations: 10, Projects: 50, Themes: 3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	check := func(step string, wantCurated, wantSynthetic int) {
		t.Helper()
		c, _, err := st.DatasetCounts(ctx, store.DatasetCurated)
		if err != nil {
			t.Fatal(err)
		}
		s, _, err := st.DatasetCounts(ctx, store.DatasetSynthetic)
		if err != nil {
			t.Fatal(err)
		}
		if c != wantCurated || s != wantSynthetic {
			t.Errorf("%s: %d curated and %d synthetic nodes, want %d and %d", step, c, s, wantCurated, wantSynthetic)
		}
	}
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, d); err != nil {
		t.Fatal(err)
	}
	check("after loading the seed", len(d.Nodes), 0)
	if err := st.ReplaceGraphInBatches(ctx, store.DatasetSynthetic, syn, 17); err != nil {
		t.Fatal(err)
	}
	check("after generating", 0, len(syn.Nodes))
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, d); err != nil {
		t.Fatal(err)
	}
	check("after loading the seed again", len(d.Nodes), 0)
}
