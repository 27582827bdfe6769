package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
)

// DatasetCuration is the dataset of the change sets applied through the API. It ranks above the
// curated seed: an approved correction shows even after the seed is loaded again (the seed's
// differing value then stands beside it as the seed's claim), and the seed's and the imports'
// own statements stay recorded beside it, as any dataset's do.
const DatasetCuration = "curation"

// Change set statuses.
const (
	ChangeProposed = "PROPOSED"
	ChangeApplied  = "APPLIED"
	ChangeRejected = "REJECTED"
	ChangeReverted = "REVERTED"
)

// Operations of a change set.
const (
	OpCreateNode         = "CREATE_NODE"
	OpUpdateNode         = "UPDATE_NODE"
	OpDeleteNode         = "DELETE_NODE"
	OpAddRelationship    = "ADD_RELATIONSHIP"
	OpUpdateRelationship = "UPDATE_RELATIONSHIP"
	OpRemoveRelationship = "REMOVE_RELATIONSHIP"
)

// Operation is one change of a change set: a node or a relationship with its properties before
// and after (nil: absent). BeforeVersion is the version of the item the change was made
// against; applying fails with a conflict when the graph holds another.
type Operation struct {
	Op            string         `json:"op"`
	Kind          string         `json:"kind,omitempty"`
	ID            string         `json:"id,omitempty"`
	Type          string         `json:"type,omitempty"`
	From          string         `json:"from,omitempty"`
	FromKind      string         `json:"fromKind,omitempty"`
	To            string         `json:"to,omitempty"`
	ToKind        string         `json:"toKind,omitempty"`
	Key           string         `json:"key,omitempty"`
	Before        map[string]any `json:"before,omitempty"`
	After         map[string]any `json:"after,omitempty"`
	BeforeVersion string         `json:"beforeVersion,omitempty"`
}

// Touched returns the node ids an operation touches.
func (o Operation) Touched() []string {
	if o.ID != "" {
		return []string{o.ID}
	}
	return []string{o.From, o.To}
}

// ChangeSet is a reviewed unit of change: who proposed it (an API key's name), when and why,
// its operations with the before and after of everything they touch, and its review.
type ChangeSet struct {
	ID            string
	Author        string
	Comment       string
	Status        string
	Dataset       string // DatasetCuration, or the dataset a load wrote
	Source        string // key of the source its facts cite ("" for loads)
	CreatedAt     time.Time
	ChangedAt     time.Time
	Reviewer      string
	ReviewComment string
	RevertOf      string // the change set it reverts
	RevertedBy    string
	Operations    []Operation
	Summary       string // for loads: what the write did
	// Idempotency is the caller's idempotency key (hashed, with its author) and IdempotencyInput
	// the fingerprint of the request made with it, recorded in the transaction that creates the
	// change set: a retry whose shared record of the key was lost (an instance died between the
	// write and that record) still finds the change set. "" when the request had no key.
	Idempotency      string
	IdempotencyInput string
}

// CurationError is a change the store refuses for the graph's state (a stale version, a
// missing node, a change set already reviewed): nothing of it was written.
type CurationError struct {
	Code    string // CONFLICT, NOT_FOUND, INVALID_STATUS, INVALID
	Field   string
	Message string
}

func (e *CurationError) Error() string { return e.Message }

