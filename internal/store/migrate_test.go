package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// run sends one statement of the test's own to the test Neo4j.
func run(t *testing.T, cypher string, params map[string]any) *neo4j.EagerResult {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), cypher, params, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatalf("%s: %v", cypher, err)
	}
	return res
}

// TestProcessesMigratingTogetherTakeTurns: three stores (three API instances starting at once)
// migrate a graph that misses its last migration; one applies it, the others wait and find
// nothing to apply, nobody fails, and the lease is free afterwards.
func TestProcessesMigratingTogetherTakeTurns(t *testing.T) {
	testenv.EmptyStore(t)
	last := store.LatestMigration()
	run(t, "MATCH (m:SchemaMigration {version: $v}) DELETE m", map[string]any{"v": last})

	var wg sync.WaitGroup
	applied := make([][]int, 3)
	errs := make([]error, 3)
	for i := range applied {
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = store.New(testenv.Driver(t), "neo4j").Migrate(context.Background())
		}()
	}
	wg.Wait()
	var appliers int
	for i := range applied {
		if errs[i] != nil {
			t.Errorf("store %d: %v", i, errs[i])
		}
		switch {
		case len(applied[i]) == 1 && applied[i][0] == last:
			appliers++
		case len(applied[i]) != 0:
			t.Errorf("store %d applied %v, want [%d] or nothing", i, applied[i], last)
		}
	}
	if appliers != 1 {
		t.Errorf("%d stores applied migration %d, want exactly 1", appliers, last)
	}
	res := run(t, "MATCH (l:MigrationLease) RETURN count(l) AS leases, count(l.holder) AS held", nil)
	if leases, _ := res.Records[0].Get("leases"); leases != int64(1) {
		t.Errorf("%v lease nodes, want 1", leases)
	}
	if held, _ := res.Records[0].Get("held"); held != int64(0) {
		t.Errorf("the lease is still held after every store finished")
	}
}

// TestALiveLeaseIsWaitedForAndALapsedOneTakenOver: a lease another process holds keeps Migrate
// waiting (until its context ends, with an error naming the holder); once that lease has lapsed,
// as when its holder died, Migrate takes over.
func TestALiveLeaseIsWaitedForAndALapsedOneTakenOver(t *testing.T) {
	st := testenv.EmptyStore(t)
	run(t, "MERGE (l:SchemaMigration:MigrationLease {version: 0}) SET l.holder = 'other-instance', l.expires = datetime() + duration('PT1H')", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	_, err := st.Migrate(ctx)
	if err == nil || !strings.Contains(err.Error(), "other-instance") {
		t.Fatalf("Migrate under another's live lease: %v, want an error naming other-instance", err)
	}

	run(t, "MATCH (l:MigrationLease) SET l.expires = datetime() - duration('PT1S')", nil)
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate after the other's lease lapsed: %v", err)
	}
	res := run(t, "MATCH (l:MigrationLease) RETURN l.holder AS holder", nil)
	if h, _ := res.Records[0].Get("holder"); h != nil {
		t.Errorf("lease holder after Migrate = %v, want none", h)
	}
}
