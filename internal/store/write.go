package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
)

// Datasets kept apart in one graph: the curated, sourced dataset, and generated scale data.
const (
	DatasetCurated   = "curated"
	DatasetSynthetic = "synthetic"
)

// knownDatasets are the datasets the store writes, and the only ones it ever deletes.
var knownDatasets = []string{DatasetCurated, DatasetSynthetic}

// writableKinds and writableRelTypes are the only labels and relationship types a dataset may
// carry: they are written into Cypher text, so they never come from input.
var (
	writableKinds    = allow(dataset.NodeKinds)
	writableRelTypes = allow(dataset.RelTypes)
)

func allow(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// ReplaceDataset replaces every node and relationship of one dataset with d, in a single
// transaction: readers see the old dataset or the new one, never a mix, and a failure (or a
// killed loader) leaves the old one in place. The other known datasets (the synthetic one, when
// loading the curated one) are removed first, so curated and generated data never mix. It never
// deletes data it did not write: when the graph holds nodes of the model's labels that belong
// to no known dataset, it refuses with a *ForeignDataError and writes nothing.
func (s *Store) ReplaceDataset(ctx context.Context, name string, d *dataset.Dataset) (nodes, rels int, err error) {
	if err := s.refuseForeignData(ctx, name); err != nil {
		return 0, 0, err
	}
	var others []string
	for _, known := range knownDatasets {
		if known != name {
			others = append(others, known)
		}
	}
	if err := s.removeDatasets(ctx, others); err != nil {
		return 0, 0, err
	}
	nodesByKind := map[string][]map[string]any{}
	for _, n := range d.Nodes {
		if !writableKinds[n.Kind] {
			return 0, 0, fmt.Errorf("replace dataset: node kind %q is not writable", n.Kind)
		}
		nodesByKind[n.Kind] = append(nodesByKind[n.Kind], n.Props)
	}
	relsByType := map[string][]map[string]any{}
	for _, r := range d.Rels {
		if !writableRelTypes[r.Type] {
			return 0, 0, fmt.Errorf("replace dataset: relationship type %q is not writable", r.Type)
		}
		relsByType[r.Type] = append(relsByType[r.Type], map[string]any{"from": r.From, "to": r.To, "props": r.Props})
	}

	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(ctx)
	_, err = session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if _, err := tx.Run(ctx, statement("dataset_delete"), map[string]any{"dataset": name}); err != nil {
			return nil, err
		}
		for _, kind := range sortedKeys(nodesByKind) {
			rows := nodesByKind[kind]
			q := strings.ReplaceAll(statement("dataset_create_nodes"), "__LABEL__", kind)
			if err := runCounted(ctx, tx, q, map[string]any{"rows": rows, "dataset": name}, len(rows)); err != nil {
				return nil, fmt.Errorf("%s nodes: %w", kind, err)
			}
		}
		for _, typ := range sortedKeys(relsByType) {
			rows := relsByType[typ]
			q := strings.ReplaceAll(statement("dataset_create_relationships"), "__TYPE__", typ)
			if err := runCounted(ctx, tx, q, map[string]any{"rows": rows}, len(rows)); err != nil {
				return nil, fmt.Errorf("%s relationships: %w", typ, err)
			}
		}
		return nil, nil
	})
	if err != nil {
		return 0, 0, classify("replace dataset "+name, err)
	}
	return len(d.Nodes), len(d.Rels), nil
}

// DatasetCounts returns how many nodes and relationships (from its nodes) a dataset has.
func (s *Store) DatasetCounts(ctx context.Context, name string) (nodes, rels int, err error) {
	recs, err := s.read(ctx, "dataset_counts", map[string]any{"dataset": name})
	if err != nil {
		return 0, 0, err
	}
	n, _ := recs[0].Get("nodes")
	r, _ := recs[0].Get("relationships")
	return int(n.(int64)), int(r.(int64)), nil
}