func curationErr(code, field, format string, args ...any) error {
	return &CurationError{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// bookkeeping are the properties the store keeps on nodes and relationships for datasets and
// writes, and the name keys it derives for search; what remains are the facts, which versions
// and change sets compare.
var bookkeeping = map[string]bool{"dataset": true, "datasets": true, "versions": true, "key": true, "assertions": true,
	"rehome": true, "stamps": true, "changedAt": true, "curationLock": true, NameKeysProperty: true}

// Facts returns the properties of a node or relationship that state facts (bookkeeping left out).
func Facts(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		if !bookkeeping[k] && v != nil {
			out[k] = v
		}
	}
	return out
}

// VersionOf is the version of a node or relationship: a digest of its facts, which changes
// whenever one of them does, whoever writes it (a change set, the seed, an import).
func VersionOf(props map[string]any) string {
	b, _ := json.Marshal(canonical(Facts(props)))
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// canonical makes values read from Neo4j and values decoded from JSON compare alike.
func canonical(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = canonical(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = canonical(e)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case int64:
		return float64(x)
	case int:
		return float64(x)
	}
	return v
}

// NodeState is a node as a change reads it.
type NodeState struct {
	ID, Kind string
	Props    map[string]any
	Version  string
}

// RelState is a relationship as a change reads it.
type RelState struct {
	Type, From, To, FromKind, ToKind, Key string
	Props                                 map[string]any
	Version                               string
}

// CurationNodes returns the nodes of the given ids the graph holds, by id.
func (s *Store) CurationNodes(ctx context.Context, ids []string) (map[string]NodeState, error) {
	recs, err := s.read(ctx, "curation_nodes", map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	return nodeStates(recs), nil
}

func nodeStates(recs []*neo4j.Record) map[string]NodeState {
	out := make(map[string]NodeState, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		props, _ := m["props"].(map[string]any)
		kind, _ := m["kind"].(string)
		id := m["id"].(string)
		out[id] = NodeState{ID: id, Kind: kind, Props: props, Version: VersionOf(props)}
	}
	return out
}

// NodeByNaturalKey finds the node of a kind by its natural key (see curation_node_by_key):
// "" when none, an error when two answer to it.
func (s *Store) NodeByNaturalKey(ctx context.Context, kind, key string) (string, error) {
	if !writableKinds[kind] {
		return "", fmt.Errorf("natural key: kind %q is not writable", kind)
	}
	recs, err := s.read(ctx, "curation_node_by_key", map[string]any{"kind": kind, "key": key})
	if err != nil {
		return "", err
	}
	switch len(recs) {
	case 0:
		return "", nil
	case 1:
		id, _ := recs[0].Get("id")
		return id.(string), nil
	}
	return "", curationErr("CONFLICT", "naturalKey", "several %s nodes answer to %q; name one by its key", kind, key)
}

// CurationRelationships returns the relationships at a node (node != ""), or the one of type
// typ and key between from and to.
func (s *Store) CurationRelationships(ctx context.Context, node, typ, from, to, key string) ([]RelState, error) {
	params := map[string]any{"node": nil, "type": typ, "from": from, "to": to, "key": key}
	if node != "" {
		params["node"] = node
	}
	recs, err := s.read(ctx, "curation_relationships", params)
	if err != nil {
		return nil, err
	}
	out := make([]RelState, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		props, _ := m["props"].(map[string]any)
		k, _ := props["key"].(string)
		out = append(out, RelState{Type: m["type"].(string), From: m["from"].(string), To: m["to"].(string),
			FromKind: fmt.Sprint(m["fromKind"]), ToKind: fmt.Sprint(m["toKind"]), Key: k, Props: props, Version: VersionOf(props)})
	}
	return out, nil
}

// RelationshipKey is the key of a relationship of type typ between from and to with the given
// properties (its role or pillar tells relationships of one type between two nodes apart).
func RelationshipKey(typ, from, to string, props map[string]any) string {
	return dataset.Rel{Type: typ, From: from, To: to, Props: props}.Key()
}

// ProposeChangeSet records a change set (its ID, CreatedAt and Status set here) and the nodes
// it touches.
func (s *Store) ProposeChangeSet(ctx context.Context, cs *ChangeSet) error {
	cs.ID = newChangeSetID()
	cs.CreatedAt = time.Now().UTC()
	cs.ChangedAt = cs.CreatedAt
	if cs.Status == "" {
		cs.Status = ChangeProposed
	}
	session := s.writeSession(ctx)
	defer s.closeWrite(ctx, session)
	_, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return nil, createChangeSet(ctx, tx, cs)
	})
	if err != nil {
		return classify("curation_create_change_set", err)
	}
	return nil
}

func newChangeSetID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return "changeset:" + hex.EncodeToString(b[:])
}

