package curation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// IdempotencyTTL is how long an idempotency key answers with its first request's change set.
const IdempotencyTTL = 24 * time.Hour

// idempotencyPendingTTL is how long a key is held for a request still running: longer than any
// mutation may take, short enough that a key whose instance died while it ran is free again
// soon. A retry after that finds the change set the request made, if it made one, in the graph.
const idempotencyPendingTTL = 5 * time.Minute

// idempotencyKey is the context key of the idempotency record (hashed key, input fingerprint)
// that the change set a request creates carries.
type idempotencyKey struct{}

type idempotency struct{ key, input string }

// withIdempotency marks the change set cs with the request's idempotency record, if it has one.
func withIdempotency(ctx context.Context, cs *store.ChangeSet) *store.ChangeSet {
	if id, ok := ctx.Value(idempotencyKey{}).(idempotency); ok {
		cs.Idempotency, cs.IdempotencyInput = id.key, id.input
	}
	return cs
}

// Service makes and reviews change sets.
type Service struct {
	Store *store.Store
	// State keeps the idempotency keys (shared between instances when it is).
	State sharedstate.Store
	// Approver is the least role that may approve and reject (RoleAdmin, or RoleEditor for a
	// second editor); no one reviews their own change sets.
	Approver reqctx.Role
}

// userErrors collects what is wrong with a mutation.
type userErrors []*model.UserError

func (u *userErrors) add(code model.UserErrorCode, msg string, field ...string) {
	*u = append(*u, &model.UserError{Field: field, Message: msg, Code: code})
}

func payloadOf(errs userErrors) *model.ChangeSetPayload {
	return &model.ChangeSetPayload{UserErrors: errs}
}

// caller returns the key name of a caller whose role is at least min, or FORBIDDEN.
func caller(ctx context.Context, min reqctx.Role, what string) (string, error) {
	c := reqctx.CallerOf(ctx)
	if c == nil || !c.Keyed || c.Role < min {
		role := "anonymous"
		if c != nil {
			role = c.Role.String()
		}
		return "", &apperr.Error{Code: apperr.Forbidden, Message: fmt.Sprintf("%s needs an API key of role %s or above; this request's role is %s", what, min, role)}
	}
	return c.Client, nil
}

// once runs a mutation under its idempotency key: a retry of the same input answers the first
// request's change set, another input under the same key is refused. The shared state holds the
// key; the change set a request creates records it too, so that a retry finds that change set
// even when the shared record is gone. (A review retried then answers INVALID_STATUS: the change
// set it approved is applied already, never twice.)
func (s *Service) once(ctx context.Context, author, mutation string, key *string, input any, do func(context.Context) (*model.ChangeSetPayload, error)) (*model.ChangeSetPayload, error) {
	if key == nil {
		return do(ctx)
	}
	if len(*key) == 0 || len(*key) > 100 {
		var errs userErrors
		errs.add(model.UserErrorCodeInvalid, "an idempotency key has 1 to 100 characters", "input", "idempotencyKey")
		return payloadOf(errs), nil
	}
	b, _ := json.Marshal(input)
	sum := sha256.Sum256(append([]byte(mutation+"\x00"), b...))
	fingerprint := hex.EncodeToString(sum[:12])
	stateKey := "idempotency:" + author + "\x00" + *key
	current, stored, err := s.State.PutIfAbsent(ctx, stateKey, fingerprint+"|", idempotencyPendingTTL)
	if err != nil {
		return nil, apperr.Wrap(apperr.ServiceUnavailable, err, "idempotency keys cannot be checked now; try again shortly")
	}
	recorded := sha256.Sum256([]byte(stateKey))
	record := idempotency{key: hex.EncodeToString(recorded[:]), input: fingerprint}
	if stored {
		// The shared record may have been lost after the first request wrote (its instance died
		// before recording the change set, or the record expired): the graph knows.
		cs, err := s.Store.ChangeSetByIdempotency(ctx, record.key, time.Now().Add(-IdempotencyTTL))
		if err != nil {
			_ = s.State.Delete(ctx, stateKey)
			return nil, err
		}
		if cs != nil {
			if err := s.State.Replace(ctx, stateKey, cs.IdempotencyInput+"|"+cs.ID, IdempotencyTTL); err != nil {
				return nil, apperr.Wrap(apperr.ServiceUnavailable, err, "idempotency keys cannot be recorded now; try again shortly")
			}
			stored, current = false, cs.IdempotencyInput+"|"+cs.ID
		}
	}
	if !stored {
		var errs userErrors
		prior, id, _ := strings.Cut(current, "|")
		switch {
		case prior != fingerprint:
			errs.add(model.UserErrorCodeIdempotencyKeyReused, "this idempotency key was used with another input; use a new key for a new change", "input", "idempotencyKey")
		case id == "":
			errs.add(model.UserErrorCodeConflict, "a request with this idempotency key is still running; retry shortly", "input", "idempotencyKey")
		default:
			cs, err := s.Store.ChangeSetByID(ctx, id)
			if err != nil {
				return nil, err
			}
			if cs != nil {
				return &model.ChangeSetPayload{ChangeSet: ChangeSetModel(cs), UserErrors: []*model.UserError{}}, nil
			}
			errs.add(model.UserErrorCodeNotFound, "the change set of this idempotency key is gone", "input", "idempotencyKey")
		}
		return payloadOf(errs), nil
	}
	out, err := do(context.WithValue(ctx, idempotencyKey{}, record))
	if err != nil || out.ChangeSet == nil {
		_ = s.State.Delete(ctx, stateKey) // nothing was changed: the key may be used again
		return out, err
	}
	if err := s.State.Replace(ctx, stateKey, fingerprint+"|"+out.ChangeSet.ID, IdempotencyTTL); err != nil {
		return nil, apperr.Wrap(apperr.ServiceUnavailable, err, "idempotency keys cannot be recorded now; the change set was made: "+out.ChangeSet.ID)
	}
	return out, nil
}

