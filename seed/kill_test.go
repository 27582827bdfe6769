package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// fingerprint summarises the whole graph: nodes per dataset and label, relationships per type,
// and a checksum of every node key and relationship.
func fingerprint(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	res, err := neo4j.ExecuteQuery(ctx, testenv.Driver(t), `
	  CALL () { MATCH (n:Entity) RETURN collect(n.dataset + '/' + [l IN labels(n) WHERE l <> 'Entity'][0] + '/' + n.id) AS nodes }
	  CALL () { MATCH (a:Entity)-[r]->(b:Entity) RETURN collect(type(r) + ':' + a.id + '>' + b.id) AS rels }
	  RETURN nodes, rels`, nil, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	nodes, _ := res.Records[0].Get("nodes")
	rels, _ := res.Records[0].Get("rels")
	var all []string
	for _, v := range append(nodes.([]any), rels.([]any)...) {
		all = append(all, v.(string))
	}
	sort.Strings(all)
	sum := 0
	for _, s := range all {
		for _, c := range s {
			sum = (sum*31 + int(c)) % 1_000_000_007
		}
	}
	return fmt.Sprintf("%d entries, checksum %d", len(all), sum)
}

// TestKilledLoaderLeavesNoHalfGraph kills `seed load` and `seed generate` at several moments
// and checks that the curated dataset is never half there, and that running the command again
// gives exactly the graph of one clean run.
func TestKilledLoaderLeavesNoHalfGraph(t *testing.T) {
	st := testenv.EmptyStore(t)
	uri, password := testenv.Settings()
	root, _ := testenv.RepoRoot()
	bin := filepath.Join(t.TempDir(), "seed")
	if out, err := exec.Command("go", "build", "-o", bin, filepath.Join(root, "seed")).CombinedOutput(); err != nil {
		t.Fatalf("building the seed command: %v\n%s", err, out)
	}
	env := append(os.Environ(), "NEO4J_URI="+uri, "NEO4J_PASSWORD="+password)
	command := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Dir = env, root
		return cmd
	}
	runClean := func(args ...string) {
		t.Helper()
		if out, err := command(args...).CombinedOutput(); err != nil {
			t.Fatalf("seed %v: %v\n%s", args, err, out)
		}
	}
	killAfter := func(delay time.Duration, args ...string) {
		t.Helper()
		cmd := command(args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	}
	generate := []string{"generate", "-projects", "5000", "-countries", "100", "-organisations", "300", "-instruments", "50", "-processes", "10", "-batch", "500"}
	curated, err := dataset.Read(filepath.Join(root, "seed", "data"))
	if err != nil {
		t.Fatal(err)
	}

	// Clean runs give the reference graphs.
	start := time.Now()
	runClean(generate...)
	generated := fingerprint(t)
	generateTook := time.Since(start)
	start = time.Now()
	runClean("load")
	loaded := fingerprint(t)
	// The kills below land before, during and after the work of each command.
	t.Logf("clean runs: generate %s, load over a generated graph about %s", generateTook.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

	ctx := context.Background()
	for _, delay := range []time.Duration{300 * time.Millisecond, 700 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second} {
		// Killing the generator: running it again gives the clean generated graph.
		killAfter(delay, generate...)
		runClean(generate...)
		if got := fingerprint(t); got != generated {
			t.Errorf("generate killed after %s, run again: %s, want %s", delay, got, generated)
		}
		// Killing the loader (over a generated graph): the curated dataset is all there or not at all.
		killAfter(delay, "load")
		n, _, err := st.DatasetCounts(ctx, store.DatasetCurated)
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 && n != len(curated.Nodes) {
			t.Errorf("load killed after %s left %d of %d curated nodes", delay, n, len(curated.Nodes))
		}
		runClean("load")
		if got := fingerprint(t); got != loaded {
			t.Errorf("load killed after %s, run again: %s, want %s", delay, got, loaded)
		}
	}
}
