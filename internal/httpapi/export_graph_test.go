package httpapi_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/importer"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// factLines lists every node and relationship of the graph with its labels or type and every
// property with its Go type, one line each and sorted, leaving out only which datasets assert
// them and when they changed (dataset, datasets, assertions, versions, stamps, changedAt): what a
// reload from files as one dataset cannot keep. An empty list counts as no property: a CSV cell
// cannot tell them apart, and the API answers both with no values.
func factLines(t *testing.T) []string {
	t.Helper()
	skip := map[string]bool{"dataset": true, "datasets": true, "assertions": true, "versions": true, "stamps": true, "changedAt": true}
	return testenv.Dump{Props: func(props map[string]any) map[string]any {
		kept := map[string]any{}
		for k, v := range props {
			if list, isList := v.([]any); !skip[k] && (!isList || len(list) > 0) {
				kept[k] = v
			}
		}
		return kept
	}}.Lines(t)
}

func checksum(lines []string) string {
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}

// loadCuratedAndImported loads the curated seed, the EUTF export and the IATI fixture.
func loadCuratedAndImported(t *testing.T) *store.Store {
	t.Helper()
	st := testenv.EmptyStore(t)
	testenv.LoadDefaultGraph(t, st)
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importer.ImportIATIFile(context.Background(), st, filepath.Join(root, "internal/iati/testdata/full-2.03.xml"), importer.Options{}); err != nil {
		t.Fatal(err)
	}
	return st
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSeedFormatExportLoadsIntoTheSameGraph exports the curated and imported graph as the files
// of the seed format (the index at /export/csv/, then each file), loads the folder with
// `go run ./seed load --dir` into an empty graph, and compares a checksum of every node and
// relationship with all their properties: the same graph, only now asserted by one dataset.
func TestSeedFormatExportLoadsIntoTheSameGraph(t *testing.T) {
	st := loadCuratedAndImported(t)
	srv := serve(t, st)
	before := factLines(t)

	resp := exportGet(t, srv.URL+"/export/csv/", nil)
	var index struct {
		Files []struct{ Name, URL string } `json:"files"`
	}
	if err := json.Unmarshal(readAll(t, resp), &index); err != nil || len(index.Files) < 20 {
		t.Fatalf("index: %d, %v, %d files", resp.StatusCode, err, len(index.Files))
	}
	dir := t.TempDir()
	for _, f := range index.Files {
		u := strings.Replace(f.URL, "http://127.0.0.1:8080", srv.URL, 1)
		resp := exportGet(t, u, nil)
		body := readAll(t, resp)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("%s: %d %s\n%s", f.Name, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	testenv.EmptyStore(t)
	root, _ := testenv.RepoRoot()
	uri, password := testenv.Settings()
	cmd := exec.Command("go", "run", "./seed", "load", "--dir", dir)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "NEO4J_URI="+uri, "NEO4J_PASSWORD="+password)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("seed load --dir of the export: %v\n%s", err, out)
	}
	after := factLines(t)
	if checksum(before) != checksum(after) {
		t.Fatalf("the reloaded graph differs (%d lines before, %d after):\n%s", len(before), len(after),
			limitText(testenv.DiffLines(strings.Join(before, "\n"), strings.Join(after, "\n")), 4000))
	}
}

func limitText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// TestGraphNDJSONHoldsEveryNodeAndRelationship reads graph.ndjson of the curated and imported
// graph and counts its nodes and relationships against the graph's.
func TestGraphNDJSONHoldsEveryNodeAndRelationship(t *testing.T) {
	st := loadCuratedAndImported(t)
	srv := serve(t, st)
	resp := exportGet(t, srv.URL+"/export/graph.ndjson", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("graph.ndjson: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	nodes, rels := map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var l struct {
			What, Label, Key, IRI, Type, From, To string
			Properties                            map[string]any
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("not JSON: %v: %s", err, sc.Text())
		}
		switch l.What {
		case "node":
			if nodes[l.Key] || l.Properties["id"] != l.Key || l.IRI == "" || l.Properties["assertions"] != nil {
				t.Fatalf("node line: %s", sc.Text())
			}
			nodes[l.Key] = true
		case "relationship":
			if rels[l.Key] || l.From == "" || l.To == "" || !strings.HasPrefix(l.Key, l.Type+"|"+l.From+"|"+l.To+"|") {
				t.Fatalf("relationship line: %s", sc.Text())
			}
			rels[l.Key] = true
		default:
			t.Fatalf("line of what %q without since: %s", l.What, sc.Text())
		}
	}
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t),
		"RETURN COUNT { (n:Entity) } AS nodes, COUNT { (:Entity)-[]->(:Entity) } AS rels", nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Records[0].AsMap()
	if int64(len(nodes)) != m["nodes"].(int64) || int64(len(rels)) != m["rels"].(int64) {
		t.Fatalf("graph.ndjson holds %d nodes and %d relationships; the graph %v and %v", len(nodes), len(rels), m["nodes"], m["rels"])
	}
}
