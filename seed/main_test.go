package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestLoadThenBadLoadChangesNothing runs the command as `make run` does, then with one wrong cell,
// and checks that the error names file, line and field and that the graph is unchanged.
func TestLoadThenBadLoadChangesNothing(t *testing.T) {
	st := testenv.EmptyStore(t)
	uri, password := testenv.Settings()
	t.Setenv("NEO4J_URI", uri)
	t.Setenv("NEO4J_PASSWORD", password)
	root, _ := testenv.RepoRoot()
	good := filepath.Join(root, "seed", "data")

	if err := run([]string{"load", "-dir", good}); err != nil {
		t.Fatal(err)
	}
	d, _ := dataset.Read(good)
	ctx := context.Background()
	nodes, rels, err := st.DatasetCounts(ctx, store.DatasetCurated)
	if err != nil || nodes != len(d.Nodes) || rels != len(d.Rels) {
		t.Fatalf("after load: %d nodes, %d relationships, %v; want %d and %d", nodes, rels, err, len(d.Nodes), len(d.Rels))
	}

	const row = "org:ec,project:bmm-1,40000000,EUR"
	badLine := 0
	bad := t.TempDir()
	entries, _ := os.ReadDir(good)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(good, e.Name()))
		if e.Name() == "fundings.csv" {
			for i, line := range strings.Split(string(b), "\n") {
				if strings.HasPrefix(line, row) {
					badLine = i + 1
				}
			}
			b = []byte(strings.Replace(string(b), row, "org:ec,project:bmm-1,forty million,EUR", 1))
		}
		if err := os.WriteFile(filepath.Join(bad, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err = run([]string{"load", "-dir", bad})
	if badLine == 0 {
		t.Fatalf("fundings.csv has no row starting %q", row)
	}
	want := fmt.Sprintf(`%s:%d: field "amount": want a number`, filepath.Join(bad, "fundings.csv"), badLine)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("want an error containing %q, got %v", want, err)
	}
	nodes2, rels2, err := st.DatasetCounts(ctx, store.DatasetCurated)
	if err != nil || nodes2 != nodes || rels2 != rels {
		t.Errorf("bad load changed the graph: %d/%d nodes, %d/%d relationships (%v)", nodes2, nodes, rels2, rels, err)
	}
}

func TestUnknownCommand(t *testing.T) {
	if err := run([]string{"drop"}); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Errorf("err = %v", err)
	}
}