// createChangeSet writes a change set node; the dataset it writes is its property ofDataset (a
// change set is no part of any dataset: "dataset" is what the datasets' own nodes carry).
func createChangeSet(ctx context.Context, tx neo4j.ManagedTransaction, cs *ChangeSet) error {
	ops, err := json.Marshal(cs.Operations)
	if err != nil {
		return err
	}
	props := map[string]any{"id": cs.ID, "author": cs.Author, "comment": cs.Comment, "status": cs.Status,
		"ofDataset": cs.Dataset, "source": cs.Source, "operations": string(ops), "summary": cs.Summary, "revertOf": cs.RevertOf}
	if cs.Idempotency != "" {
		props["idempotency"], props["idempotencyInput"] = cs.Idempotency, cs.IdempotencyInput
	}
	touched := map[string]bool{}
	for _, o := range cs.Operations {
		for _, id := range o.Touched() {
			touched[id] = true
		}
	}
	res, err := tx.Run(ctx, statement("curation_create_change_set"), map[string]any{
		"props": props, "createdAt": cs.CreatedAt.Format(time.RFC3339Nano), "touched": sortedKeys(touched)})
	if err == nil {
		_, err = res.Consume(ctx)
	}
	return err
}

// ChangeSetByID returns a change set; nil when none has that id.
func (s *Store) ChangeSetByID(ctx context.Context, id string) (*ChangeSet, error) {
	recs, err := s.read(ctx, "curation_change_set", map[string]any{"id": id})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return changeSetOf(recs[0])
}

// ChangeSetByIdempotency returns the change set created under an idempotency key (see
// ChangeSet.Idempotency) after the instant since; nil when none was.
func (s *Store) ChangeSetByIdempotency(ctx context.Context, key string, since time.Time) (*ChangeSet, error) {
	recs, err := s.read(ctx, "curation_change_set_by_idempotency", map[string]any{"key": key, "since": since.UTC().Format(time.RFC3339Nano)})
	if err != nil {
		return nil, classify("change set by idempotency key", err)
	}
	if len(recs) == 0 {
		return nil, nil
	}
	return changeSetOf(recs[0])
}

func changeSetOf(r *neo4j.Record) (*ChangeSet, error) {
	v, _ := r.Get("props")
	m, _ := v.(map[string]any)
	str := func(k string) string { s, _ := m[k].(string); return s }
	cs := &ChangeSet{ID: str("id"), Author: str("author"), Comment: str("comment"), Status: str("status"),
		Dataset: str("ofDataset"), Source: str("source"), Reviewer: str("reviewer"), ReviewComment: str("reviewComment"),
		RevertOf: str("revertOf"), RevertedBy: str("revertedBy"), Summary: str("summary"),
		Idempotency: str("idempotency"), IdempotencyInput: str("idempotencyInput")}
	cs.CreatedAt, _ = m["createdAt"].(time.Time)
	cs.ChangedAt, _ = m["changedAt"].(time.Time)
	if ops := str("operations"); ops != "" {
		if err := json.Unmarshal([]byte(ops), &cs.Operations); err != nil {
			return nil, fmt.Errorf("change set %s: operations: %w", cs.ID, err)
		}
	}
	return cs, nil
}

// ReviewChangeSet approves (apply) or rejects a proposed change set, in one transaction: an
// approval applies every operation or none (a conflict, a node gone, a rule broken leaves the
// graph and the change set as they were). Change sets apply one at a time.
func (s *Store) ReviewChangeSet(ctx context.Context, id, reviewer, comment string, apply bool, canReview func(*ChangeSet) error) (*ChangeSet, error) {
	session := s.writeSession(ctx)
	defer s.closeWrite(ctx, session)
	out, err := session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if apply {
			if err := run(ctx, tx, "curation_lock", nil); err != nil {
				return nil, err
			}
		}
		res, err := tx.Run(ctx, statement("curation_lock_change_set"), map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, curationErr("NOT_FOUND", "id", "no change set has the id %q", id)
		}
		cs, err := changeSetOf(recs[0])
		if err != nil {
			return nil, err
		}
		if cs.Status != ChangeProposed {
			return nil, curationErr("INVALID_STATUS", "id", "change set %s is %s; only a PROPOSED one can be reviewed", id, cs.Status)
		}
		if err := canReview(cs); err != nil {
			return nil, err
		}
		status := ChangeRejected
		now := time.Now().UTC()
		if apply {
			status = ChangeApplied
			deleter, err := deletionsRecordedBy(ctx, tx, cs)
			if err != nil {
				return nil, err
			}
			if err := applyOperations(ctx, tx, deleter, cs.Operations); err != nil {
				return nil, err
			}
			if cs.RevertOf != "" {
				if err := setStatus(ctx, tx, cs.RevertOf, ChangeReverted, now, map[string]any{"revertedBy": cs.ID}); err != nil {
					return nil, err
				}
			}
		}
		if err := setStatus(ctx, tx, id, status, now, map[string]any{"reviewer": reviewer, "reviewComment": comment, "reviewedAt": now.Format(time.RFC3339Nano)}); err != nil {
			return nil, err
		}
		cs.Status, cs.Reviewer, cs.ReviewComment, cs.ChangedAt = status, reviewer, comment, now
		return cs, nil
	})
	if err != nil {
		var ce *CurationError
		if errors.As(err, &ce) {
			return nil, ce
		}
		return nil, classify("review change set", err)
	}
	return out.(*ChangeSet), nil
}