// draft is a change set being put together.
type draft struct {
	s       *Service
	ctx     context.Context
	errs    userErrors
	ops     []store.Operation
	source  string
	kinds   map[string]string // kinds of the ids looked up so far, and of nodes the draft creates
	srcCols map[string]string // source, locator and status columns of the draft's evidence
}

func (s *Service) newDraft(ctx context.Context) *draft {
	return &draft{s: s, ctx: ctx, kinds: map[string]string{}}
}

// kindOf resolves ids for the loader's reference checks, remembering their kinds.
func (d *draft) kindOf(ids []string) (map[string]string, error) {
	var missing []string
	for _, id := range ids {
		if _, ok := d.kinds[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		nodes, err := d.s.Store.CurationNodes(d.ctx, missing)
		if err != nil {
			return nil, err
		}
		for id, n := range nodes {
			d.kinds[id] = n.Kind
		}
	}
	out := map[string]string{}
	for _, id := range ids {
		if k, ok := d.kinds[id]; ok {
			out[id] = k
		}
	}
	return out, nil
}

// evidence checks the source of a change: an existing one, or a new one created with it.
func (d *draft) evidence(in *model.SourceInput) error {
	if in == nil {
		d.errs.add(model.UserErrorCodeSourceRequired, "every change needs a source: an existing source's key or a new source, and a status", "input", "source")
		return nil
	}
	letter, _ := dataset.StatusLetter(string(in.Status))
	locator := ""
	if in.Locator != nil {
		locator = *in.Locator
	}
	switch {
	case (in.Key == nil) == (in.New == nil):
		d.errs.add(model.UserErrorCodeSourceRequired, "give either key (an existing source) or new (a new source)", "input", "source")
		return nil
	case in.Key != nil:
		kinds, err := d.kindOf([]string{*in.Key})
		if err != nil {
			return err
		}
		if kinds[*in.Key] != dataset.KindSource {
			d.errs.add(model.UserErrorCodeNotFound, fmt.Sprintf("no source has the key %q", *in.Key), "input", "source", "key")
			return nil
		}
		d.source = *in.Key
	default:
		n := in.New
		values := map[string]string{"id": n.Key, "title": n.Title}
		for col, v := range map[string]*string{"url": n.URL, "file": n.File, "publisher": n.Publisher, "published": n.Published} {
			if v != nil {
				values[col] = *v
			}
		}
		data, problems, err := dataset.CheckRow(dataset.KindSource, dataset.RowCreate, "", "", values, d.kindOf)
		if err != nil {
			return err
		}
		for _, p := range problems {
			d.errs.add(model.UserErrorCodeInvalid, p.Msg, "input", "source", "new", newSourceField(p.Field))
		}
		if len(problems) > 0 {
			return nil
		}
		kinds, err := d.kindOf([]string{n.Key})
		if err != nil {
			return err
		}
		if _, taken := kinds[n.Key]; taken {
			d.errs.add(model.UserErrorCodeConflict, fmt.Sprintf("%s is already in the graph; cite it by key", n.Key), "input", "source", "new", "key")
			return nil
		}
		d.ops = append(d.ops, store.Operation{Op: store.OpCreateNode, Kind: dataset.KindSource, ID: n.Key, After: data.Nodes[0].Props})
		d.kinds[n.Key] = dataset.KindSource
		d.source = n.Key
	}
	d.srcCols = map[string]string{"source": d.source, "status": letter, "locator": locator}
	return nil
}

func newSourceField(col string) string {
	if col == "id" {
		return "key"
	}
	return col
}

// fieldsOf reads the fields of an input, refusing a column given twice.
func (d *draft) fieldsOf(fields []*model.FieldInput) map[string]string {
	out := map[string]string{}
	for _, f := range fields {
		if _, dup := out[f.Name]; dup {
			d.errs.add(model.UserErrorCodeInvalid, "column given twice", "input", "fields", f.Name)
		}
		if f.Name == "source" || f.Name == "locator" || f.Name == "status" {
			d.errs.add(model.UserErrorCodeInvalid, "sources are given in input.source", "input", "fields", f.Name)
			continue
		}
		out[f.Name] = f.Value
	}
	return out
}

// check runs the loader's rules on a row, reporting problems as userErrors.
func (d *draft) check(what string, mode dataset.RowMode, from, to string, values map[string]string) (*dataset.Dataset, error) {
	data, problems, err := dataset.CheckRow(what, mode, from, to, values, d.kindOf)
	if err != nil {
		return nil, err
	}
	for _, p := range problems {
		field := []string{"input", "fields", p.Field}
		switch p.Field {
		case "source", "locator", "status":
			field = []string{"input", "source"}
		case "kind":
			field = []string{"input", "kind"}
		}
		d.errs.add(model.UserErrorCodeInvalid, p.Msg, field...)
	}
	return data, nil
}

// withEvidence returns the values of a row of what with the draft's source added to the sources
// values already cite (replacing its locator and status when it is among them). A source's row
// cites none (sources.csv states no fact): the change set alone records the evidence.
func (d *draft) withEvidence(what string, values map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range values {
		out[k] = v
	}
	if !dataset.StatesFacts(what) {
		return out
	}
	ids, locs, sts := split(values["source"]), split(values["locator"]), split(values["status"])
	for len(locs) < len(ids) {
		locs = append(locs, "")
	}
	at := -1
	for i, id := range ids {
		if id == d.srcCols["source"] {
			at = i
		}
	}
	if at < 0 {
		ids, locs, sts = append(ids, d.srcCols["source"]), append(locs, d.srcCols["locator"]), append(sts, d.srcCols["status"])
	} else {
		locs[at], sts[at] = d.srcCols["locator"], d.srcCols["status"]
	}
	out["source"], out["status"] = strings.Join(ids, " | "), strings.Join(sts, " | ")
	out["locator"] = strings.Join(locs, " | ")
	if strings.Trim(out["locator"], " |") == "" {
		delete(out, "locator")
	}
	return out
}

func split(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// rewritten is a node's or relationship's facts after a rewrite: what the row states replaces
// the properties its file holds; properties the file does not hold (an import's details) stay.
func rewritten(what string, before, stated map[string]any) map[string]any {
	out := store.Facts(before)
	for _, p := range dataset.PropertiesOf(what) {
		delete(out, p)
	}
	for k, v := range stated {
		out[k] = v
	}
	return out
}

// propose records the draft as a proposed change set, or answers its userErrors.
func (d *draft) propose(author, comment string) (*model.ChangeSetPayload, error) {
	if strings.TrimSpace(comment) == "" {
		d.errs.add(model.UserErrorCodeInvalid, "say why the change is made", "input", "comment")
	}
	if len(d.errs) > 0 {
		return payloadOf(d.errs), nil
	}
	cs := withIdempotency(d.ctx, &store.ChangeSet{Author: author, Comment: comment, Dataset: store.DatasetCuration, Source: d.source, Operations: d.ops})
	if err := d.s.Store.ProposeChangeSet(d.ctx, cs); err != nil {
		return nil, err
	}
	return &model.ChangeSetPayload{ChangeSet: ChangeSetModel(cs), UserErrors: []*model.UserError{}}, nil
}

var iso2 = regexp.MustCompile(`^[A-Z]{2}$`)

// nodeID reads a node named by global id, key or (countries) ISO alpha-2 code.
func nodeID(s string) string {
	if key, err := model.KeyOfGlobalID(s); err == nil {
		return key
	}
	if iso2.MatchString(s) {
		return "country:" + s
	}
	return s
}

// node reads a node the input names, reporting NOT_FOUND.
func (d *draft) node(id string, field ...string) (store.NodeState, bool, error) {
	nodes, err := d.s.Store.CurationNodes(d.ctx, []string{id})
	if err != nil {
		return store.NodeState{}, false, err
	}
	n, ok := nodes[id]
	if !ok {
		d.errs.add(model.UserErrorCodeNotFound, fmt.Sprintf("no node has the key %q", id), field...)
		return n, false, nil
	}
	d.kinds[id] = n.Kind
	return n, true, nil
}

// proposal runs an editor's mutation: the caller's role, its idempotency key, a draft with the
// change's evidence (source), then build's operations, proposed as one change set with comment or
// answered with the userErrors found on the way.
func (s *Service) proposal(ctx context.Context, mutation string, key *string, input any, source *model.SourceInput, comment string, build func(d *draft) error) (*model.ChangeSetPayload, error) {
	author, err := caller(ctx, reqctx.RoleEditor, mutation)
	if err != nil {
		return nil, err
	}
	return s.once(ctx, author, mutation, key, input, func(ctx context.Context) (*model.ChangeSetPayload, error) {
		d := s.newDraft(ctx)
		if err := d.evidence(source); err != nil {
			return nil, err
		}
		if err := build(d); err != nil {
			return nil, err
		}
		return d.propose(author, comment)
	})
}

// CreateNode proposes a new node.
func (s *Service) CreateNode(ctx context.Context, in model.CreateNodeInput) (*model.ChangeSetPayload, error) {
	return s.proposal(ctx, "createNode", in.IdempotencyKey, in, in.Source, in.Comment, func(d *draft) error {
		if err := d.create(kindOf(in.Kind), d.fieldsOf(in.Fields)); err != nil {
			return err
		}
		return nil
	})
}

func (d *draft) create(kind string, values map[string]string) error {
	d.refuseGenerated(kind, values)
	if len(d.errs) > 0 {
		return nil
	}
	data, err := d.check(kind, dataset.RowCreate, "", "", d.withEvidence(kind, values))
	if err != nil || len(d.errs) > 0 {
		return err
	}
	n := data.Nodes[0]
	id := n.Props["id"].(string)
	kinds, err := d.kindOf([]string{id})
	if err != nil {
		return err
	}
	if _, taken := kinds[id]; taken {
		d.errs.add(model.UserErrorCodeConflict, fmt.Sprintf("%s is already in the graph; update it instead", id), "input", "fields")
		return nil
	}
	d.ops = append(d.ops, store.Operation{Op: store.OpCreateNode, Kind: kind, ID: id, After: n.Props})
	d.kinds[id] = kind
	for _, r := range data.Rels {
		d.ops = append(d.ops, store.Operation{Op: store.OpAddRelationship, Type: r.Type, From: r.From, FromKind: d.kinds[r.From],
			To: r.To, ToKind: d.kinds[r.To], Key: r.Key(), After: r.Props})
	}
	return nil
}

// refuseGenerated refuses the `generated` column of a claim: it marks the claims an import makes
// where its value differs from the graph's, which that import withdraws on its own.
func (d *draft) refuseGenerated(kind string, fields map[string]string) {
	if _, given := fields["generated"]; given && kind == dataset.KindClaim {
		d.errs.add(model.UserErrorCodeInvalid, "generated marks the claims imports make; a curator's claim is not generated", "input", "fields", "generated")
	}
}

// UpdateNode proposes new values for some of a node's properties.
func (s *Service) UpdateNode(ctx context.Context, in model.UpdateNodeInput) (*model.ChangeSetPayload, error) {
	return s.proposal(ctx, "updateNode", in.IdempotencyKey, in, in.Source, in.Comment, func(d *draft) error {
		n, found, err := d.node(nodeID(in.ID), "input", "id")
		if err != nil {
			return err
		}
		if found {
			if err := d.update(n, &in.Version, d.fieldsOf(in.Fields)); err != nil {
				return err
			}
		}
		return nil
	})
}

func (d *draft) update(n store.NodeState, version *string, fields map[string]string) error {
	if version != nil && *version != n.Version {
		d.errs.add(model.UserErrorCodeConflict, fmt.Sprintf("%s is at version %s, not %s: read it again and redo the change", n.ID, n.Version, *version), "input", "version")
	}
	d.refuseGenerated(n.Kind, fields)
	if len(d.errs) > 0 {
		return nil
	}
	values := dataset.RowOf(n.Kind, n.Props)
	for k, v := range fields {
		if v == "" {
			delete(values, k)
		} else {
			values[k] = v
		}
	}
	data, err := d.check(n.Kind, dataset.RowRewrite, "", "", d.withEvidence(n.Kind, values))
	if err != nil || len(d.errs) > 0 {
		return err
	}
	stated := data.Nodes[0].Props
	if stated["id"] != n.ID {
		d.errs.add(model.UserErrorCodeInvalid, "a node's key cannot change; create a new node and delete this one", "input", "fields")
		return nil
	}
	after := rewritten(n.Kind, n.Props, stated)
	if store.VersionOf(after) == n.Version {
		d.errs.add(model.UserErrorCodeInvalid, "the change changes nothing", "input", "fields")
		return nil
	}
	d.ops = append(d.ops, store.Operation{Op: store.OpUpdateNode, Kind: n.Kind, ID: n.ID, Before: store.Facts(n.Props), After: after, BeforeVersion: n.Version})
	return nil
}

// DeleteNode proposes to delete a node and its relationships.
func (s *Service) DeleteNode(ctx context.Context, in model.DeleteNodeInput) (*model.ChangeSetPayload, error) {
	return s.proposal(ctx, "deleteNode", in.IdempotencyKey, in, in.Source, in.Comment, func(d *draft) error {
		n, found, err := d.node(nodeID(in.ID), "input", "id")
		if err != nil {
			return err
		}
		switch {
		case !found:
		case in.Version != n.Version:
			d.errs.add(model.UserErrorCodeConflict, fmt.Sprintf("%s is at version %s, not %s: read it again", n.ID, n.Version, in.Version), "input", "version")
		case n.Kind == dataset.KindSource:
			return d.deleteSource(n)
		default:
			return d.deleteWithRelationships(n)
		}
		return nil
	})
}

// deleteWithRelationships adds the deletion of a node after the removal of every relationship
// at it, each recorded so that a revert restores it; the claims about it (a curator's or the
// seed's) go with it, each recorded too. The claims imports generated are the imports' own and
// go with the node unrecorded, as when the import withdraws them.
func (d *draft) deleteWithRelationships(n store.NodeState) error {
	rels, err := d.s.Store.CurationRelationships(d.ctx, n.ID, "", "", "", "")
	if err != nil {
		return err
	}
	var claims []string
	for _, r := range rels {
		d.ops = append(d.ops, store.Operation{Op: store.OpRemoveRelationship, Type: r.Type, From: r.From, FromKind: r.FromKind,
			To: r.To, ToKind: r.ToKind, Key: r.Key, Before: store.Facts(r.Props), BeforeVersion: r.Version})
		if r.Type == dataset.RelHasClaim && r.From == n.ID {
			claims = append(claims, r.To)
		}
	}
	nodes, err := d.s.Store.CurationNodes(d.ctx, claims)
	if err != nil {
		return err
	}
	for _, id := range claims {
		if c, ok := nodes[id]; ok {
			d.ops = append(d.ops, store.Operation{Op: store.OpDeleteNode, Kind: c.Kind, ID: c.ID, Before: store.Facts(c.Props), BeforeVersion: c.Version})
		}
	}
	d.ops = append(d.ops, store.Operation{Op: store.OpDeleteNode, Kind: n.Kind, ID: n.ID, Before: store.Facts(n.Props), BeforeVersion: n.Version})
	return nil
}

// citingFact names a fact that cites a source: a node by key, a relationship by type and ends.
func citingFact(e *model.SupportEdge) string {
	if e.NodeKey != nil {
		return *e.NodeKey
	}
	if r := e.Relationship; r != nil {
		return fmt.Sprintf("%s %s -> %s", r.Type, r.FromKey, r.ToKey)
	}
	return "a fact"
}

// citingShown is how many of the facts citing a source a refused deletion names.
const citingShown = 10

// deleteSource adds the deletion of a source that no fact cites; one still cited is IN_USE, its
// citing facts named (a fact's sources are its evidence: a source goes only once nothing rests
// on it). Change sets that cited it keep its key in their record.
func (d *draft) deleteSource(n store.NodeState) error {
	first := citingShown
	pages, err := d.s.Store.Supports(d.ctx, []string{n.ID}, store.PageRequest{First: &first}, true)
	if err != nil {
		return err
	}
	if p := pages[n.ID]; p != nil && p.Total > 0 {
		var names []string
		for _, e := range p.Edges {
			names = append(names, citingFact(e))
		}
		more := ""
		if p.Total > len(names) {
			more = fmt.Sprintf(" and %d more", p.Total-len(names))
		}
		d.errs.add(model.UserErrorCodeInUse, fmt.Sprintf("%s is cited by %d facts (%s%s): give them another source or delete them first",
			n.ID, p.Total, strings.Join(names, ", "), more), "input", "id")
		return nil
	}
	d.ops = append(d.ops, store.Operation{Op: store.OpDeleteNode, Kind: n.Kind, ID: n.ID, Before: store.Facts(n.Props), BeforeVersion: n.Version})
	return nil
}

// UpsertNode proposes a node by its natural key: an update when a node has it, else a creation.
func (s *Service) UpsertNode(ctx context.Context, in model.UpsertNodeInput) (*model.ChangeSetPayload, error) {
	return s.proposal(ctx, "upsertNode", in.IdempotencyKey, in, in.Source, in.Comment, func(d *draft) error {
		kind := kindOf(in.Kind)
		id, err := s.Store.NodeByNaturalKey(ctx, kind, in.NaturalKey)
		var ce *store.CurationError
		if errors.As(err, &ce) {
			d.errs.add(model.UserErrorCodeConflict, ce.Message, "input", "naturalKey")
			return nil
		}
		if err != nil {
			return err
		}
		fields := d.fieldsOf(in.Fields)
		if id == "" {
			naming := map[string]string{dataset.KindCountry: "iso2", dataset.KindProject: "iati_identifier", dataset.KindOrganisation: "iati_identifier"}[kind]
			if naming == "" || (kind != dataset.KindCountry && strings.Contains(in.NaturalKey, ":")) {
				naming = "id"
			}
			if _, given := fields[naming]; !given {
				fields[naming] = in.NaturalKey
			}
			if err := d.create(kind, fields); err != nil {
				return err
			}
			return nil
		}
		n, _, err := d.node(id, "input", "naturalKey")
		if err != nil {
			return err
		}
		if err := d.update(n, in.Version, fields); err != nil {
			return err
		}
		return nil
	})
}

// relationship finds the relationship an input names (ends, type, role or pillar), reporting
// NOT_FOUND, or CONFLICT when it is at another version than the one the change is made against.
func (d *draft) relationship(typ, from, to string, role *string, version string) (store.RelState, bool, error) {
	disc := map[string]any{}
	if role != nil {
		if typ == dataset.RelHasPillar {
			disc["pillar"] = *role
		} else {
			disc["role"] = *role
		}
	}
	key := store.RelationshipKey(typ, from, to, disc)
	rels, err := d.s.Store.CurationRelationships(d.ctx, "", typ, from, to, key)
	if err != nil || len(rels) == 0 {
		if err == nil {
			d.errs.add(model.UserErrorCodeNotFound, fmt.Sprintf("no %s relationship from %s to %s with that role or pillar", typ, from, to), "input")
		}
		return store.RelState{}, false, err
	}
	r := rels[0]
	if r.Version != version {
		d.errs.add(model.UserErrorCodeConflict, fmt.Sprintf("the %s relationship from %s to %s is at version %s, not %s: read it again and redo the change",
			typ, from, to, r.Version, version), "input", "version")
	}
	return r, true, nil
}

// AddRelationship proposes a new relationship.
func (s *Service) AddRelationship(ctx context.Context, in model.AddRelationshipInput) (*model.ChangeSetPayload, error) {
	return s.proposal(ctx, "addRelationship", in.IdempotencyKey, in, in.Source, in.Comment, func(d *draft) error {
		fields := d.fieldsOf(in.Fields)
		if len(d.errs) > 0 {
			return nil
		}
		typ := string(in.Type)
		data, err := d.check(typ, dataset.RowCreate, nodeID(in.From), nodeID(in.To), d.withEvidence(typ, fields))
		if err != nil {
			return err
		}
		if len(d.errs) == 0 {
			r := data.Rels[0]
			rels, err := s.Store.CurationRelationships(ctx, "", typ, r.From, r.To, r.Key())
			if err != nil {
				return err
			}
			if len(rels) > 0 {
				d.errs.add(model.UserErrorCodeConflict, fmt.Sprintf("the %s relationship from %s to %s is in the graph already; update it instead", typ, r.From, r.To), "input")
			}
			d.ops = append(d.ops, store.Operation{Op: store.OpAddRelationship, Type: typ, From: r.From, FromKind: d.kinds[r.From],
				To: r.To, ToKind: d.kinds[r.To], Key: r.Key(), After: r.Props})
		}
		return nil
	})
}

// UpdateRelationship proposes new values for some of a relationship's properties.
func (s *Service) UpdateRelationship(ctx context.Context, in model.UpdateRelationshipInput) (*model.ChangeSetPayload, error) {
	return s.proposal(ctx, "updateRelationship", in.IdempotencyKey, in, in.Source, in.Comment, func(d *draft) error {
		fields := d.fieldsOf(in.Fields)
		for _, f := range []string{"role", "pillar"} {
			if _, given := fields[f]; given {
				d.errs.add(model.UserErrorCodeInvalid, "a relationship's "+f+" tells it apart and cannot change: remove it and add another", "input", "fields", f)
			}
		}
		typ := string(in.Type)
		r, found, err := d.relationship(typ, nodeID(in.From), nodeID(in.To), in.Role, in.Version)
		if err != nil || !found || len(d.errs) > 0 {
			if err != nil {
				return err
			}
			return nil
		}
		d.kinds[r.From], d.kinds[r.To] = r.FromKind, r.ToKind
		values := dataset.RowOf(typ, r.Props)
		for k, v := range fields {
			if v == "" {
				delete(values, k)
			} else {
				values[k] = v
			}
		}
		data, err := d.check(typ, dataset.RowRewrite, r.From, r.To, d.withEvidence(typ, values))
		if err != nil {
			return err
		}
		if len(d.errs) == 0 {
			after := rewritten(typ, r.Props, data.Rels[0].Props)
			if store.VersionOf(after) == r.Version {
				d.errs.add(model.UserErrorCodeInvalid, "the change changes nothing", "input", "fields")
			}
			d.ops = append(d.ops, store.Operation{Op: store.OpUpdateRelationship, Type: typ, From: r.From, FromKind: r.FromKind,
				To: r.To, ToKind: r.ToKind, Key: r.Key, Before: store.Facts(r.Props), After: after, BeforeVersion: r.Version})
		}
		return nil
	})
}

// RemoveRelationship proposes to remove a relationship.
func (s *Service) RemoveRelationship(ctx context.Context, in model.RemoveRelationshipInput) (*model.ChangeSetPayload, error) {
	return s.proposal(ctx, "removeRelationship", in.IdempotencyKey, in, in.Source, in.Comment, func(d *draft) error {
		r, found, err := d.relationship(string(in.Type), nodeID(in.From), nodeID(in.To), in.Role, in.Version)
		if err != nil {
			return err
		}
		if found && len(d.errs) == 0 {
			d.ops = append(d.ops, store.Operation{Op: store.OpRemoveRelationship, Type: r.Type, From: r.From, FromKind: r.FromKind,
				To: r.To, ToKind: r.ToKind, Key: r.Key, Before: store.Facts(r.Props), BeforeVersion: r.Version})
		}
		return nil
	})
}

// Review approves (applies) or rejects a proposed change set.
func (s *Service) Review(ctx context.Context, in model.ReviewChangeSetInput, approve bool) (*model.ChangeSetPayload, error) {
	what := "rejectChangeSet"
	if approve {
		what = "approveChangeSet"
	}
	reviewer, err := caller(ctx, s.Approver, what)
	if err != nil {
		return nil, err
	}
	return s.once(ctx, reviewer, what, in.IdempotencyKey, in, func(ctx context.Context) (*model.ChangeSetPayload, error) {
		var errs userErrors
		if strings.TrimSpace(in.Comment) == "" {
			errs.add(model.UserErrorCodeInvalid, "say why the change set is approved or rejected", "input", "comment")
			return payloadOf(errs), nil
		}
		cs, err := s.Store.ReviewChangeSet(ctx, in.ID, reviewer, in.Comment, approve, func(cs *store.ChangeSet) error {
			if cs.Author == reviewer {
				return &store.CurationError{Code: string(model.UserErrorCodeSelfReview), Field: "id", Message: "a change set is reviewed by someone other than its author"}
			}
			return nil
		})
		var ce *store.CurationError
		if errors.As(err, &ce) {
			field := []string{"input", "id"}
			if strings.HasPrefix(ce.Field, "operations") {
				field = []string{"input", "id", ce.Field}
			}
			errs.add(model.UserErrorCode(ce.Code), ce.Message, field...)
			return payloadOf(errs), nil
		}
		if err != nil {
			return nil, err
		}
		return &model.ChangeSetPayload{ChangeSet: ChangeSetModel(cs), UserErrors: []*model.UserError{}}, nil
	})
}

// Revert proposes the change set that undoes an applied one.
func (s *Service) Revert(ctx context.Context, in model.RevertChangeSetInput) (*model.ChangeSetPayload, error) {
	author, err := caller(ctx, reqctx.RoleEditor, "revertChangeSet")
	if err != nil {
		return nil, err
	}
	return s.once(ctx, author, "revertChangeSet", in.IdempotencyKey, in, func(ctx context.Context) (*model.ChangeSetPayload, error) {
		d := s.newDraft(ctx)
		cs, err := s.Store.ChangeSetByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		switch {
		case cs == nil:
			d.errs.add(model.UserErrorCodeNotFound, fmt.Sprintf("no change set has the id %q", in.ID), "input", "id")
		case cs.Dataset != store.DatasetCuration:
			d.errs.add(model.UserErrorCodeInvalidStatus, "a dataset load is undone by loading the dataset again, not by a revert", "input", "id")
		case cs.Status != store.ChangeApplied:
			d.errs.add(model.UserErrorCodeInvalidStatus, fmt.Sprintf("change set %s is %s; only an APPLIED one can be reverted", cs.ID, cs.Status), "input", "id")
		default:
			if err := d.invert(cs.Operations); err != nil {
				return nil, err
			}
		}
		if len(d.errs) > 0 {
			return payloadOf(d.errs), nil
		}
		rev := withIdempotency(ctx, &store.ChangeSet{Author: author, Comment: in.Comment, Dataset: store.DatasetCuration, Source: cs.Source, RevertOf: cs.ID, Operations: d.ops})
		if strings.TrimSpace(in.Comment) == "" {
			d.errs.add(model.UserErrorCodeInvalid, "say why the change set is reverted", "input", "comment")
			return payloadOf(d.errs), nil
		}
		if err := s.Store.ProposeChangeSet(ctx, rev); err != nil {
			return nil, err
		}
		return &model.ChangeSetPayload{ChangeSet: ChangeSetModel(rev), UserErrors: []*model.UserError{}}, nil
	})
}

var inverseOp = map[string]string{store.OpCreateNode: store.OpDeleteNode, store.OpDeleteNode: store.OpCreateNode, store.OpUpdateNode: store.OpUpdateNode,
	store.OpAddRelationship: store.OpRemoveRelationship, store.OpRemoveRelationship: store.OpAddRelationship, store.OpUpdateRelationship: store.OpUpdateRelationship}

// invert adds the operations that undo ops, last first, each checked against the graph: an item
// that changed since (its facts are not those ops left) is a conflict.
func (d *draft) invert(ops []store.Operation) error {
	for i := len(ops) - 1; i >= 0; i-- {
		o := ops[i]
		var current map[string]any
		found, version := false, ""
		if o.ID != "" {
			nodes, err := d.s.Store.CurationNodes(d.ctx, []string{o.ID})
			if err != nil {
				return err
			}
			n, ok := nodes[o.ID]
			current, found, version = n.Props, ok, n.Version
		} else {
			rels, err := d.s.Store.CurationRelationships(d.ctx, "", o.Type, o.From, o.To, o.Key)
			if err != nil {
				return err
			}
			if len(rels) > 0 {
				current, found, version = rels[0].Props, true, rels[0].Version
			}
		}
		unchanged := found == (o.After != nil) && (!found || store.VersionOf(current) == store.VersionOf(o.After))
		if !unchanged {
			d.errs.add(model.UserErrorCodeConflict, fmt.Sprintf("%s changed since the change set applied; revert the later change first", describe(o)), "input", "id")
			continue
		}
		inv := o
		inv.Op, inv.Before, inv.After, inv.BeforeVersion = inverseOp[o.Op], o.After, o.Before, version
		d.ops = append(d.ops, inv)
	}
	return nil
}

func describe(o store.Operation) string {
	if o.ID != "" {
		return o.ID
	}
	return fmt.Sprintf("the %s relationship from %s to %s", o.Type, o.From, o.To)
}

// kindOf maps a CurationKind to the node kind of the dataset.
func kindOf(k model.CurationKind) string {
	return map[model.CurationKind]string{
		model.CurationKindSource: dataset.KindSource, model.CurationKindThematicArea: dataset.KindThematicArea,
		model.CurationKindCountry: dataset.KindCountry, model.CurationKindOrganisation: dataset.KindOrganisation,
		model.CurationKindRegionalProcess: dataset.KindRegionalProcess, model.CurationKindInstrument: dataset.KindInstrument,
		model.CurationKindProject: dataset.KindProject, model.CurationKindPriority: dataset.KindPriority,
		model.CurationKindClaim: dataset.KindClaim,
	}[k]
}
