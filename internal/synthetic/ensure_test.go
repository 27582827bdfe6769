package synthetic_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/synthetic"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestEnsureReplacesWhateverTheGraphHolds: over a graph written half-way, a graph of another size
// and the curated dataset, Ensure writes the synthetic graph asked for, exactly; over that graph
// it writes nothing.
func TestEnsureReplacesWhateverTheGraphHolds(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	small := synthetic.Size{Countries: 12, Processes: 2, Instruments: 8, Organisations: 15, Projects: 120, Themes: 4}
	other := small
	other.Projects = 90

	stop := errors.New("stopped half-way")
	chunks := 0
	_, err := st.ReplaceGraphStream(ctx, store.DatasetSynthetic, func(emit func(*dataset.Dataset) error) error {
		return synthetic.Stream(small, 1, 100, func(d *dataset.Dataset) error {
			if chunks++; chunks == 4 {
				return stop
			}
			return emit(d)
		})
	})
	if !errors.Is(err, stop) {
		t.Fatalf("the interrupted write returned %v", err)
	}
	ensure := func(step string, size synthetic.Size, wantWrite bool) {
		t.Helper()
		wrote, sum, err := synthetic.Ensure(ctx, st, size, 1)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if wrote != wantWrite {
			t.Errorf("%s: wrote = %v, want %v", step, wrote, wantWrite)
		}
		want, err := synthetic.Count(size, 1)
		if err != nil {
			t.Fatal(err)
		}
		nodes, rels := want.Total()
		if wrote && (sum.Nodes != nodes || sum.Rels != rels) {
			t.Errorf("%s: wrote %d nodes and %d relationships, the graph has %d and %d", step, sum.Nodes, sum.Rels, nodes, rels)
		}
		got, err := st.CountGraph(ctx, store.DatasetSynthetic)
		if err != nil {
			t.Fatal(err)
		}
		if got.Nodes["Entity"] != nodes || got.Nodes["Project"] != size.Projects || got.Owned[store.DatasetSynthetic] != nodes {
			t.Errorf("%s: the graph holds %v (%v owned), want %d nodes, %d projects", step, got.Nodes, got.Owned, nodes, size.Projects)
		}
		for typ, n := range want.Rels {
			if got.Rels[typ] != n {
				t.Errorf("%s: %d %s relationships, want %d", step, got.Rels[typ], typ, n)
			}
		}
	}
	if holds, err := synthetic.Holds(ctx, st, small, 1); err != nil || holds {
		t.Fatalf("the graph written half-way holds the whole graph: %v %v", holds, err)
	}
	ensure("over the graph written half-way", small, true)
	ensure("over the same graph", small, false)
	ensure("over a graph of another size", other, true)
	if holds, _ := synthetic.Holds(ctx, st, small, 1); holds {
		t.Error("the graph of 90 projects holds the one of 120")
	}

	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	curated, err := dataset.Read(filepath.Join(root, "seed", "data"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, curated); err != nil {
		t.Fatal(err)
	}
	ensure("over the curated dataset", other, true)
}