// deletionsRecordedBy is the change set the deletions of cs are recorded as (see apply), or nil
// for none. A change deletes what the graph held: later loads must withhold it, so its
// deletions are recorded. A revert that deletes undoes a creation, withdrawing only the
// curators' own statement, so it records none; but a revert of a revert applies the original
// change again, deletions included, and records them as that change did.
func deletionsRecordedBy(ctx context.Context, tx neo4j.ManagedTransaction, cs *ChangeSet) (any, error) {
	if cs.RevertOf == "" {
		return cs.ID, nil
	}
	res, err := tx.Run(ctx, statement("curation_change_set"), map[string]any{"id": cs.RevertOf})
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("change set %s reverts %s, which is gone", cs.ID, cs.RevertOf)
	}
	undone, err := changeSetOf(recs[0])
	if err != nil {
		return nil, err
	}
	if undone.RevertOf != "" {
		return cs.ID, nil
	}
	return nil, nil
}

func setStatus(ctx context.Context, tx neo4j.ManagedTransaction, id, status string, at time.Time, props map[string]any) error {
	return run(ctx, tx, "curation_set_status", map[string]any{"id": id, "status": status, "at": at.Format(time.RFC3339Nano), "props": props})
}

func run(ctx context.Context, tx neo4j.ManagedTransaction, name string, params map[string]any) error {
	res, err := tx.Run(ctx, statement(name), params)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// applyOperations checks that every item is still at the version the change was made against,
// then writes the operations in order: nodes and relationships stated through the curation
// dataset's own write (the loader's), deletions directly, recorded as curation deletions of
// change set deleter (nil: none recorded); and moves the graph's data version on.
func applyOperations(ctx context.Context, tx neo4j.ManagedTransaction, deleter any, ops []Operation) error {
	var ids []string
	for _, o := range ops {
		ids = append(ids, o.Touched()...)
	}
	res, err := tx.Run(ctx, statement("curation_lock_nodes"), map[string]any{"ids": ids})
	if err != nil {
		return err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return err
	}
	nodes := nodeStates(recs)
	for i, o := range ops {
		field := fmt.Sprintf("operations[%d]", i)
		switch o.Op {
		case OpCreateNode, OpUpdateNode, OpDeleteNode:
			current, found := nodes[o.ID]
			switch {
			case o.BeforeVersion == "" && found:
				return curationErr("CONFLICT", field, "%s exists already (created since the change was proposed)", o.ID)
			case o.BeforeVersion != "" && !found:
				return curationErr("CONFLICT", field, "%s is no longer in the graph", o.ID)
			case found && current.Version != o.BeforeVersion:
				return curationErr("CONFLICT", field, "%s is at version %s; the change was made against version %s", o.ID, current.Version, o.BeforeVersion)
			}
		default:
			rels, err := relationshipsIn(ctx, tx, o)
			if err != nil {
				return err
			}
			switch {
			case o.BeforeVersion == "" && len(rels) > 0:
				return curationErr("CONFLICT", field, "the %s relationship from %s to %s exists already", o.Type, o.From, o.To)
			case o.BeforeVersion != "" && len(rels) == 0:
				return curationErr("CONFLICT", field, "the %s relationship from %s to %s is no longer in the graph", o.Type, o.From, o.To)
			case len(rels) > 0 && rels[0].Version != o.BeforeVersion:
				return curationErr("CONFLICT", field, "the %s relationship from %s to %s changed since the change was proposed", o.Type, o.From, o.To)
			}
		}
	}
	w := &datasetWrite{ctx: ctx, tx: tx, name: DatasetCuration, sum: &WriteSummary{}, now: writeClock()}
	for i, o := range ops {
		if err := w.apply(deleter, o); err != nil {
			var ce *CurationError
			if errors.As(err, &ce) && ce.Field == "" {
				ce.Field = fmt.Sprintf("operations[%d]", i)
			}
			var refusedErr *RefusedError
			if errors.As(err, &refusedErr) {
				return curationErr("CONFLICT", fmt.Sprintf("operations[%d]", i), "%s", refusedErr.Reason)
			}
			return err
		}
	}
	return recordWrite(ctx, tx, w.now)
}

func relationshipsIn(ctx context.Context, tx neo4j.ManagedTransaction, o Operation) ([]RelState, error) {
	res, err := tx.Run(ctx, statement("curation_relationships"), map[string]any{"node": nil, "type": o.Type, "from": o.From, "to": o.To, "key": o.Key})
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	var out []RelState
	for _, r := range recs {
		props, _ := r.AsMap()["props"].(map[string]any)
		out = append(out, RelState{Props: props, Version: VersionOf(props)})
	}
	return out, nil
}

// apply writes one operation. A creation (or addition) lifts a curation deletion of the item; a
// deletion (or removal) records one as change set deleter's (unless nil), so that later dataset
// loads withhold the item (see withhold).
func (w *datasetWrite) apply(deleter any, o Operation) error {
	switch {
	case o.ID != "" && o.After != nil:
		if !writableKinds[o.Kind] {
			return refused("node kind %q is not writable", o.Kind)
		}
		if _, err := w.exec("curation_lift_deletion", statement("curation_lift_deletion"), map[string]any{"key": o.ID}); err != nil {
			return err
		}
		return w.chunk(Chunk{Data: &dataset.Dataset{Nodes: []dataset.Node{{Kind: o.Kind, Props: writable(o.After)}}}})
	case o.ID != "":
		if o.Kind == dataset.KindSource {
			q := strings.ReplaceAll(statement("curation_source_citations"), "__TOTAL__", fragment("source_supports_total"))
			recs, err := w.exec("curation_source_citations", q, map[string]any{"key": o.ID, "query": citationQuery(o.ID)})
			if err != nil {
				return err
			}
			if n, _ := recs[0].Get("total"); n != int64(0) {
				return curationErr("IN_USE", "", "%s is cited by %v facts now (cited since the change was proposed): give them another source first", o.ID, n)
			}
		}
		recs, err := w.exec("curation_delete_node", statement("curation_delete_node"), map[string]any{"id": o.ID, "changeSet": deleter})
		if err != nil {
			return err
		}
		if n, _ := recs[0].Get("deleted"); n != int64(1) {
			return refused("%s still has relationships the change does not remove", o.ID)
		}
		return nil
	case o.After != nil:
		if !writableRelTypes[o.Type] {
			return refused("relationship type %q is not writable", o.Type)
		}
		if _, err := w.exec("curation_lift_deletion", statement("curation_lift_deletion"), map[string]any{"key": o.Key}); err != nil {
			return err
		}
		ends := []dataset.Node{{Kind: o.FromKind, Ref: true, Props: map[string]any{"id": o.From}}, {Kind: o.ToKind, Ref: true, Props: map[string]any{"id": o.To}}}
		if o.From == o.To {
			ends = ends[:1]
		}
		return w.chunk(Chunk{Data: &dataset.Dataset{Nodes: ends, Rels: []dataset.Rel{{Type: o.Type, From: o.From, To: o.To, Props: writable(o.After)}}}})
	default:
		if !writableRelTypes[o.Type] {
			return refused("relationship type %q is not writable", o.Type)
		}
		q := strings.ReplaceAll(statement("curation_remove_relationship"), "__TYPE__", o.Type)
		_, err := w.exec("curation_remove_relationship", q, map[string]any{"from": o.From, "to": o.To, "key": o.Key, "changeSet": deleter})
		return err
	}
}

// writable turns properties decoded from a change set's JSON back into values Neo4j stores:
// lists of text as lists of strings.
func writable(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		if list, ok := v.([]any); ok {
			strs := make([]string, 0, len(list))
			for _, e := range list {
				strs = append(strs, fmt.Sprint(e))
			}
			out[k] = strs
			continue
		}
		out[k] = v
	}
	return out
}

