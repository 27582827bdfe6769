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

// TestImportCommands runs the import commands as an analyst would: a folder of IATI files, a
// file with an error (refused, naming file and line, nothing written), the EUTF export, the
// list of datasets and the removal of one.
func TestImportCommands(t *testing.T) {
	st := testenv.EmptyStore(t)
	uri, password := testenv.Settings()
	t.Setenv("NEO4J_URI", uri)
	t.Setenv("NEO4J_PASSWORD", password)
	root, _ := testenv.RepoRoot()
	if err := run([]string{"load", "-dir", filepath.Join(root, "seed", "data"), "-eutf", filepath.Join(root, "seed", "eutf")}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if n, _, err := st.DatasetCounts(ctx, "import:eutf-akvo"); err != nil || n < 640 {
		t.Fatalf("after load -eutf: the EUTF dataset has %d nodes (%v)", n, err)
	}
	folder := t.TempDir()
	fixture, _ := os.ReadFile(filepath.Join(root, "internal", "iati", "testdata", "full-2.03.xml"))
	if err := os.WriteFile(filepath.Join(folder, "publisher.xml"), fixture, 0o644); err != nil {
		t.Fatal(err)
	}
	metricsFile := filepath.Join(t.TempDir(), "imports.prom")
	if err := run([]string{"import-iati", "-report", "-metrics-file", metricsFile, folder}); err != nil {
		t.Fatal(err)
	}
	// The run's metrics, for node_exporter's textfile collector: one successful run, its rows.
	prom, _ := os.ReadFile(metricsFile)
	for _, want := range []string{`partnership_graph_import_runs_total{outcome="success",source="iati"} 1`,
		`partnership_graph_import_duration_seconds_count{source="iati"} 1`, `partnership_graph_import_rows_total{kind="written",source="iati"} `} {
		if !strings.Contains(string(prom), want) {
			t.Errorf("-metrics-file lacks %s:\n%s", want, prom)
		}
	}
	if strings.Contains(string(prom), "go_goroutines") {
		t.Errorf("-metrics-file holds the runtime's series, which node_exporter has of its own")
	}
	if n, _, _ := st.DatasetCounts(ctx, "import:iati/xm-dac-918-3/publisher.xml"); n == 0 {
		t.Errorf("the folder's file is not a dataset")
	}
	bad := filepath.Join(root, "internal", "iati", "testdata", "examples", "should-fail", "24-two-titles.xml")
	before := testenv.GraphDump(t)
	err := run([]string{"import-iati", "-metrics-file", metricsFile, bad})
	if err == nil || !strings.Contains(err.Error(), bad+":") || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("a bad file gave %v, want its problems with file and line", err)
	}
	if prom, _ := os.ReadFile(metricsFile); !strings.Contains(string(prom), `partnership_graph_import_runs_total{outcome="error",source="iati"} 1`) {
		t.Errorf("a refused import is not counted as an error:\n%s", prom)
	}
	if after := testenv.GraphDump(t); after != before {
		t.Errorf("a refused file changed the graph")
	}
	if err := run([]string{"datasets"}); err != nil {
		t.Error(err)
	}
	if err := run([]string{"remove-dataset", "import:iati/xm-dac-918-3/publisher.xml"}); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := st.DatasetCounts(ctx, "import:iati/xm-dac-918-3/publisher.xml"); n != 0 {
		t.Errorf("%d nodes left of the removed dataset", n)
	}
	if err := run([]string{"remove-dataset", "import:nothing"}); err == nil || !strings.Contains(err.Error(), "has no dataset") {
		t.Errorf("removing an unknown dataset: %v", err)
	}
	if err := run([]string{"import-iati"}); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("import-iati without files: %v", err)
	}
}
