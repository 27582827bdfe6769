package synthetic

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
)

var thousand = Size{Countries: 40, Processes: 4, Instruments: 30, Organisations: 60, Projects: 1000, Themes: 6}

// TestStreamedEqualsInMemory: the chunks of a streamed generation, whatever their size, are the
// graph Generate builds in memory, each chunk about as large as asked and every relationship
// joining nodes of its chunk or of earlier ones.
func TestStreamedEqualsInMemory(t *testing.T) {
	whole, err := Generate(thousand, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, rows := range []int{1, 7, 500, 20_000} {
		var got dataset.Dataset
		seen := map[string]bool{}
		chunks := 0
		err := Stream(thousand, 3, rows, func(c *dataset.Dataset) error {
			chunks++
			for _, n := range c.Nodes {
				seen[n.Props["id"].(string)] = true
			}
			for _, r := range c.Rels {
				if !seen[r.From] || !seen[r.To] {
					return fmt.Errorf("chunk %d: %s %s -> %s names a node of a later chunk", chunks, r.Type, r.From, r.To)
				}
			}
			// A chunk is cut before the first node past the size, so it holds at least that
			// many rows unless it is the last, and one node's relationships more (a process has up to 64).
			if size := len(c.Nodes) + len(c.Rels); size > rows+64 {
				return fmt.Errorf("chunk %d holds %d rows, asked for %d", chunks, size, rows)
			}
			got.Nodes = append(got.Nodes, c.Nodes...)
			got.Rels = append(got.Rels, c.Rels...)
			return nil
		})
		if err != nil {
			t.Fatalf("chunks of %d rows: %v", rows, err)
		}
		if !reflect.DeepEqual(&got, whole) {
			t.Errorf("chunks of %d rows: the streamed graph (%d nodes, %d relationships) differs from the one in memory (%d, %d)",
				rows, len(got.Nodes), len(got.Rels), len(whole.Nodes), len(whole.Rels))
		}
		if want := (len(whole.Nodes) + len(whole.Rels)) / (rows + 64); chunks < want {
			t.Errorf("chunks of %d rows: %d chunks, want at least %d", rows, chunks, want)
		}
	}
}

func TestStreamStopsAtTheFirstError(t *testing.T) {
	calls := 0
	err := Stream(thousand, 1, 100, func(*dataset.Dataset) error {
		calls++
		if calls == 3 {
			return fmt.Errorf("disk full")
		}
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "disk full") || calls != 3 {
		t.Fatalf("Stream returned %v after %d chunks, want the third chunk's error", err, calls)
	}
	if err := Stream(thousand, 1, 0, func(*dataset.Dataset) error { return nil }); err == nil {
		t.Error("chunks of 0 rows accepted")
	}
}

func TestCountMatchesTheGraph(t *testing.T) {
	whole, err := Generate(thousand, 5)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Count(thousand, 5)
	if err != nil {
		t.Fatal(err)
	}
	nodes, rels := c.Total()
	if nodes != len(whole.Nodes) || rels != len(whole.Rels) || c.Nodes["Project"] != thousand.Projects {
		t.Fatalf("Count says %d nodes (%d projects) and %d relationships, the graph has %d and %d", nodes, c.Nodes["Project"], rels, len(whole.Nodes), len(whole.Rels))
	}
}
