package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// migration is one versioned change to the graph's schema. Statements must be idempotent
// (IF NOT EXISTS), so that a migration interrupted half-way can simply run again.
type migration struct {
	version     int
	description string
	statements  []string
}

// migrations are applied in order; a new change gets the next version and is never edited
// once released.
var migrations = []migration{
	{1, "unique ids and look-up indexes", []string{
		"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
		"CREATE CONSTRAINT country_iso2 IF NOT EXISTS FOR (n:Country) REQUIRE n.iso2 IS UNIQUE",
		"CREATE CONSTRAINT country_iso3 IF NOT EXISTS FOR (n:Country) REQUIRE n.iso3 IS UNIQUE",
		"CREATE INDEX country_name IF NOT EXISTS FOR (n:Country) ON (n.name)",
		"CREATE INDEX project_status IF NOT EXISTS FOR (n:Project) ON (n.status)",
		"CREATE INDEX instrument_kind IF NOT EXISTS FOR (n:Instrument) ON (n.kind)",
		"CREATE INDEX organisation_kind IF NOT EXISTS FOR (n:Organisation) ON (n.kind)",
		"CREATE CONSTRAINT schema_migration_version IF NOT EXISTS FOR (n:SchemaMigration) REQUIRE n.version IS UNIQUE",
	}},
	{2, "dataset membership, project dates, claims and full-text search", []string{
		"CREATE INDEX entity_dataset IF NOT EXISTS FOR (n:Entity) ON (n.dataset)",
		"CREATE INDEX project_start IF NOT EXISTS FOR (n:Project) ON (n.actualStart, n.plannedStart)",
		"CREATE INDEX project_scope IF NOT EXISTS FOR (n:Project) ON (n.scope)",
		"CREATE INDEX claim_property IF NOT EXISTS FOR (n:Claim) ON (n.property)",
		"CREATE INDEX regional_process_launched IF NOT EXISTS FOR (n:RegionalProcess) ON (n.launched)",
		"CREATE FULLTEXT INDEX entity_search IF NOT EXISTS " +
			"FOR (n:Country|RegionalProcess|Instrument|Organisation|Project|ThematicArea) " +
			"ON EACH [n.name, n.shortName, n.title, n.aliases, n.description]",
	}},
	{3, "range indexes that order the pages of root lists", []string{
		"CREATE INDEX project_title IF NOT EXISTS FOR (n:Project) ON (n.title)",
		"CREATE INDEX organisation_name IF NOT EXISTS FOR (n:Organisation) ON (n.name)",
		"CREATE INDEX instrument_name IF NOT EXISTS FOR (n:Instrument) ON (n.name)",
		"CREATE INDEX thematic_area_name IF NOT EXISTS FOR (n:ThematicArea) ON (n.name)",
		"CREATE INDEX regional_process_short_name IF NOT EXISTS FOR (n:RegionalProcess) ON (n.shortName)",
	}},
	{4, "full-text search folds case and diacritics (Soderkoping finds Söderköping)", []string{
		"DROP INDEX entity_search IF EXISTS",
		"CREATE FULLTEXT INDEX entity_search IF NOT EXISTS " +
			"FOR (n:Country|RegionalProcess|Instrument|Organisation|Project|ThematicArea) " +
			"ON EACH [n.name, n.shortName, n.title, n.aliases, n.description] " +
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
		// Searches wait for the index to hold every node again, not for its first query.
		"CALL db.awaitIndex('entity_search', 600)",
	}},
	{5, "projects in key order for bulk exports", []string{
		"CREATE INDEX project_id IF NOT EXISTS FOR (n:Project) ON (n.id)",
	}},
	{6, "a project's start date as one indexed property (its default order and the start filter)", []string{
		"CREATE INDEX project_start_date IF NOT EXISTS FOR (n:Project) ON (n.start)",
		// Projects written before the store kept `start` get it (dataset writes keep it since).
		"MATCH (n:Project) WHERE n.start IS NULL AND coalesce(n.actualStart, n.plannedStart) IS NOT NULL " +
			"SET n.start = coalesce(n.actualStart, n.plannedStart)",
	}},
	{7, "what changed when: change times, tombstones of deletions, the data version", []string{
		"CREATE INDEX entity_changed_at IF NOT EXISTS FOR (n:Entity) ON (n.changedAt)",
		"CREATE CONSTRAINT tombstone_key IF NOT EXISTS FOR (n:Tombstone) REQUIRE n.key IS UNIQUE",
		"CREATE INDEX tombstone_deleted_at IF NOT EXISTS FOR (n:Tombstone) ON (n.deletedAt)",
		"CREATE CONSTRAINT graph_version_id IF NOT EXISTS FOR (n:GraphVersion) REQUIRE n.id IS UNIQUE",
	}},
	{8, "change sets: unique ids, changes in order, history per node, the curation lock", []string{
		"CREATE CONSTRAINT change_set_id IF NOT EXISTS FOR (c:ChangeSet) REQUIRE c.id IS UNIQUE",
		"CREATE INDEX change_set_changed_at IF NOT EXISTS FOR (c:ChangeSet) ON (c.changedAt)",
		"CREATE INDEX change_touch_node IF NOT EXISTS FOR (t:ChangeTouch) ON (t.node, t.at)",
		"CREATE CONSTRAINT curation_lock_id IF NOT EXISTS FOR (l:CurationLock) REQUIRE l.id IS UNIQUE",
	}},
	{9, "what each source supports: the facts citing it, found by its key", []string{
		"CREATE FULLTEXT INDEX node_citations IF NOT EXISTS FOR (n:Entity) ON EACH [n.sourceIds] " +
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}",
		"CREATE FULLTEXT INDEX relationship_citations IF NOT EXISTS " +
			"FOR ()-[r:" + citingRelationshipTypes + "]-() ON EACH [r.sourceIds] " +
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}",
		"CALL db.awaitIndex('node_citations', 600)",
		"CALL db.awaitIndex('relationship_citations', 600)",
	}},
	// Filled in by backfillNameKeys (backfills); every write keeps them since.
	{10, "names folded for search ranking (nameKeys) on the nodes written before", nil},
	{12, "curators' deletions, which dataset loads withhold, by key", []string{
		"CREATE CONSTRAINT curation_deletion_key IF NOT EXISTS FOR (d:CurationDeletion) REQUIRE d.key IS UNIQUE",
	}},
	{13, "change sets by idempotency key", []string{
		"CREATE INDEX change_set_idempotency IF NOT EXISTS FOR (c:ChangeSet) ON (c.idempotency)",
	}},
}

