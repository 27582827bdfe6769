package export

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// SeedFiles are the files of the seed-format export (/export/csv/{name}), in load order.
func SeedFiles() []dataset.ExportFile { return dataset.ExportFiles() }

// WriteSeedFile streams one file of the seed format (a node kind or a relationship type) in
// scope: a folder of every such file of a whole export loads again with `seed load --dir` into
// the same nodes and relationships.
func WriteSeedFile(ctx context.Context, w io.Writer, st *store.Store, f dataset.ExportFile, scope store.ExportScope) error {
	fw, err := dataset.NewFileWriter(w, f.Name)
	if err != nil {
		return err
	}
	n := 0
	flush := func() error {
		n++
		if n%200 == 0 {
			if err := fw.Flush(); err != nil {
				return err
			}
			flushEvery(w, n)
		}
		return nil
	}
	if f.Kind != "" {
		err = st.ExportNodes(ctx, f, scope, func(node *store.ExportedNode) error {
			links := map[string]string{}
			for _, l := range node.Links {
				if l.From == fmt.Sprint(node.Props["id"]) {
					links[l.Column] = l.To
				} else {
					links[l.Column] = l.From
				}
			}
			if err := fw.Node(node.Props, links); err != nil {
				return err
			}
			return flush()
		})
	} else {
		err = st.ExportRelationships(ctx, f, scope, func(r *store.ExportedRel) error {
			if err := fw.Rel(r.From, r.To, r.Props); err != nil {
				return err
			}
			return flush()
		})
	}
	if err != nil {
		return err
	}
	return fw.Flush()
}

// internalProps are the store's bookkeeping that no export shows: which dataset states which
// property, versions and stamps of batched writes, the name keys search ranks by.
var internalProps = map[string]bool{"assertions": true, "versions": true, "stamps": true, "rehome": true,
	store.NameKeysProperty: true}

func publicProps(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		if !internalProps[k] {
			out[k] = v
		}
	}
	return out
}

// GraphLine is one line of graph.ndjson: a node, a relationship, or (with since) a deletion.
type GraphLine struct {
	// What is "node", "relationship" or "deleted".
	What string `json:"what"`
	// Nodes: Label is the kind, Key the node's key and IRI its identifier.
	Label string `json:"label,omitempty"`
	Key   string `json:"key,omitempty"`
	IRI   string `json:"iri,omitempty"`
	// Relationships: Type and the keys of both ends.
	Type string `json:"type,omitempty"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Properties as the graph holds them (sources as the parallel lists sourceIds,
	// sourceLocators, sourceStatuses; datasets; changedAt).
	Properties map[string]any `json:"properties,omitempty"`
	// Deletions: DeletedAt, and Key (a node) or Type, From, To and Key (a relationship).
	DeletedAt string `json:"deletedAt,omitempty"`
}

// WriteGraphNDJSON streams the graph in scope as newline-delimited JSON: every node (by kind, in
// key order, each followed by the relationships the seed format writes in its row), then every
// other relationship (by type), one GraphLine each; with since, then what was deleted after it.
func WriteGraphNDJSON(ctx context.Context, w io.Writer, st *store.Store, base string, scope store.ExportScope) error {
	enc := json.NewEncoder(w)
	n := 0
	emit := func(l GraphLine) error {
		n++
		defer flushEvery(w, n)
		return enc.Encode(l)
	}
	err := walkGraph(ctx, st, scope, func(kind string, props map[string]any) error {
		key := fmt.Sprint(props["id"])
		return emit(GraphLine{What: "node", Label: kind, Key: key, IRI: IRI(base, key), Properties: publicProps(props)})
	}, func(r store.ExportedRel) error { return emitRel(emit, r) })
	if err != nil || scope.Since == nil {
		return err
	}
	return st.ExportTombstones(ctx, *scope.Since, func(t store.Tombstone) error {
		return emit(GraphLine{What: "deleted", Key: t.Key, Type: t.Type, From: t.From, To: t.To, DeletedAt: t.DeletedAt.Format(time.RFC3339Nano)})
	})
}

// walkGraph hands every node in scope (changed after scope.Since, when given) to node, by kind in
// key order, each followed by the relationships the seed format writes in its row, then every
// other relationship in scope to rel, by type; all read in keyset batches (ExportNodes,
// ExportRelationships), so nothing but one batch is held.
func walkGraph(ctx context.Context, st *store.Store, scope store.ExportScope, node func(kind string, props map[string]any) error, rel func(store.ExportedRel) error) error {
	for _, f := range SeedFiles() {
		if f.Kind == "" {
			continue
		}
		err := st.ExportNodes(ctx, f, scope, func(n *store.ExportedNode) error {
			if changedSince(n.Props, scope.Since) {
				if err := node(f.Kind, n.Props); err != nil {
					return err
				}
			}
			// A relationship the seed format writes in a node's row (an organisation's country, a
			// claim's subject) is written after that node, once.
			for _, l := range n.Links {
				if !changedSince(l.Props, scope.Since) {
					continue // the node changed, not this relationship
				}
				if err := rel(l); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, f := range SeedFiles() {
		if f.RelType == "" {
			continue
		}
		if err := st.ExportRelationships(ctx, f, scope, func(r *store.ExportedRel) error { return rel(*r) }); err != nil {
			return err
		}
	}
	return nil
}

// changedSince says whether props were stamped after since (always, without since).
func changedSince(props map[string]any, since *time.Time) bool {
	at, _ := props["changedAt"].(time.Time)
	return since == nil || at.After(*since)
}

func emitRel(emit func(GraphLine) error, r store.ExportedRel) error {
	return emit(GraphLine{What: "relationship", Type: r.Type, From: r.From, To: r.To, Key: fmt.Sprint(r.Props["key"]), Properties: publicProps(r.Props)})
}

// DeletionsFile is the file of the seed-format export that lists, with since, what was deleted
// after it (the loader does not read it: a partner applies it to its copy).
const DeletionsFile = "deleted.csv"

// DeletionColumns are the columns of deleted.csv.
var DeletionColumns = []string{"what", "key", "type", "from", "to", "deleted_at"}

// WriteDeletions streams what was deleted after since as deleted.csv; a deleted node's
// relationships are gone with it and are not listed one by one.
func WriteDeletions(ctx context.Context, w io.Writer, st *store.Store, since time.Time) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(DeletionColumns); err != nil {
		return err
	}
	if err := st.ExportTombstones(ctx, since, func(t store.Tombstone) error {
		return cw.Write([]string{t.What, t.Key, t.Type, t.From, t.To, t.DeletedAt.Format(time.RFC3339Nano)})
	}); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