// ChangeSetPage is a page of change sets and whether more follow.
type ChangeSetPage struct {
	ChangeSets []*ChangeSet
	HasNext    bool
}

// History returns the change sets that touched a node, newest first: limit of them, after the
// one (at, id) a cursor names (zero: from the newest).
func (s *Store) History(ctx context.Context, node string, limit int, beforeAt time.Time, beforeID string) (ChangeSetPage, error) {
	params := map[string]any{"node": node, "limit": limit + 1, "beforeAt": nil, "beforeId": beforeID}
	if !beforeAt.IsZero() {
		params["beforeAt"] = beforeAt.Format(time.RFC3339Nano)
	}
	return s.changeSetPage(ctx, "curation_history", params, limit)
}

// Changes returns the change sets whose status changed after since, oldest change first: limit
// of them, after the one (at, id) a cursor names.
func (s *Store) Changes(ctx context.Context, since time.Time, limit int, afterAt time.Time, afterID string) (ChangeSetPage, error) {
	params := map[string]any{"since": since.UTC().Format(time.RFC3339Nano), "limit": limit + 1, "afterAt": nil, "afterId": afterID}
	if !afterAt.IsZero() {
		params["afterAt"] = afterAt.Format(time.RFC3339Nano)
	}
	return s.changeSetPage(ctx, "curation_changes", params, limit)
}

