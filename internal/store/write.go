package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
)

// Datasets kept side by side in one graph: the curated, sourced dataset, imported publisher
// files (names starting with ImportedPrefix), the change sets applied through the API
// (DatasetCuration), and generated scale data, which never mixes with the others.
const (
	DatasetCurated   = "curated"
	DatasetSynthetic = "synthetic"
	ImportedPrefix   = "import:"
)

// knownDatasets are the fixed datasets the store writes; imported ones are known by their prefix.
var knownDatasets = []string{DatasetCurated, DatasetSynthetic, DatasetCuration}

// importedName is what may follow ImportedPrefix: lower-case words, dots, dashes and slashes.
var importedName = regexp.MustCompile(`^[a-z0-9][a-z0-9._/-]{0,199}$`)

// ValidDatasetName says whether name is a dataset the store may write.
func ValidDatasetName(name string) bool {
	if name == DatasetCurated || name == DatasetSynthetic || name == DatasetCuration {
		return true
	}
	rest, ok := strings.CutPrefix(name, ImportedPrefix)
	return ok && importedName.MatchString(rest)
}

// precedence orders the datasets whose values a node shows when several assert it: approved
// change sets first, the curated dataset next, then every imported one alike (the first to state
// a node keeps it).
func precedence(name string) int {
	switch name {
	case DatasetCuration:
		return -1
	case DatasetCurated:
		return 0
	}
	return 1
}

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

// ReplaceDataset makes the curated (or any) dataset name assert exactly d, in one transaction,
// after removing generated data (curated and generated data never mix), and returns how many
// nodes and relationships d holds. See ReplaceDatasetSummary.
func (s *Store) ReplaceDataset(ctx context.Context, name string, d *dataset.Dataset) (nodes, rels int, err error) {
	if _, err := s.ReplaceDatasetSummary(ctx, name, d); err != nil {
		return 0, 0, err
	}
	return len(d.Nodes), len(d.Rels), nil
}

// ReplaceDatasetSummary is ReplaceDataset answering what the write did (UpsertDataset's summary,
// with what it withheld because curators deleted it).
func (s *Store) ReplaceDatasetSummary(ctx context.Context, name string, d *dataset.Dataset) (WriteSummary, error) {
	if err := s.refuseForeignData(ctx, name); err != nil {
		return WriteSummary{}, err
	}
	if name != DatasetSynthetic {
		if err := s.removeDatasets(ctx, []string{DatasetSynthetic}); err != nil {
			return WriteSummary{}, err
		}
	}
	legacy, err := s.read(ctx, "dataset_legacy", map[string]any{"dataset": name})
	if err != nil {
		return WriteSummary{}, err
	}
	if v, _ := legacy[0].Get("legacy"); v == true {
		// Written before datasets were recorded per item: brought up to date in place, so that
		// nothing another dataset asserts at its nodes is lost.
		if err := s.write(ctx, statement("dataset_legacy_migrate"), map[string]any{"dataset": name}); err != nil {
			return WriteSummary{}, classify("dataset_legacy_migrate", err)
		}
	}
	return s.UpsertDataset(ctx, name, d, nil)
}

// Retraction withdraws what one dataset asserts about one node (an older version of an activity
// that a newer file replaces): the dataset's claim to the node, to every relationship at it, and
// the node's generated claims of that dataset.
type Retraction struct {
	Dataset string
	Node    string
}

// WriteSummary counts what a dataset write did.
type WriteSummary struct {
	Created, Updated, CoAsserted, Unchanged  int // nodes
	RelsCreated, RelsUpdated, RelsCoAsserted int
	Claims                                   int // claims made for values that disagree with the node's
	Retracted                                int // nodes and relationships the dataset no longer asserts
	// Withheld are the keys of the nodes and relationships the dataset states that curators
	// deleted (see withhold): left out, in the order met.
	Withheld []string `json:",omitempty"`
}

// UpsertDataset makes dataset name assert exactly the nodes and relationships of d, in one
// transaction, leaving every other dataset whole:
//   - a node or relationship nobody asserts yet is created, owned by name;
//   - one that name owns, or that a dataset of lower precedence owns, takes d's values;
//   - one that another dataset of equal or higher precedence owns keeps its values; name is
//     recorded among those asserting it, and every value of d that differs becomes a Claim of
//     name on the node, side by side with the node's own;
//   - what name asserted before and d no longer holds is withdrawn: deleted when no other dataset
//     asserts it, otherwise only name's assertion goes (and its ownership passes on);
//   - retractions withdraw other datasets' assertions about single nodes first.
//
// Running it twice with the same d changes nothing. A failure leaves the graph as it was.
func (s *Store) UpsertDataset(ctx context.Context, name string, d *dataset.Dataset, retract []Retraction) (WriteSummary, error) {
	return s.UpsertDatasetChunks(ctx, name, func(yield func(Chunk) error) error {
		return yield(Chunk{Data: d, Retract: retract})
	})
}

// Chunk is one part of a dataset written by UpsertDatasetChunks: its retractions run first, and
// its relationships may reach nodes of its own or of earlier chunks.
type Chunk struct {
	Data    *dataset.Dataset
	Retract []Retraction
}

// ChunkSource hands a dataset's chunks to yield, in order. It may be called more than once (a
// transaction Neo4j asks to retry starts again), so it must produce the same chunks each time,
// for example by reading its file again.
type ChunkSource func(yield func(Chunk) error) error

// UpsertDatasetChunks is UpsertDataset for a dataset read as a stream: every chunk is written in
// one and the same transaction, so the caller holds one chunk at a time while the graph still
// changes all at once or not at all. Only the ids and keys written are kept until the end, to
// withdraw what the dataset no longer asserts.
func (s *Store) UpsertDatasetChunks(ctx context.Context, name string, chunks ChunkSource) (WriteSummary, error) {
	var sum WriteSummary
	session, err := s.datasetSession(ctx, name)
	if err != nil {
		return sum, err
	}
	defer session.Close(ctx)
	_, err = session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		sum = WriteSummary{}
		w := &datasetWrite{ctx: ctx, tx: tx, name: name, sum: &sum, now: writeClock()}
		if err := chunks(w.chunk); err != nil {
			return nil, err
		}
		if err := w.withdrawRest(); err != nil {
			return nil, err
		}
		if err := w.recordWrite(); err != nil {
			return nil, err
		}
		return nil, recordLoad(ctx, tx, name, sum)
	})
	if err != nil {
		return WriteSummary{}, datasetWriteError("upsert dataset "+name, err)
	}
	return sum, nil
}