// backfills are the data changes of a migration that Cypher alone cannot make, run after its
// statements, by version. Each is idempotent, as statements are.
var backfills = map[int]func(*Store, context.Context) error{
	10: (*Store).backfillNameKeys,
}

// nameKeysBatch is how many nodes one transaction of backfillNameKeys reads and writes.
const nameKeysBatch = 5000

// backfillNameKeys writes the name keys (NameKeysProperty) of every node, folded in Go as the
// writes fold them, in batches in key order.
func (s *Store) backfillNameKeys(ctx context.Context) error {
	after := ""
	for {
		recs, err := s.read(ctx, "migration_name_keys_read", map[string]any{"after": after, "batch": nameKeysBatch})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return nil
		}
		rows := make([]map[string]any, len(recs))
		for i, r := range recs {
			id, _ := r.Get("id")
			names, _ := r.Get("names")
			var keys any
			if k := nameKeys(asMap(names)); k != nil {
				keys = k
			}
			rows[i] = map[string]any{"id": id, "keys": keys}
			after, _ = id.(string)
		}
		if err := s.write(ctx, statement("migration_name_keys_write"), map[string]any{"rows": rows}); err != nil {
			return err
		}
	}
}

// citingRelationshipTypes are the relationship types migration 9 indexes by the sources they
// cite: every type of the catalogue when it was written (a test checks that the catalogue has
// no other; a new type needs a migration that recreates the index).
const citingRelationshipTypes = "PART_OF|BASED_IN|HAS_SECRETARIAT|SUCCEEDED_BY|MEMBER_OF|HAS_PILLAR|HAS_PARTY|" +
	"CONTRIBUTES_TO|FUNDS|IMPLEMENTS|TARGETS|FINANCED_BY|ADDRESSES|SUPPORTS|FOLLOWS_UP|STATES|ABOUT|HAS_CLAIM"

