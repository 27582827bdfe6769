package store

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// What changed when: every write stamps the nodes and relationships it creates or changes with
// changedAt (a datetime), records what it deletes as a Tombstone node (key, what, deletedAt; a
// relationship's with its type and ends), and moves the graph's data version on. Exports read
// them for ?since= and for their ETag. A write path (dataset writes here, later edits) uses
// stampChange on the properties it is about to set, passes writeClock's time as $now to its
// statements (whose Cypher stamps and tombstones), and ends its transaction with recordWrite.

// changeProps are the store's bookkeeping that does not make a node or relationship changed.
var changeProps = map[string]bool{"changedAt": true, "stamps": true, "rehome": true}

// stampChange sets changedAt on props, the properties about to replace held (nil: a new item):
// held's own changedAt when nothing else differs, else now.
func stampChange(props, held map[string]any, now time.Time) {
	if prev, ok := held["changedAt"]; ok && sameFacts(held, props) {
		props["changedAt"] = prev
		return
	}
	props["changedAt"] = now
}

// sameFacts compares two property maps, bookkeeping of changes aside.
func sameFacts(held, props map[string]any) bool {
	n := 0
	for k, v := range props {
		if changeProps[k] {
			continue
		}
		n++
		if _, ok := held[k]; !ok || !sameValue(held[k], v) {
			return false
		}
	}
	for k := range held {
		if !changeProps[k] {
			n--
		}
	}
	return n == 0
}

// writeClock is the time a write stamps on everything it changes: one per write, in UTC and
// to the microsecond, so that it reads back as written.
func writeClock() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// recordWrite moves the graph's data version on, in the write's transaction tx: every write
// that changed something calls it once before it commits.
func recordWrite(ctx context.Context, tx neo4j.ManagedTransaction, now time.Time) error {
	res, err := tx.Run(ctx, statement("graph_version_bump"), map[string]any{"now": now})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("graph_version_bump: %w", err)
	}
	return nil
}

// DataVersion is the graph's data version: Tag changes whenever a write that changed something
// commits; ChangedAt is when that was (zero before the first such write).
type DataVersion struct {
	Tag       string
	ChangedAt time.Time
}

// DataVersion reads the graph's data version.
func (s *Store) DataVersion(ctx context.Context) (DataVersion, error) {
	recs, err := s.read(ctx, "graph_version", nil)
	if err != nil {
		return DataVersion{}, err
	}
	if len(recs) == 0 {
		return DataVersion{Tag: "0"}, nil
	}
	m := recs[0].AsMap()
	v := DataVersion{Tag: fmt.Sprint(m["version"])}
	if t, ok := m["changedAt"].(time.Time); ok {
		v.ChangedAt = t.UTC()
		v.Tag += "@" + t.UTC().Format(time.RFC3339Nano)
	}
	return v, nil
}

// Tombstone is a node or relationship deleted from the graph.
type Tombstone struct {
	What      string // "node" or "relationship"
	Key       string // the node's key, or the relationship's key
	Type      string // relationships: type and the keys of both ends
	From, To  string
	DeletedAt time.Time
}

// ExportTombstones hands fn what was deleted after since and not written again since, in key
// order, by keyset batches.
func (s *Store) ExportTombstones(ctx context.Context, since time.Time, fn func(Tombstone) error) error {
	after := ""
	for {
		recs, err := s.read(ctx, "export_tombstones", map[string]any{"since": since, "after": after, "batch": int64(exportBatch)})
		if err != nil {
			return err
		}
		for _, r := range recs {
			m := r.AsMap()
			t := Tombstone{What: fmt.Sprint(m["what"]), Key: fmt.Sprint(m["key"])}
			if t.What == "relationship" {
				t.Type, t.From, t.To = fmt.Sprint(m["type"]), fmt.Sprint(m["from"]), fmt.Sprint(m["to"])
			}
			t.DeletedAt, _ = m["deletedAt"].(time.Time)
			t.DeletedAt = t.DeletedAt.UTC()
			if err := fn(t); err != nil {
				return err
			}
			after = t.Key
		}
		if len(recs) < exportBatch {
			return nil
		}
	}
}
