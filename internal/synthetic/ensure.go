package synthetic

import (
	"context"
	"fmt"
	"maps"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// ChunkRows is how many nodes and relationships Ensure writes in one transaction.
const ChunkRows = 20_000

// Write migrates the graph, then replaces whatever it holds with the synthetic graph of a size
// and seed, streamed in chunks of about chunkRows nodes and relationships, one transaction each
// (bounded memory at any size).
func Write(ctx context.Context, st *store.Store, size Size, seed uint64, chunkRows int) (store.StreamSummary, error) {
	if err := size.Validate(); err != nil {
		return store.StreamSummary{}, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		return store.StreamSummary{}, fmt.Errorf("migrate: %w", err)
	}
	return st.ReplaceGraphStream(ctx, store.DatasetSynthetic, func(emit func(*dataset.Dataset) error) error {
		return Stream(size, seed, chunkRows, emit)
	})
}

// Holds tells whether the graph holds exactly the synthetic graph of a size and seed: as many
// nodes of each kind and relationships of each type as it has, every node owned by the synthetic
// dataset. A graph written half-way, of another size, or mixed with other data does not.
func Holds(ctx context.Context, st *store.Store, size Size, seed uint64) (bool, error) {
	want, err := Count(size, seed)
	if err != nil {
		return false, err
	}
	got, err := st.CountGraph(ctx, store.DatasetSynthetic)
	if err != nil {
		return false, err
	}
	nodes, _ := want.Total()
	if got.Nodes["Entity"] != nodes || got.Owned[store.DatasetSynthetic] != nodes {
		return false, nil
	}
	delete(got.Nodes, "Entity")
	return sameCounts(got.Nodes, want.Nodes) && sameCounts(got.Rels, want.Rels), nil
}

// sameCounts compares counts, a missing entry counting as zero.
func sameCounts(a, b map[string]int) bool {
	for _, m := range []map[string]int{a, b} {
		for k := range maps.Keys(m) {
			if a[k] != b[k] {
				return false
			}
		}
	}
	return true
}

// Ensure makes the graph hold the synthetic graph of a size and seed: it migrates the graph and,
// unless Holds, replaces whatever the graph holds (a partial write, another size, other
// datasets) with it. It returns whether it wrote, and what.
func Ensure(ctx context.Context, st *store.Store, size Size, seed uint64) (bool, store.StreamSummary, error) {
	if _, err := st.Migrate(ctx); err != nil {
		return false, store.StreamSummary{}, fmt.Errorf("migrate: %w", err)
	}
	holds, err := Holds(ctx, st, size, seed)
	if err != nil || holds {
		return false, store.StreamSummary{}, err
	}
	sum, err := Write(ctx, st, size, seed, ChunkRows)
	return true, sum, err
}