// datasetSession checks that name is a dataset the store writes into a graph holding no foreign
// data, and opens the write session of a dataset write.
func (s *Store) datasetSession(ctx context.Context, name string) (neo4j.SessionWithContext, error) {
	if !ValidDatasetName(name) {
		return nil, fmt.Errorf("upsert dataset: %q is not a dataset name the store writes", name)
	}
	if err := s.refuseForeignData(ctx, name); err != nil {
		return nil, err
	}
	return s.writeSession(ctx), nil
}

// datasetWriteError passes a refusal of the dataset on as it is and classifies anything else.
func datasetWriteError(what string, err error) error {
	var refused *RefusedError
	if errors.As(err, &refused) {
		return err
	}
	return classify(what, err)
}

// UpsertDatasetInBatches is UpsertDatasetChunks with every chunk committed in a transaction of
// its own, and what the dataset no longer asserts withdrawn in a last one: for datasets larger
// than one Neo4j transaction may hold (dbms.memory.transaction.total.max). It is not atomic: a
// failure half-way leaves the chunks committed so far, and running the same write again
// completes it (writes are idempotent).
func (s *Store) UpsertDatasetInBatches(ctx context.Context, name string, chunks ChunkSource) (WriteSummary, error) {
	var sum WriteSummary
	session, err := s.datasetSession(ctx, name)
	if err != nil {
		return sum, err
	}
	defer session.Close(ctx)
	// Every item this write states or names gets the write's stamp; what carries the dataset but
	// not the stamp at the end is what the dataset no longer asserts. Nothing grows with the
	// dataset in memory, and the stamps go once the write is done, so that writing the same data
	// twice leaves the same graph.
	withdrawn := false
	var b [12]byte
	_, _ = rand.Read(b[:])
	stamp := hex.EncodeToString(b[:])
	now := writeClock()
	inTx := func(f func(w *datasetWrite) error) error {
		var part WriteSummary
		_, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			part = WriteSummary{}
			w := &datasetWrite{ctx: ctx, tx: tx, name: name, sum: &part, stamp: stamp, now: now}
			if err := f(w); err != nil {
				return nil, err
			}
			return nil, w.recordWrite()
		})
		sum.add(part)
		return err
	}
	err = chunks(func(c Chunk) error { return inTx(func(w *datasetWrite) error { return w.chunk(c) }) })
	for _, stmt := range []string{"dataset_withdraw_relationships_batched", "dataset_withdraw_nodes_batched", "dataset_unstamp_batched"} {
		if err != nil {
			break
		}
		var res neo4j.ResultWithContext
		if res, err = session.Run(ctx, statement(stmt), map[string]any{"dataset": name, "stamp": name + "=" + stamp, "now": now}); err == nil {
			var summary neo4j.ResultSummary
			if summary, err = res.Consume(ctx); err == nil {
				c := summary.Counters()
				sum.Retracted += c.RelationshipsDeleted() + c.NodesDeleted()
				withdrawn = withdrawn || c.ContainsUpdates()
			}
		}
	}
	if err == nil {
		err = inTx(func(w *datasetWrite) error {
			w.changed = withdrawn // the withdrawals above committed on their own: their version moves here
			if err := w.rehome(); err != nil {
				return err
			}
			return recordLoad(ctx, w.tx, name, sum)
		})
	}
	if err != nil {
		return sum, datasetWriteError("upsert dataset "+name+" in batches", err)
	}
	return sum, nil
}

func (s *WriteSummary) add(o WriteSummary) {
	s.Created += o.Created
	s.Updated += o.Updated
	s.CoAsserted += o.CoAsserted
	s.Unchanged += o.Unchanged
	s.RelsCreated += o.RelsCreated
	s.RelsUpdated += o.RelsUpdated
	s.RelsCoAsserted += o.RelsCoAsserted
	s.Claims += o.Claims
	s.Retracted += o.Retracted
	s.Withheld = append(s.Withheld, o.Withheld...)
}

// RefusedError is a dataset the store will not write as it stands (a node it names is missing,
// a kind is not writable...): nothing of it was written.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