func (s *Store) changeSetPage(ctx context.Context, name string, params map[string]any, limit int) (ChangeSetPage, error) {
	recs, err := s.read(ctx, name, params)
	if err != nil {
		return ChangeSetPage{}, err
	}
	page := ChangeSetPage{HasNext: len(recs) > limit}
	if page.HasNext {
		recs = recs[:limit]
	}
	for _, r := range recs {
		cs, err := changeSetOf(r)
		if err != nil {
			return ChangeSetPage{}, err
		}
		page.ChangeSets = append(page.ChangeSets, cs)
	}
	return page, nil
}

// recordLoad records, in the transaction of a dataset write, the change set of the load: one
// per write that changed something, applied at once, with what it did.
func recordLoad(ctx context.Context, tx neo4j.ManagedTransaction, name string, sum WriteSummary) error {
	if sum.Created+sum.Updated+sum.CoAsserted+sum.RelsCreated+sum.RelsUpdated+sum.RelsCoAsserted+sum.Claims+sum.Retracted == 0 {
		return nil
	}
	b, _ := json.Marshal(sum)
	now := time.Now().UTC()
	cs := &ChangeSet{ID: newChangeSetID(), Author: LoadAuthor(ctx), Comment: "dataset " + name + " written", Status: ChangeApplied,
		Dataset: name, CreatedAt: now, ChangedAt: now, Summary: string(b),
		Operations: []Operation{}}
	return createChangeSet(ctx, tx, cs)
}

type loadAuthorKey struct{}

// WithLoadAuthor names who runs the dataset writes made with ctx (the command, such as
// "seed load", or an API key's name), for the change sets they record.
func WithLoadAuthor(ctx context.Context, author string) context.Context {
	return context.WithValue(ctx, loadAuthorKey{}, author)
}

// LoadAuthor is the author WithLoadAuthor gave ctx, "loader" when none.
func LoadAuthor(ctx context.Context) string {
	if a, ok := ctx.Value(loadAuthorKey{}).(string); ok && a != "" {
		return a
	}
	return "loader"
}