// runCounted runs a creating statement and checks that it created one item per input row.
func runCounted(ctx context.Context, tx neo4j.ManagedTransaction, q string, params map[string]any, want int) error {
	res, err := tx.Run(ctx, q, params)
	if err != nil {
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return err
	}
	created, _ := rec.Get("created")
	if got, _ := created.(int64); int(got) != want {
		return fmt.Errorf("created %d of %d", got, want)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// removeDatasets removes every node of the named datasets, in small transactions.
func (s *Store) removeDatasets(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(ctx)
	for _, stmt := range []string{"dataset_remove_relationships", "dataset_remove"} {
		res, err := session.Run(ctx, statement(stmt), map[string]any{"datasets": names})
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return classify(stmt, err)
		}
	}
	return nil
}

// ForeignDataError refuses to load into a graph that holds nodes of the model's labels (Entity,
// Country, Project...) that no dataset of the store owns: the loader would have to delete them,
// which it never does, or leave them to mix into the API's answers.
type ForeignDataError struct {
	// Foreign lists them per dataset; Dataset is "" for nodes without a dataset property.
	Foreign []ForeignNodes
}

// ForeignNodes counts the foreign nodes of one dataset, with one id as an example.
type ForeignNodes struct {
	Dataset string
	Nodes   int
	Example string
}

func (e *ForeignDataError) Error() string {
	var parts []string
	for _, f := range e.Foreign {
		what := fmt.Sprintf("of dataset %q", f.Dataset)
		if f.Dataset == "" {
			what = "without a dataset property"
		}
		if f.Example != "" {
			what += fmt.Sprintf(" (such as %q)", f.Example)
		}
		noun := "nodes"
		if f.Nodes == 1 {
			noun = "node"
		}
		parts = append(parts, fmt.Sprintf("%d %s %s", f.Nodes, noun, what))
	}
	return fmt.Sprintf("the graph holds data this loader did not write: %s. They carry the graph's labels, so they "+
		"would mix with the loaded data, and the loader never deletes data it did not load. Point NEO4J_URI to "+
		"a database of this project's own (an empty one is fine), or remove those nodes yourself",
		strings.Join(parts, ", "))
}

// refuseForeignData returns a *ForeignDataError when the graph holds nodes of the model's labels
// that belong neither to a known dataset nor to the one being written.
func (s *Store) refuseForeignData(ctx context.Context, name string) error {
	known := append([]string{name}, knownDatasets...)
	labels := append([]string{"Entity"}, dataset.NodeKinds...)
	for _, l := range labels[1:] {
		if !writableKinds[l] {
			return fmt.Errorf("foreign data check: node kind %q is not writable", l)
		}
	}
	q := strings.ReplaceAll(statement("dataset_foreign"), "__LABELS__", strings.Join(labels, "|"))
	res, err := neo4j.ExecuteQuery(ctx, s.driver, q, map[string]any{"known": known}, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return classify("dataset_foreign", err)
	}
	recs := res.Records
	if len(recs) == 0 {
		return nil
	}
	e := &ForeignDataError{}
	for _, r := range recs {
		ds, _ := r.Get("dataset")
		n, _ := r.Get("nodes")
		ex, _ := r.Get("example")
		f := ForeignNodes{}
		f.Dataset, _ = ds.(string)
		if c, ok := n.(int64); ok {
			f.Nodes = int(c)
		}
		f.Example, _ = ex.(string)
		e.Foreign = append(e.Foreign, f)
	}
	return e
}

// ReplaceGraphInBatches replaces every known dataset (curated and synthetic) with dataset d,
// written in transactions of at most batch rows. It is for generated data too large for one
// transaction: a failure half-way leaves part of d, which the next run replaces. Like
// ReplaceDataset it refuses, with a *ForeignDataError, a graph holding data it did not write.
func (s *Store) ReplaceGraphInBatches(ctx context.Context, name string, d *dataset.Dataset, batch int) error {
	if err := s.refuseForeignData(ctx, name); err != nil {
		return err
	}
	if err := s.removeDatasets(ctx, append([]string{name}, knownDatasets...)); err != nil {
		return err
	}
	nodesByKind := map[string][]map[string]any{}
	for _, n := range d.Nodes {
		if !writableKinds[n.Kind] {
			return fmt.Errorf("replace graph: node kind %q is not writable", n.Kind)
		}
		nodesByKind[n.Kind] = append(nodesByKind[n.Kind], n.Props)
	}
	relsByType := map[string][]map[string]any{}
	for _, r := range d.Rels {
		if !writableRelTypes[r.Type] {
			return fmt.Errorf("replace graph: relationship type %q is not writable", r.Type)
		}
		relsByType[r.Type] = append(relsByType[r.Type], map[string]any{"from": r.From, "to": r.To, "props": r.Props})
	}
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.database, AccessMode: neo4j.AccessModeWrite})
	defer session.Close(ctx)
	write := func(q string, rows []map[string]any) error {
		for start := 0; start < len(rows); start += batch {
			chunk := rows[start:min(start+batch, len(rows))]
			_, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
				return nil, runCounted(ctx, tx, q, map[string]any{"rows": chunk, "dataset": name}, len(chunk))
			})
			if err != nil {
				return err
			}
		}
		return nil
	}
	for _, kind := range sortedKeys(nodesByKind) {
		q := strings.ReplaceAll(statement("dataset_create_nodes"), "__LABEL__", kind)
		if err := write(q, nodesByKind[kind]); err != nil {
			return classify("replace graph: "+kind+" nodes", err)
		}
	}
	for _, typ := range sortedKeys(relsByType) {
		q := strings.ReplaceAll(statement("dataset_create_relationships"), "__TYPE__", typ)
		if err := write(q, relsByType[typ]); err != nil {
			return classify("replace graph: "+typ+" relationships", err)
		}
	}
	return nil
}