// Migrate applies the migrations the database has not recorded yet, and returns the versions it
// applied. Running it again applies nothing. Processes starting together (several API instances,
// a loader next to a server) take turns: one holds the migration lease and applies, the others
// wait for it and then find nothing left to apply.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	release, err := s.takeMigrationLease(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	var applied []int
	for _, m := range migrations {
		done, err := s.migrationDone(ctx, m.version)
		if err != nil {
			return applied, err
		}
		if done {
			continue
		}
		for _, stmt := range m.statements {
			// Schema statements cannot share a transaction with data writes, so each runs alone.
			if err := s.write(ctx, stmt, nil); err != nil {
				return applied, classify(fmt.Sprintf("migration %d", m.version), err)
			}
		}
		if backfill, ok := backfills[m.version]; ok {
			if err := backfill(s, ctx); err != nil {
				return applied, classify(fmt.Sprintf("migration %d", m.version), err)
			}
		}
		if err := s.write(ctx, statement("migration_record"),
			map[string]any{"version": m.version, "description": m.description}); err != nil {
			return applied, classify(fmt.Sprintf("record migration %d", m.version), err)
		}
		applied = append(applied, m.version)
	}
	return applied, nil
}

// migrationLease is how long the lease on applying migrations lasts. Its holder renews it every
// third of that while it works (an index build can take minutes), so it lapses only when the
// holder has died, and another process then takes over.
const migrationLease = 30 * time.Second

// migrationLeaseWait is how often a process waiting for the lease asks again.
const migrationLeaseWait = 200 * time.Millisecond

// takeMigrationLease waits until this process holds the lease on applying migrations, or ctx
// ends. The returned function gives the lease up.
func (s *Store) takeMigrationLease(ctx context.Context) (release func(), err error) {
	// The lease node is unique by the constraint of migration 1, which must exist before the first
	// lease of a new database: IF NOT EXISTS makes this a no-op afterwards, and a process that
	// loses the race to create it tries again and finds it.
	constraint := migrations[0].statements[len(migrations[0].statements)-1]
	for attempt := 1; ; attempt++ {
		err := s.write(ctx, constraint, nil)
		if err == nil {
			break
		}
		if attempt == 3 || ctx.Err() != nil {
			return nil, classify("migration lease constraint", err)
		}
	}
	holder := migrationHolder()
	take := func(ctx context.Context) (string, string, error) {
		recs, err := s.writeRows(ctx, "migration_lease_take", map[string]any{
			"holder": holder, "leaseMillis": migrationLease.Milliseconds()})
		if err != nil {
			return "", "", classify("migration lease", err)
		}
		h, _ := recs[0].Get("holder")
		until, _ := recs[0].Get("expires")
		held, _ := h.(string)
		expires, _ := until.(string)
		return held, expires, nil
	}
	for {
		held, expires, err := take(ctx)
		if err != nil {
			return nil, err
		}
		if held == holder {
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the schema migrations that %s is applying (its lease runs until %s): %w",
				held, expires, ctx.Err())
		case <-time.After(migrationLeaseWait):
		}
	}
	stop := make(chan struct{})
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		tick := time.NewTicker(migrationLease / 3)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				_, _, _ = take(context.WithoutCancel(ctx)) // a failed renewal is retried at the next tick
			}
		}
	}()
	return func() {
		close(stop)
		<-renewed
		_ = s.write(context.WithoutCancel(ctx), statement("migration_lease_release"), map[string]any{"holder": holder})
	}, nil
}

// migrationHolder names this process in the lease: host, process id and a random part (two
// stores of one process are two holders).
func migrationHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

func (s *Store) migrationDone(ctx context.Context, version int) (bool, error) {
	recs, err := s.read(ctx, "migration_done", map[string]any{"version": version})
	if err != nil {
		return false, err
	}
	done, _ := recs[0].Get("done")
	return done == true, nil
}

// write runs one auto-committed write statement.
func (s *Store) write(ctx context.Context, cypher string, params map[string]any) error {
	_, err := neo4j.ExecuteQuery(ctx, s.driver, cypher, params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithWritersRouting())
	return err
}

// writeRows runs one auto-committed write statement of the cypher folder and returns its rows.
func (s *Store) writeRows(ctx context.Context, name string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := neo4j.ExecuteQuery(ctx, s.driver, statement(name), params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithWritersRouting())
	if err != nil {
		return nil, err
	}
	return res.Records, nil
}

// LatestMigration is the version of the newest migration: the last one a migrated graph records.
func LatestMigration() int {
	return migrations[len(migrations)-1].version
}
