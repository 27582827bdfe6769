package httpapi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected.json of every golden case from the current answers")

// TestGolden runs every case under testdata/golden against the fixture graph: a folder per case
// with query.graphql, an optional variables.json, and expected.json, the whole response (data and
// errors, without the request id, which differs on every run).
func TestGolden(t *testing.T) {
	srv := newAPI(t)
	dirs, err := filepath.Glob("testdata/golden/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			q, err := os.ReadFile(filepath.Join(dir, "query.graphql"))
			if err != nil {
				t.Fatal(err)
			}
			vars := map[string]any{}
			if b, err := os.ReadFile(filepath.Join(dir, "variables.json")); err == nil {
				if err := json.Unmarshal(b, &vars); err != nil {
					t.Fatalf("variables.json: %v", err)
				}
			}
			_, out := post(t, srv, map[string]any{"query": string(q), "variables": vars})
			for _, e := range out.Errors {
				if e.Extensions["requestId"] == nil {
					t.Errorf("error without request id: %+v", e)
				}
				delete(e.Extensions, "requestId")
			}
			// Sibling fields fail concurrently; order their errors by path so runs compare.
			sort.Slice(out.Errors, func(i, j int) bool {
				return fmt.Sprint(out.Errors[i].Path) < fmt.Sprint(out.Errors[j].Path)
			})
			got, _ := json.MarshalIndent(map[string]any{"data": out.Data, "errors": out.Errors}, "", "  ")
			got = append(got, '\n')
			if file, same := matchesExpected(t, dir, got); !same {
				t.Errorf("answer differs from %s:\n%s", file, got)
			}
		})
	}
}

// matchesExpected compares got with dir/expected.json (with -update: writes it there and counts as
// the same) and returns the file's path.
func matchesExpected(t *testing.T, dir string, got []byte) (string, bool) {
	t.Helper()
	file := filepath.Join(dir, "expected.json")
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return file, true
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it, then check it by hand)", err)
	}
	return file, bytes.Equal(normalise(t, want), normalise(t, got))
}

// normalise re-indents JSON so that only content counts.
func normalise(t *testing.T, b []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	out, _ := json.MarshalIndent(v, "", "  ")
	return []byte(strings.TrimSpace(string(out)))
}