func refused(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// RemoveDataset withdraws everything dataset name asserts, in transactions of a few thousand
// items (a large import may not fit in one): a failure half-way leaves part of it, and removing
// again completes the removal. Removing the curation dataset also forgets its deletions (see
// withhold), so that the next loads state those items again.
func (s *Store) RemoveDataset(ctx context.Context, name string) (WriteSummary, error) {
	sum, err := s.UpsertDatasetInBatches(ctx, name, func(func(Chunk) error) error { return nil })
	if err != nil || name != DatasetCuration {
		return sum, err
	}
	if err := s.write(ctx, statement("curation_clear_deletions"), nil); err != nil {
		return sum, classify("curation_clear_deletions", err)
	}
	return sum, nil
}

// DatasetInfo describes one dataset of the graph.
type DatasetInfo struct {
	Name          string
	Nodes         int // nodes it asserts
	OwnedNodes    int // of those, nodes showing its values
	Relationships int
}

// Datasets lists the datasets of the graph, by name.
func (s *Store) Datasets(ctx context.Context) ([]DatasetInfo, error) {
	recs, err := s.read(ctx, "dataset_list", nil)
	if err != nil {
		return nil, err
	}
	out := make([]DatasetInfo, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		out = append(out, DatasetInfo{Name: m["name"].(string), Nodes: int(m["nodes"].(int64)),
			OwnedNodes: int(m["owned"].(int64)), Relationships: int(m["relationships"].(int64))})
	}
	return out, nil
}

// DatasetCounts returns how many nodes and relationships a dataset asserts.
func (s *Store) DatasetCounts(ctx context.Context, name string) (nodes, rels int, err error) {
	recs, err := s.read(ctx, "dataset_counts", map[string]any{"dataset": name})
	if err != nil {
		return 0, 0, err
	}
	n, _ := recs[0].Get("nodes")
	r, _ := recs[0].Get("relationships")
	return int(n.(int64)), int(r.(int64)), nil
}

// datasetWrite is one UpsertDataset transaction.
type datasetWrite struct {
	ctx  context.Context
	tx   neo4j.ManagedTransaction
	name string
	sum  *WriteSummary
	// ids and keys of every node and relationship written so far: what the dataset asserts
	// (a write in one transaction); a write in batches stamps them instead.
	ids      []string
	keys     []string
	asserted map[string]bool // the ids, as a set
	stamp    string          // the batched write's stamp; "" for a write in one transaction
	now      time.Time       // the write's time, stamped on what it changes ($now)
	changed  bool            // something changed that the summary does not count
}

// recordWrite moves the graph's data version on when this transaction changed something.
func (w *datasetWrite) recordWrite() error {
	s := w.sum
	if !w.changed && s.Created+s.Updated+s.CoAsserted+s.RelsCreated+s.RelsUpdated+s.RelsCoAsserted+s.Claims+s.Retracted == 0 {
		return nil
	}
	return recordWrite(w.ctx, w.tx, w.now)
}

func (w *datasetWrite) exec(stmt, q string, params map[string]any) ([]*neo4j.Record, error) {
	if params == nil {
		params = map[string]any{}
	}
	params["now"] = w.now
	res, err := w.tx.Run(w.ctx, q, params)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", stmt, err)
	}
	recs, err := res.Collect(w.ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", stmt, err)
	}
	return recs, nil
}

// existing is a node or relationship as the graph holds it before the write.
type existing struct {
	labels   []string
	props    map[string]any
	owner    string
	datasets []string
	versions []string
	stated   []string
}

func existingOf(labels []any, props map[string]any) existing {
	delete(props, "start") // derived from the dates by the writing statements, never stated
	delete(props, NameKeysProperty)
	e := existing{props: props}
	for _, l := range labels {
		e.labels = append(e.labels, l.(string))
	}
	e.owner, _ = props["dataset"].(string)
	e.datasets = stringList(props["datasets"])
	if _, ok := props["datasets"]; !ok && e.owner != "" {
		e.datasets = []string{e.owner}
	}
	e.versions = stringList(props["versions"])
	e.stated = stringList(props["assertions"])
	return e
}

func stringList(v any) []string {
	items, _ := v.([]any)
	out := make([]string, 0, len(items))
	for _, it := range items {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// chunk writes one chunk of the dataset.
func (w *datasetWrite) chunk(c Chunk) error {
	d, retract := dedupe(c.Data), c.Retract
	for _, n := range d.Nodes {
		if !writableKinds[n.Kind] {
			return refused("node kind %q is not writable", n.Kind)
		}
	}
	if w.name != DatasetCuration {
		var err error
		if d, err = w.withhold(d); err != nil {
			return err
		}
	}
	for _, r := range d.Rels {
		if !writableRelTypes[r.Type] {
			return refused("relationship type %q is not writable", r.Type)
		}
	}
	for _, r := range retract {
		if r.Dataset == w.name || !ValidDatasetName(r.Dataset) {
			return refused("retraction of %s by %s is not allowed", r.Node, r.Dataset)
		}
		recs, err := w.exec("dataset_retract_node", statement("dataset_retract_node"), map[string]any{"dataset": r.Dataset, "node": r.Node})
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			n, _ := recs[0].Get("retracted")
			c, _ := n.(int64)
			w.sum.Retracted += int(c)
		}
	}
	if len(retract) > 0 {
		if err := w.rehome(); err != nil {
			return err
		}
	}

	ids := make([]string, 0, len(d.Nodes))
	for _, n := range d.Nodes {
		ids = append(ids, n.Props["id"].(string))
	}
	recs, err := w.exec("dataset_existing_nodes", statement("dataset_existing_nodes"), map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	before := make(map[string]existing, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		before[m["id"].(string)] = existingOf(m["labels"].([]any), m["props"].(map[string]any))
	}

	var claimNodes []dataset.Node
	var claimRels []dataset.Rel
	ownRows := map[string][]map[string]any{}
	var coRows []map[string]any
	for _, n := range d.Nodes {
		id := n.Props["id"].(string)
		ex, found := before[id]
		if n.Ref && !found {
			return refused("the dataset names %s, which is not in the graph (load the curated seed first)", id)
		}
		if found && !hasLabel(ex.labels, n.Kind) {
			return refused("%s is a %s in the graph; the dataset states a %s", id, strings.Join(ex.labels, ":"), n.Kind)
		}
		datasets := addName(ex.datasets, w.name)
		versions := ex.versions // naming a node leaves the version its statement recorded
		if !n.Ref {
			versions = setVersion(ex.versions, w.name, n.Version)
		}
		switch {
		case !found || (!n.Ref && w.owns(ex)):
			props := make(map[string]any, len(n.Props)+4)
			for k, v := range n.Props {
				props[k] = v
			}
			for _, k := range n.Preserve {
				if v, ok := ex.props[k]; ok && found {
					props[k] = v
				}
			}
			props["dataset"], props["datasets"], props["versions"] = w.name, datasets, versions
			stated := ex.stated
			if !n.Ref {
				stated = setStated(ex.stated, w.name, assertionOf(n.Props))
			}
			props["assertions"] = stated
			if w.stamp != "" {
				props["stamps"] = []string{w.name + "=" + w.stamp}
			}
			stampChange(props, ex.props, w.now)
			switch {
			case !found:
				w.sum.Created++
			case sameProps(ex.props, props):
				w.sum.Unchanged++
			default:
				w.sum.Updated++
			}
			ownRows[n.Kind] = append(ownRows[n.Kind], props)
		default:
			stated := ex.stated
			if !n.Ref {
				cn, cr := w.disagreements(id, "", ex.props, n.Props)
				claimNodes, claimRels = append(claimNodes, cn...), append(claimRels, cr...)
				stated = setStated(ex.stated, w.name, assertionOf(n.Props))
			}
			changed := !sameStrings(datasets, ex.datasets) || !sameStrings(versions, ex.versions) || !sameStrings(stated, ex.stated)
			if changed {
				w.sum.CoAsserted++
			} else {
				w.sum.Unchanged++
			}
			row := map[string]any{"id": id, "datasets": datasets, "versions": versions, "assertions": stated, "changed": changed}
			if w.stamp != "" {
				row["stamp"] = w.name + "=" + w.stamp
			}
			coRows = append(coRows, row)
		}
	}
	for _, c := range claimNodes {
		props := map[string]any{}
		for k, v := range c.Props {
			props[k] = v
		}
		props["dataset"], props["datasets"], props["versions"], props["changedAt"] = w.name, []string{w.name}, []string{}, w.now
		if w.stamp != "" {
			props["stamps"] = []string{w.name + "=" + w.stamp}
		}
		ownRows[dataset.KindClaim] = append(ownRows[dataset.KindClaim], props)
		ids = append(ids, c.Props["id"].(string))
	}

	// Every relationship's ends are nodes this write asserts (states or names): a dataset never
	// links to a node it does not claim, so removing another dataset can never take its links.
	// (A batched write checks the same in Cypher: both ends carry its stamp.)
	if w.asserted == nil {
		w.asserted = map[string]bool{}
	}
	for _, id := range ids {
		w.asserted[id] = true
	}
	for _, r := range d.Rels {
		for _, end := range []string{r.From, r.To} {
			if w.stamp == "" && !w.asserted[end] {
				return refused("the %s relationship from %s to %s reaches %s, which the dataset neither states nor names", r.Type, r.From, r.To, end)
			}
		}
	}

	// Relationships are compared with what the graph holds before any of them is written, so the
	// claims their values make are known before the nodes are.
	rels := append(append([]dataset.Rel{}, d.Rels...), claimRels...)
	relRows := make([]map[string]any, len(rels))
	keys := make([]string, len(rels))
	for i, r := range rels {
		keys[i] = r.Key()
		relRows[i] = map[string]any{"key": keys[i], "from": r.From, "to": r.To}
	}
	recs, err = w.exec("dataset_existing_relationships", statement("dataset_existing_relationships"), map[string]any{"rows": relRows})
	if err != nil {
		return err
	}
	relsBefore := make(map[string]existing, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		relsBefore[m["key"].(string)] = existingOf(nil, m["props"].(map[string]any))
	}
	ownRels := map[string][]map[string]any{}
	var coRels []map[string]any
	for i, r := range rels {
		ex, found := relsBefore[keys[i]]
		datasets := addName(ex.datasets, w.name)
		if !found || w.owns(ex) {
			props := make(map[string]any, len(r.Props)+3)
			for k, v := range r.Props {
				props[k] = v
			}
			props["key"], props["dataset"], props["datasets"] = keys[i], w.name, datasets
			if w.stamp != "" {
				props["stamps"] = []string{w.name + "=" + w.stamp}
			}
			stampChange(props, ex.props, w.now)
			switch {
			case !found:
				w.sum.RelsCreated++
			case !sameProps(ex.props, props):
				w.sum.RelsUpdated++
			}
			ownRels[r.Type] = append(ownRels[r.Type], map[string]any{"from": r.From, "to": r.To, "key": keys[i], "props": props})
			continue
		}
		subject := r.To
		if r.Type == dataset.RelTargets || r.Type == dataset.RelFinancedBy || r.Type == dataset.RelAddresses {
			subject = r.From
		}
		cn, cr := w.disagreements(subject, r.Type+" "+r.From+" -> "+r.To, ex.props, r.Props)
		for _, c := range cn {
			props := map[string]any{}
			for k, v := range c.Props {
				props[k] = v
			}
			props["dataset"], props["datasets"], props["versions"], props["changedAt"] = w.name, []string{w.name}, []string{}, w.now
			ownRows[dataset.KindClaim] = append(ownRows[dataset.KindClaim], props)
			ids = append(ids, c.Props["id"].(string))
		}
		for _, c := range cr {
			k := c.Key()
			props := map[string]any{}
			for pk, pv := range c.Props {
				props[pk] = pv
			}
			props["key"], props["dataset"], props["datasets"] = k, w.name, []string{w.name}
			if w.stamp != "" {
				props["stamps"] = []string{w.name + "=" + w.stamp}
			}
			ownRels[c.Type] = append(ownRels[c.Type], map[string]any{"from": c.From, "to": c.To, "key": k, "props": props})
			keys = append(keys, k)
			w.sum.RelsCreated++
		}
		if !sameStrings(datasets, ex.datasets) {
			w.sum.RelsCoAsserted++
		}
		coRel := map[string]any{"from": r.From, "to": r.To, "key": keys[i], "datasets": datasets, "changed": !sameStrings(datasets, ex.datasets)}
		if w.stamp != "" {
			coRel["stamp"] = w.name + "=" + w.stamp
		}
		coRels = append(coRels, coRel)
	}
	w.sum.Claims += len(ownRows[dataset.KindClaim])

	for _, kind := range sortedKeys(ownRows) {
		q := strings.ReplaceAll(statement("dataset_own_nodes"), "__LABEL__", kind)
		if _, err := w.exec("dataset_own_nodes "+kind, q, map[string]any{"rows": withNameKeysAll(ownRows[kind])}); err != nil {
			return err
		}
	}
	if len(coRows) > 0 {
		if _, err := w.exec("dataset_coassert_nodes", statement("dataset_coassert_nodes"), map[string]any{"rows": coRows}); err != nil {
			return err
		}
	}
	for _, typ := range sortedKeys(ownRels) {
		rows := ownRels[typ]
		q := strings.ReplaceAll(statement("dataset_own_relationships"), "__TYPE__", typ)
		var stamp any
		if w.stamp != "" {
			stamp = w.name + "=" + w.stamp
		}
		recs, err := w.exec("dataset_own_relationships "+typ, q, map[string]any{"rows": rows, "stamp": stamp})
		if err != nil {
			return err
		}
		if n, _ := recs[0].Get("written"); n.(int64) != int64(len(rows)) {
			return refused("%s relationships: wrote %d of %d (an end is missing)", typ, n, len(rows))
		}
	}
	if len(coRels) > 0 {
		if _, err := w.exec("dataset_coassert_relationships", statement("dataset_coassert_relationships"), map[string]any{"rows": coRels}); err != nil {
			return err
		}
	}
	if w.stamp == "" {
		w.ids = append(w.ids, ids...)
		w.keys = append(w.keys, keys...)
	} else {
		w.asserted = nil
	}
	return nil
}

// dependentEnd are the relationship types whose end node needs its start: a claim's subject
// (HAS_CLAIM), a priority's holder (STATES).
var dependentEnd = map[string]bool{dataset.RelHasClaim: true, dataset.RelStates: true}

// withhold leaves out of d what curators deleted: a node or relationship an approved change set
// deleted stays deleted whatever a dataset states (the curation dataset ranks above every
// other), and so do the relationships d states at such a node. Their keys go to the summary's
// Withheld, so the load says what it left out. A change set that creates the item again, a
// revert of the deletion, or the removal of the curation dataset lifts the deletion.
func (w *datasetWrite) withhold(d *dataset.Dataset) (*dataset.Dataset, error) {
	keys := make([]string, 0, len(d.Nodes)+len(d.Rels))
	for _, n := range d.Nodes {
		keys = append(keys, n.Props["id"].(string))
	}
	for _, r := range d.Rels {
		keys = append(keys, r.Key())
	}
	if len(keys) == 0 {
		return d, nil
	}
	recs, err := w.exec("dataset_withheld", statement("dataset_withheld"), map[string]any{"keys": keys})
	if err != nil || len(recs) == 0 {
		return d, err
	}
	deleted := make(map[string]bool, len(recs))
	for _, r := range recs {
		k, _ := r.Get("key")
		deleted[k.(string)] = true
	}
	// A node that cannot stand without the node it hangs from (a claim without its subject, a
	// priority without its holder) goes with it.
	for more := true; more; {
		more = false
		for _, r := range d.Rels {
			if dependentEnd[r.Type] && deleted[r.From] && !deleted[r.To] {
				deleted[r.To], more = true, true
			}
		}
	}
	out := &dataset.Dataset{}
	for _, n := range d.Nodes {
		id := n.Props["id"].(string)
		if !deleted[id] {
			out.Nodes = append(out.Nodes, n)
		} else if !n.Ref {
			w.sum.Withheld = append(w.sum.Withheld, id)
		}
	}
	for _, r := range d.Rels {
		if deleted[r.Key()] || deleted[r.From] || deleted[r.To] {
			w.sum.Withheld = append(w.sum.Withheld, r.Key())
			continue
		}
		out.Rels = append(out.Rels, r)
	}
	return out, nil
}

// withdrawRest withdraws what the dataset asserted before and no chunk of this write holds.
func (w *datasetWrite) withdrawRest() error {
	for _, stmt := range []string{"dataset_withdraw_relationships", "dataset_withdraw_nodes"} {
		recs, err := w.exec(stmt, statement(stmt), map[string]any{"dataset": w.name, "ids": w.ids, "keys": w.keys})
		if err != nil {
			return err
		}
		n, _ := recs[0].Get("withdrawn")
		w.sum.Retracted += int(n.(int64))
	}
	return w.rehome()
}

// rehome shows, on every node whose owner withdrew, the values of the dataset that owns it
// next: curated when it states the node, otherwise the first other dataset that states it (in
// the order they first asserted it). That dataset's values are the node's where it agreed and
// its claims where it did not (those claims are then deleted: they no longer disagree), its
// sources become the node's, and properties it does not state go. A node that only references
// name any more (no dataset states its values) keeps the values it had.
func (w *datasetWrite) rehome() error {
	recs, err := w.exec("dataset_rehome_candidates", statement("dataset_rehome_candidates"), nil)
	if err != nil {
		return err
	}
	rows := make([]map[string]any, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		held := m["props"].(map[string]any)
		datasets := stringList(held["datasets"])
		stated := statedBy(stringList(held["assertions"]))
		owner := ""
		if _, ok := stated[DatasetCurated]; ok && containsString(datasets, DatasetCurated) {
			owner = DatasetCurated
		}
		for _, d := range datasets {
			if _, ok := stated[d]; ok && owner == "" {
				owner = d
			}
		}
		props := map[string]any{}
		var promoted []string
		st, states := stated[owner]
		for k, v := range held {
			if k != "rehome" && (systemProps[k] || !states) {
				props[k] = v
			}
		}
		if !states && len(datasets) > 0 {
			owner = datasets[0]
		}
		props["dataset"], props["changedAt"] = owner, w.now
		if states {
			claimed := map[string]any{}
			for _, c := range m["claims"].([]any) {
				cm, _ := c.(map[string]any)
				if cm == nil || cm["dataset"] != owner {
					continue
				}
				claimed[fmt.Sprint(cm["property"])] = cm["value"]
				promoted = append(promoted, fmt.Sprint(cm["id"]))
			}
			for _, p := range st.Props {
				if v, ok := claimed[p]; ok {
					props[p] = v
				} else if v, ok := held[p]; ok {
					props[p] = v
				}
			}
			props["sourceIds"], props["sourceLocators"], props["sourceStatuses"] = st.Sources, st.Locators, st.Statuses
		}
		rows = append(rows, map[string]any{"id": m["id"], "props": withNameKeys(props), "claims": promoted})
	}
	if len(rows) == 0 {
		return nil
	}
	_, err = w.exec("dataset_rehome_write", statement("dataset_rehome_write"), map[string]any{"rows": rows})
	return err
}

// dedupe keeps one of the nodes a chunk lists several times (the last that states values, else a
// reference) and one of its relationships with the same key (the last).
func dedupe(d *dataset.Dataset) *dataset.Dataset {
	out := &dataset.Dataset{}
	at := map[string]int{}
	for _, n := range d.Nodes {
		id, _ := n.Props["id"].(string)
		if i, seen := at[id]; seen {
			if !n.Ref {
				out.Nodes[i] = n
			}
			continue
		}
		at[id] = len(out.Nodes)
		out.Nodes = append(out.Nodes, n)
	}
	relAt := map[string]int{}
	for _, r := range d.Rels {
		k := r.Key()
		if i, seen := relAt[k]; seen {
			out.Rels[i] = r
			continue
		}
		relAt[k] = len(out.Rels)
		out.Rels = append(out.Rels, r)
	}
	return out
}

// owns says whether this write's values replace those of ex: it owns ex already, ex's owner no
// longer asserts it, or ex's owner comes after it in precedence.
func (w *datasetWrite) owns(ex existing) bool {
	if ex.owner == w.name || ex.owner == "" || !containsString(ex.datasets, ex.owner) {
		return true
	}
	return precedence(w.name) < precedence(ex.owner)
}

// systemProps are maintained by the store, never compared or claimed.
var systemProps = map[string]bool{"id": true, "dataset": true, "datasets": true, "versions": true, "key": true,
	"assertions": true, "rehome": true, "stamps": true, "changedAt": true,
	"sourceIds": true, "sourceLocators": true, "sourceStatuses": true}

// disagreements returns a Claim of this write's dataset for every value of stated that the
// graph's node (or relationship, named by what) holds differently or not at all, attached to
// subject and carrying stated's sources.
func (w *datasetWrite) disagreements(subject, what string, held, stated map[string]any) ([]dataset.Node, []dataset.Rel) {
	var nodes []dataset.Node
	var rels []dataset.Rel
	for _, prop := range sortedKeys(stated) {
		v := stated[prop]
		if systemProps[prop] || v == nil || sameValue(held[prop], v) {
			continue
		}
		property := prop
		if what != "" {
			property = what + ": " + prop
		}
		id := claimID(w.name, subject, property)
		props := map[string]any{"id": id, "property": property, "value": fmt.Sprint(plain(v)), "statedValue": v, "generated": true}
		if f, ok := v.(float64); ok {
			props["number"] = f
		}
		for _, unit := range []string{"currency", "budgetCurrency"} {
			if c, ok := stated[unit].(string); ok && (prop == "amount" || prop == "budget") {
				props["unit"] = c
			}
		}
		src := map[string]any{}
		for _, k := range []string{"sourceIds", "sourceLocators", "sourceStatuses"} {
			if sv, ok := stated[k]; ok {
				props[k], src[k] = sv, sv
			}
		}
		nodes = append(nodes, dataset.Node{Kind: dataset.KindClaim, Props: props})
		rels = append(rels, dataset.Rel{Type: dataset.RelHasClaim, From: subject, To: id, Props: src})
	}
	return nodes, rels
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// claimID is the id of the claim a dataset makes about one property of a subject: a readable
// start and a hash of the three, so that no two claims share an id.
func claimID(datasetName, subject, property string) string {
	sum := sha256.Sum256([]byte(datasetName + "\x00" + subject + "\x00" + property))
	start := strings.Trim(notSlug.ReplaceAllString(strings.ToLower(property), "-"), "-")
	if len(start) > 40 {
		start = strings.Trim(start[:40], "-")
	}
	return "claim:" + start + "-" + hex.EncodeToString(sum[:8])
}

func plain(v any) any {
	if l, ok := v.([]string); ok {
		return strings.Join(l, "; ")
	}
	return v
}

// sameValue compares a value read from Neo4j with one about to be written.
func sameValue(held, stated any) bool {
	return fmt.Sprint(canonical(held)) == fmt.Sprint(canonical(stated))
}

func sameProps(held, stated map[string]any) bool {
	if len(held) != len(stated) {
		return false
	}
	for k, v := range stated {
		if !sameValue(held[k], v) {
			return false
		}
	}
	return true
}

func hasLabel(labels []string, kind string) bool { return containsString(labels, kind) }

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// addName returns datasets with name added at the end: the list keeps the order in which the
// datasets first asserted the item, which decides who owns it next when its owner withdraws.
func addName(datasets []string, name string) []string {
	out := append([]string{}, datasets...)
	if !containsString(out, name) {
		out = append(out, name)
	}
	return out
}

// assertion is what one dataset states about a node: the properties it gives and its sources,
// kept on the node (property "assertions", one "dataset<TAB>json" entry per dataset) so that the
// node can show the next dataset's values when its owner withdraws.
type assertion struct {
	Props    []string `json:"p"`
	Sources  any      `json:"s,omitempty"`
	Locators any      `json:"l,omitempty"`
	Statuses any      `json:"t,omitempty"`
}

func assertionOf(props map[string]any) assertion {
	st := assertion{Sources: props["sourceIds"], Locators: props["sourceLocators"], Statuses: props["sourceStatuses"]}
	for _, k := range sortedKeys(props) {
		if !systemProps[k] && props[k] != nil {
			st.Props = append(st.Props, k)
		}
	}
	return st
}

// setStated records name's statement among a node's, keeping the others in their order.
func setStated(stated []string, name string, st assertion) []string {
	b, _ := json.Marshal(st)
	out := make([]string, 0, len(stated)+1)
	replaced := false
	for _, e := range stated {
		if strings.HasPrefix(e, name+"\t") {
			out = append(out, name+"\t"+string(b))
			replaced = true
			continue
		}
		out = append(out, e)
	}
	if !replaced {
		out = append(out, name+"\t"+string(b))
	}
	return out
}

// statedBy reads a node's statements by dataset.
func statedBy(stated []string) map[string]assertion {
	out := map[string]assertion{}
	for _, e := range stated {
		name, js, ok := strings.Cut(e, "\t")
		if !ok {
			continue
		}
		var st assertion
		if json.Unmarshal([]byte(js), &st) == nil {
			out[name] = st
		}
	}
	return out
}

// setVersion records name's version ("name=version") among versions, kept sorted.
func setVersion(versions []string, name, version string) []string {
	out := make([]string, 0, len(versions)+1)
	for _, v := range versions {
		if !strings.HasPrefix(v, name+"=") {
			out = append(out, v)
		}
	}
	if version != "" {
		out = append(out, name+"="+version)
	}
	sort.Strings(out)
	return out
}

// VersionsOf returns, per node id, the version each dataset asserting it recorded.
func (s *Store) VersionsOf(ctx context.Context, ids []string) (map[string]map[string]string, error) {
	recs, err := s.read(ctx, "dataset_versions", map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for _, r := range recs {
		m := r.AsMap()
		id := m["id"].(string)
		out[id] = map[string]string{}
		for _, ds := range stringList(m["datasets"]) {
			out[id][ds] = ""
		}
		for _, v := range stringList(m["versions"]) {
			if ds, ver, ok := strings.Cut(v, "="); ok {
				out[id][ds] = ver
			}
		}
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// removeDatasets removes every node the named datasets own, in small transactions. It is for
// data no other dataset shares: the synthetic graph, or a dataset written before datasets were
// recorded per node.
func (s *Store) removeDatasets(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	session := s.writeSession(ctx)
	defer session.Close(ctx)
	removed := false
	for _, stmt := range []string{"dataset_remove_relationships", "dataset_remove"} {
		res, err := session.Run(ctx, statement(stmt), map[string]any{"datasets": names})
		if err == nil {
			var summary neo4j.ResultSummary
			if summary, err = res.Consume(ctx); err == nil {
				removed = removed || summary.Counters().ContainsUpdates()
			}
		}
		if err != nil {
			return classify(stmt, err)
		}
	}
	if !removed {
		return nil
	}
	if _, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) { return nil, recordWrite(ctx, tx, writeClock()) }); err != nil {
		return classify("record the removal", err)
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
	res, err := neo4j.ExecuteQuery(ctx, s.driver, q, map[string]any{"known": known, "imported": ImportedPrefix},
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(s.database), neo4j.ExecuteQueryWithReadersRouting())
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

// ReplaceGraphInBatches replaces every dataset (curated, imported and synthetic) with dataset d,
// written in transactions of at most batch rows (nodes first, then relationships). It is for
// generated data too large for one transaction; see ReplaceGraphStream.
func (s *Store) ReplaceGraphInBatches(ctx context.Context, name string, d *dataset.Dataset, batch int) error {
	if batch < 1 {
		return fmt.Errorf("replace graph: batches must hold at least one row, got %d", batch)
	}
	_, err := s.ReplaceGraphStream(ctx, name, func(emit func(*dataset.Dataset) error) error {
		for start := 0; start < len(d.Nodes); start += batch {
			if err := emit(&dataset.Dataset{Nodes: d.Nodes[start:min(start+batch, len(d.Nodes))]}); err != nil {
				return err
			}
		}
		for start := 0; start < len(d.Rels); start += batch {
			if err := emit(&dataset.Dataset{Rels: d.Rels[start:min(start+batch, len(d.Rels))]}); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// GraphChunks hands a dataset to emit in chunks, in order: every relationship of a chunk joins
// nodes of that chunk or of earlier ones. It returns the first error of emit.
type GraphChunks func(emit func(*dataset.Dataset) error) error

// StreamSummary is what ReplaceGraphStream wrote, and where its time went.
type StreamSummary struct {
	Nodes, Rels  int
	Transactions int
	Removal      time.Duration // removing what the graph held
	Writing      time.Duration // the write transactions (generation runs alongside)
	// Statements is the time spent in the statements of each node kind and relationship type.
	Statements map[string]time.Duration
}

// ReplaceGraphStream replaces every dataset (curated, imported and synthetic) with the dataset
// that chunks produces, writing each chunk in one transaction while the next one is produced, so
// that a graph of any size is written in the memory of a few chunks (and a map from node id to
// element id). The dataset must be valid by construction (nothing checks it as `seed load` checks
// files); relationships must join nodes of the stream. A failure half-way leaves part of the
// dataset, which the next replacement removes. Like ReplaceDataset it refuses, with a
// *ForeignDataError, a graph holding data it did not write.
func (s *Store) ReplaceGraphStream(ctx context.Context, name string, chunks GraphChunks) (StreamSummary, error) {
	sum := StreamSummary{Statements: map[string]time.Duration{}}
	started := time.Now()
	if err := s.refuseForeignData(ctx, name); err != nil {
		return sum, err
	}
	present, err := s.read(ctx, "dataset_names", nil)
	if err != nil {
		return sum, err
	}
	remove := append([]string{name}, knownDatasets...)
	for _, p := range present {
		n, _ := p.Get("name")
		if s, ok := n.(string); ok && ValidDatasetName(s) {
			remove = append(remove, s)
		}
	}
	if err := s.removeDatasets(ctx, remove); err != nil {
		return sum, err
	}
	sum.Removal = time.Since(started)

	// The chunks are produced in their own goroutine, one ahead of the writes.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queue := make(chan *dataset.Dataset, 1)
	produced := make(chan error, 1)
	go func() {
		defer close(queue)
		produced <- chunks(func(d *dataset.Dataset) error {
			select {
			case queue <- d:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	w := &streamWriter{store: s, name: name, now: writeClock(), elements: map[string]string{}, sum: &sum}
	session := s.writeSession(ctx)
	defer session.Close(ctx)
	writing := time.Now()
	for d := range queue {
		if err := w.write(ctx, session, d); err != nil {
			cancel()
			for range queue {
			}
			return sum, err
		}
	}
	sum.Writing = time.Since(writing)
	if err := <-produced; err != nil {
		return sum, fmt.Errorf("replace graph: %w", err)
	}
	return sum, nil
}

// streamWriter writes the chunks of ReplaceGraphStream.
type streamWriter struct {
	store    *Store
	name     string
	now      time.Time
	elements map[string]string // node id -> element id of every node written so far
	sum      *StreamSummary
}

// write writes one chunk in one transaction: its nodes by kind, then its relationships by type.
func (w *streamWriter) write(ctx context.Context, session neo4j.SessionWithContext, d *dataset.Dataset) error {
	nodesByKind := map[string][]map[string]any{}
	for _, n := range d.Nodes {
		if !writableKinds[n.Kind] {
			return fmt.Errorf("replace graph: node kind %q is not writable", n.Kind)
		}
		nodesByKind[n.Kind] = append(nodesByKind[n.Kind], withNameKeys(n.Props))
	}
	relsByType := map[string][]dataset.Rel{}
	for _, r := range d.Rels {
		if !writableRelTypes[r.Type] {
			return fmt.Errorf("replace graph: relationship type %q is not writable", r.Type)
		}
		relsByType[r.Type] = append(relsByType[r.Type], r)
	}
	timings := map[string]time.Duration{}
	var created map[string]string
	_, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		created = map[string]string{} // a retried transaction starts again
		clear(timings)
		for _, kind := range sortedKeys(nodesByKind) {
			t0 := time.Now()
			q := strings.ReplaceAll(statement("dataset_create_nodes"), "__LABEL__", kind)
			res, err := tx.Run(ctx, q, map[string]any{"rows": nodesByKind[kind], "dataset": w.name, "now": w.now})
			if err != nil {
				return nil, classify("replace graph: "+kind+" nodes", err)
			}
			n := 0
			for res.Next(ctx) {
				id, _ := res.Record().Values[0].(string)
				element, _ := res.Record().Values[1].(string)
				created[id] = element
				n++
			}
			if err := res.Err(); err != nil {
				return nil, classify("replace graph: "+kind+" nodes", err)
			}
			if n != len(nodesByKind[kind]) {
				return nil, fmt.Errorf("replace graph: created %d of %d %s nodes", n, len(nodesByKind[kind]), kind)
			}
			timings[kind] += time.Since(t0)
		}
		element := func(id string) (string, error) {
			if e, ok := created[id]; ok {
				return e, nil
			}
			if e, ok := w.elements[id]; ok {
				return e, nil
			}
			return "", fmt.Errorf("replace graph: a relationship names node %q, which the dataset does not hold (before it)", id)
		}
		for _, typ := range sortedKeys(relsByType) {
			t0 := time.Now()
			rels := relsByType[typ]
			rows := make([]map[string]any, len(rels))
			for i, r := range rels {
				from, err := element(r.From)
				if err != nil {
					return nil, err
				}
				to, err := element(r.To)
				if err != nil {
					return nil, err
				}
				props := make(map[string]any, len(r.Props)+4)
				for k, v := range r.Props {
					props[k] = v
				}
				props["key"], props["dataset"], props["datasets"], props["changedAt"] = r.Key(), w.name, []string{w.name}, w.now
				rows[i] = map[string]any{"from": from, "to": to, "props": props}
			}
			q := strings.ReplaceAll(statement("dataset_create_relationships"), "__TYPE__", typ)
			if err := runCounted(ctx, tx, q, map[string]any{"rows": rows}, len(rows)); err != nil {
				return nil, classify("replace graph: "+typ+" relationships", err)
			}
			timings[typ] += time.Since(t0)
		}
		return nil, recordWrite(ctx, tx, w.now)
	})
	if err != nil {
		return err
	}
	for id, e := range created {
		w.elements[id] = e
	}
	for k, t := range timings {
		w.sum.Statements[k] += t
	}
	w.sum.Nodes += len(d.Nodes)
	w.sum.Rels += len(d.Rels)
	w.sum.Transactions++
	return nil
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

// DirectoryEntry is a node an importer may resolve a reference to.
type DirectoryEntry struct {
	ID, Kind, Name, ShortName, IATIIdentifier, ISO2, ISO3, Dataset string
	Aliases, DACCodes                                              []string
}

// ImportDirectory lists the organisations, countries, themes and instruments of the graph and its
// projects with an IATI identifier, for importers to resolve references against.
func (s *Store) ImportDirectory(ctx context.Context) ([]DirectoryEntry, error) {
	recs, err := s.read(ctx, "import_directory", nil)
	if err != nil {
		return nil, err
	}
	out := make([]DirectoryEntry, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		str := func(k string) string { v, _ := m[k].(string); return v }
		out = append(out, DirectoryEntry{ID: str("id"), Kind: str("kind"), Name: str("name"), ShortName: str("shortName"),
			IATIIdentifier: str("iatiIdentifier"), ISO2: str("iso2"), ISO3: str("iso3"), Dataset: str("dataset"),
			Aliases: stringList(m["aliases"]), DACCodes: stringList(m["dacCodes"])})
	}
	return out, nil
}

// GraphCounts are the numbers of nodes of each kind and relationships of each type of a graph.
type GraphCounts struct {
	Nodes map[string]int // by kind; "Entity" counts every node of the model
	Rels  map[string]int // by type
	// Owned maps the dataset asked about to the number of nodes it owns.
	Owned map[string]int
}

// CountGraph counts the graph's nodes by kind and relationships by type (from Neo4j's count store,
// in constant time), and the nodes that dataset owns (from an index).
func (s *Store) CountGraph(ctx context.Context, owner string) (GraphCounts, error) {
	c := GraphCounts{Nodes: map[string]int{}, Rels: map[string]int{}, Owned: map[string]int{}}
	count := func(name, q string, params map[string]any) (int, error) {
		recs, err := s.readQuery(ctx, name, q, params)
		if err != nil {
			return 0, err
		}
		n, _ := recs[0].Get("count")
		return int(n.(int64)), nil
	}
	for _, kind := range append([]string{"Entity"}, dataset.NodeKinds...) {
		n, err := count("graph_label_count", strings.ReplaceAll(statement("graph_label_count"), "__LABEL__", kind), nil)
		if err != nil {
			return c, err
		}
		c.Nodes[kind] = n
	}
	for _, typ := range dataset.RelTypes {
		if !writableRelTypes[typ] {
			return c, fmt.Errorf("count graph: relationship type %q is not writable", typ)
		}
		n, err := count("graph_type_count", strings.ReplaceAll(statement("graph_type_count"), "__TYPE__", typ), nil)
		if err != nil {
			return c, err
		}
		c.Rels[typ] = n
	}
	n, err := count("dataset_owned_count", statement("dataset_owned_count"), map[string]any{"dataset": owner})
	if err != nil {
		return c, err
	}
	c.Owned[owner] = n
	return c, nil
}
