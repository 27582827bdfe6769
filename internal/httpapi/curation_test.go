package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/auth"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// curationKeys are the API keys of the curation tests, by name (the key is the name too).
var curationKeys = map[string]reqctx.Role{"editor-1": reqctx.RoleEditor, "editor-2": reqctx.RoleEditor,
	"admin-1": reqctx.RoleAdmin, "reader-1": reqctx.RoleReader, "analyst-1": reqctx.RoleAnalyst}

type curationAPI struct {
	srv *httptest.Server
	st  *store.Store
}

// newCurationAPI serves the fixture graph with the curation keys; approver is CURATION_APPROVER
// (0: the default) and allowlist MUTATION_ALLOWLIST_FILE's hashes (nil: none).
func newCurationAPI(t testing.TB, approver reqctx.Role, allowlist map[string]bool) *curationAPI {
	t.Helper()
	return newCurationAPIWith(t, graph.Options{CurationApprover: approver, MutationAllowlist: allowlist})
}

// newCurationAPIWith is newCurationAPI with more of the handler's options (the test's version,
// logger and limits are set here).
func newCurationAPIWith(t testing.TB, opts graph.Options) *curationAPI {
	t.Helper()
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "internal/httpapi/testdata/fixture")
	return serveCuration(t, st, opts)
}

// serveCuration serves the API with the curation keys over st, with state of its own unless
// opts names some: another instance over the same graph.
func serveCuration(t testing.TB, st *store.Store, opts graph.Options) *curationAPI {
	t.Helper()
	opts.Version, opts.Logger, opts.Limits = "test", quiet, &testLimits
	keys := auth.Keys{}
	for name, role := range curationKeys {
		keys[auth.Hash(name)] = auth.Key{Name: name, Role: role}
	}
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(st, opts),
		Ready:   st.Ping, RequestTimeout: 20 * time.Second, Logger: quiet, Keys: keys, Anonymous: reqctx.RoleAnonymous,
	}))
	t.Cleanup(srv.Close)
	return &curationAPI{srv: srv, st: st}
}

// as sends a GraphQL request with the API key of name ("" for none).
func (a *curationAPI) as(t testing.TB, name, q string, vars map[string]any) gqlResponse {
	t.Helper()
	return a.post(t, name, map[string]any{"query": q, "variables": vars})
}

// post sends a GraphQL request body with the API key of name ("" for none).
func (a *curationAPI) post(t testing.TB, name string, body map[string]any) gqlResponse {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if name != "" {
		req.Header.Set("Authorization", "Bearer "+name)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("status %d: %s", resp.StatusCode, raw)
	}
	return out
}

const payloadFields = `changeSet { id status author comment source reviewer revertOf revertedBy
  changes { operation node kind relationshipType from to beforeVersion properties { name before after } } }
  userErrors { field message code }`

// mutate runs one mutation with its input and returns its payload, failing on top-level errors.
func (a *curationAPI) mutate(t testing.TB, key, mutation string, input map[string]any) map[string]any {
	t.Helper()
	out := a.as(t, key, fmt.Sprintf(`mutation($input: %sInput!) { m: %s(input: $input) { %s } }`, inputType(mutation), mutation, payloadFields),
		map[string]any{"input": input})
	if len(out.Errors) > 0 {
		t.Fatalf("%s: %v", mutation, out.Errors)
	}
	return out.Data["m"].(map[string]any)
}

func inputType(mutation string) string {
	switch mutation {
	case "approveChangeSet", "rejectChangeSet":
		return "ReviewChangeSet"
	}
	return strings.ToUpper(mutation[:1]) + mutation[1:]
}

func userErrorCodes(p map[string]any) []string {
	var out []string
	for _, e := range p["userErrors"].([]any) {
		out = append(out, e.(map[string]any)["code"].(string))
	}
	return out
}

func changeSetID(t testing.TB, p map[string]any) string {
	t.Helper()
	cs, _ := p["changeSet"].(map[string]any)
	if cs == nil {
		t.Fatalf("no change set: %v", p["userErrors"])
	}
	return cs["id"].(string)
}

// proposeAndApprove proposes with editor-1 and approves with admin-1.
func (a *curationAPI) proposeAndApprove(t testing.TB, mutation string, input map[string]any) string {
	t.Helper()
	id := changeSetID(t, a.mutate(t, "editor-1", mutation, input))
	a.approve(t, "admin-1", id)
	return id
}

func (a *curationAPI) approve(t testing.TB, key, id string) map[string]any {
	t.Helper()
	p := a.mutate(t, key, "approveChangeSet", map[string]any{"id": id, "comment": "checked"})
	if cs, _ := p["changeSet"].(map[string]any); cs == nil || cs["status"] != "APPLIED" {
		t.Fatalf("approval of %s: %v", id, p)
	}
	return p
}

func (a *curationAPI) version(t testing.TB, key string) string {
	t.Helper()
	out := a.as(t, "reader-1", `query($k: String!) { nodeByKey(key: $k) { version } }`, map[string]any{"k": key})
	n, _ := out.Data["nodeByKey"].(map[string]any)
	if n == nil {
		return ""
	}
	return n["version"].(string)
}

// relVersion reads the version of the one relationship of type typ from node from to node to
// (GraphEdge.version in from's neighbourhood); "" when there is none.
func (a *curationAPI) relVersion(t *testing.T, from, typ, to string) string {
	t.Helper()
	out := a.as(t, "reader-1", `query($id: ID!, $types: [RelationshipType!]) { neighbourhood(id: $id, types: $types) { edges { from { key } to { key } version } } }`,
		map[string]any{"id": from, "types": []string{typ}})
	if len(out.Errors) > 0 {
		t.Fatalf("neighbourhood of %s: %v", from, out.Errors)
	}
	version := ""
	for _, e := range out.Data["neighbourhood"].(map[string]any)["edges"].([]any) {
		if dig(t, e, "from", "key") == from && dig(t, e, "to", "key") == to {
			if version != "" {
				t.Fatalf("several %s relationships from %s to %s", typ, from, to)
			}
			version = dig(t, e, "version").(string)
		}
	}
	return version
}

var docA = map[string]any{"key": "source:doc-a", "locator": "p. 12", "status": "VERIFIED"}

func TestCurationMutationsValidAndInvalid(t *testing.T) {
	a := newCurationAPI(t, 0, nil)
	sn := a.version(t, "country:SN")

	// Every invalid mutation is a userError and leaves the graph as it was.
	invalid := []struct {
		name, mutation string
		input          map[string]any
		code           string
	}{
		{"no source", "createNode", map[string]any{"kind": "COUNTRY", "comment": "c", "fields": []any{
			map[string]any{"name": "iso2", "value": "GM"}, map[string]any{"name": "iso3", "value": "GMB"}, map[string]any{"name": "name", "value": "Gambia"},
			map[string]any{"name": "region", "value": "Africa"}, map[string]any{"name": "eu_relation", "value": "OTHER"}}}, "SOURCE_REQUIRED"},
		{"unknown source", "createNode", map[string]any{"kind": "COUNTRY", "comment": "c", "source": map[string]any{"key": "source:none", "status": "VERIFIED"},
			"fields": []any{map[string]any{"name": "iso2", "value": "GM"}}}, "NOT_FOUND"},
		{"bad enum", "createNode", map[string]any{"kind": "COUNTRY", "comment": "c", "source": docA, "fields": []any{
			map[string]any{"name": "iso2", "value": "GM"}, map[string]any{"name": "iso3", "value": "GMB"}, map[string]any{"name": "name", "value": "Gambia"},
			map[string]any{"name": "region", "value": "Africa"}, map[string]any{"name": "eu_relation", "value": "FRIEND"}}}, "INVALID"},
		{"missing required column", "createNode", map[string]any{"kind": "PROJECT", "comment": "c", "source": docA, "fields": []any{
			map[string]any{"name": "id", "value": "project:new-1"}}}, "INVALID"},
		{"existing id", "createNode", map[string]any{"kind": "COUNTRY", "comment": "c", "source": docA, "fields": []any{
			map[string]any{"name": "iso2", "value": "SN"}, map[string]any{"name": "iso3", "value": "SEN"}, map[string]any{"name": "name", "value": "Senegal"},
			map[string]any{"name": "region", "value": "Africa"}, map[string]any{"name": "eu_relation", "value": "OTHER"}}}, "CONFLICT"},
		{"bad date", "updateNode", map[string]any{"id": "project:sn-1", "version": a.version(t, "project:sn-1"), "comment": "c", "source": docA,
			"fields": []any{map[string]any{"name": "planned_end", "value": "2020-13-40"}}}, "INVALID"},
		{"stale version", "updateNode", map[string]any{"id": "country:SN", "version": "0000", "comment": "c", "source": docA,
			"fields": []any{map[string]any{"name": "subregion", "value": "West Africa"}}}, "CONFLICT"},
		{"unknown node", "updateNode", map[string]any{"id": "country:ZZ", "version": sn, "comment": "c", "source": docA,
			"fields": []any{map[string]any{"name": "subregion", "value": "x"}}}, "NOT_FOUND"},
		{"relationship column", "updateNode", map[string]any{"id": "org:icmpd", "version": a.version(t, "org:icmpd"), "comment": "c", "source": docA,
			"fields": []any{map[string]any{"name": "country", "value": "SN"}}}, "INVALID"},
		{"stale delete", "deleteNode", map[string]any{"id": "project:reg-1", "version": "0000", "comment": "c", "source": docA}, "CONFLICT"},
		{"bad reference", "addRelationship", map[string]any{"type": "MEMBER_OF", "from": "project:sn-1", "to": "process:rabat", "comment": "c", "source": docA,
			"fields": []any{map[string]any{"name": "role", "value": "MEMBER"}}}, "INVALID"},
		{"bad role", "addRelationship", map[string]any{"type": "MEMBER_OF", "from": "SN", "to": "process:old", "comment": "c", "source": docA,
			"fields": []any{map[string]any{"name": "role", "value": "BOSS"}}}, "INVALID"},
		{"duplicate relationship", "addRelationship", map[string]any{"type": "MEMBER_OF", "from": "SN", "to": "process:rabat", "comment": "c", "source": docA,
			"fields": []any{map[string]any{"name": "role", "value": "MEMBER"}}}, "CONFLICT"},
		{"missing relationship", "updateRelationship", map[string]any{"type": "MEMBER_OF", "from": "SN", "to": "process:old", "role": "MEMBER", "version": "0000", "comment": "c", "source": docA,
			"fields": []any{map[string]any{"name": "until", "value": "2020-01-01"}}}, "NOT_FOUND"},
		{"role change", "updateRelationship", map[string]any{"type": "MEMBER_OF", "from": "SN", "to": "process:rabat", "role": "MEMBER", "version": a.relVersion(t, "country:SN", "MEMBER_OF", "process:rabat"), "comment": "c", "source": docA,
			"fields": []any{map[string]any{"name": "role", "value": "CHAIR"}}}, "INVALID"},
		{"missing removal", "removeRelationship", map[string]any{"type": "TARGETS", "from": "project:sn-1", "to": "MA", "version": "0000", "comment": "c", "source": docA}, "NOT_FOUND"},
		{"bad new source", "upsertNode", map[string]any{"kind": "COUNTRY", "naturalKey": "SN", "comment": "c",
			"source": map[string]any{"new": map[string]any{"key": "source:new", "title": "T", "published": "someday"}, "status": "WEAK"},
			"fields": []any{map[string]any{"name": "subregion", "value": "x"}}}, "INVALID"},
		{"no comment", "upsertNode", map[string]any{"kind": "COUNTRY", "naturalKey": "SN", "comment": " ", "source": docA,
			"fields": []any{map[string]any{"name": "subregion", "value": "x"}}}, "INVALID"},
	}
	for _, c := range invalid {
		t.Run(c.name, func(t *testing.T) {
			before := testenv.WholeGraphDump(t)
			p := a.mutate(t, "editor-1", c.mutation, c.input)
			if p["changeSet"] != nil || !contains(userErrorCodes(p), c.code) {
				t.Fatalf("want userError %s and no change set, got %v", c.code, p)
			}
			if after := testenv.WholeGraphDump(t); after != before {
				t.Fatal("a refused mutation changed the graph")
			}
		})
	}

	// Every valid mutation proposes; an approval applies it and the graph shows it.
	newSource := map[string]any{"new": map[string]any{"key": "source:gm-2026", "title": "Gambia brief", "url": "https://example.org/gm"}, "locator": "§2", "status": "WEAK"}
	a.proposeAndApprove(t, "createNode", map[string]any{"kind": "COUNTRY", "comment": "missing country", "source": newSource, "fields": []any{
		map[string]any{"name": "iso2", "value": "GM"}, map[string]any{"name": "iso3", "value": "GMB"}, map[string]any{"name": "name", "value": "Gambia"},
		map[string]any{"name": "region", "value": "Africa"}, map[string]any{"name": "eu_relation", "value": "OTHER"}}})
	out := a.as(t, "reader-1", `{ country(code: "GM") { name sources { source { key } locator status } } }`, nil)
	if got := mustJSON(out.Data["country"]); !strings.Contains(got, `"Gambia"`) || !strings.Contains(got, "source:gm-2026") {
		t.Fatalf("created country reads %s (%v)", got, out.Errors)
	}
	a.proposeAndApprove(t, "updateNode", map[string]any{"id": "country:SN", "version": sn, "comment": "subregion", "source": docA,
		"fields": []any{map[string]any{"name": "subregion", "value": "West Africa"}}})
	out = a.as(t, "reader-1", `{ country(code: "SN") { subregion name sources { source { key } } } }`, nil)
	if got := mustJSON(out.Data["country"]); !strings.Contains(got, `"West Africa"`) || !strings.Contains(got, `"Senegal"`) {
		t.Fatalf("updated country reads %s", got)
	}
	a.proposeAndApprove(t, "upsertNode", map[string]any{"kind": "COUNTRY", "naturalKey": "GM", "comment": "subregion", "source": docA,
		"fields": []any{map[string]any{"name": "subregion", "value": "Western Africa"}}})
	a.proposeAndApprove(t, "upsertNode", map[string]any{"kind": "PROJECT", "naturalKey": "XI-IATI-NEW-1", "comment": "new project", "source": docA,
		"fields": []any{map[string]any{"name": "id", "value": "project:gm-1"}, map[string]any{"name": "title", "value": "Gambia project"},
			map[string]any{"name": "activity_status", "value": "PIPELINE"}, map[string]any{"name": "scope", "value": "NATIONAL"},
			map[string]any{"name": "budget", "value": "1250000.50"}, map[string]any{"name": "currency", "value": "EUR"}}})
	a.proposeAndApprove(t, "addRelationship", map[string]any{"type": "TARGETS", "from": "project:gm-1", "to": "GM", "comment": "targets", "source": docA,
		"fields": []any{map[string]any{"name": "share", "value": "100"}}})
	a.proposeAndApprove(t, "addRelationship", map[string]any{"type": "MEMBER_OF", "from": "GM", "to": "process:rabat", "comment": "member", "source": docA,
		"fields": []any{map[string]any{"name": "role", "value": "OBSERVER"}, map[string]any{"name": "from", "value": "2019-05-01"}}})
	a.proposeAndApprove(t, "updateRelationship", map[string]any{"type": "MEMBER_OF", "from": "GM", "to": "process:rabat", "role": "OBSERVER",
		"version": a.relVersion(t, "country:GM", "MEMBER_OF", "process:rabat"), "comment": "until", "source": docA,
		"fields": []any{map[string]any{"name": "until", "value": "2024-12-31"}}})
	out = a.as(t, "reader-1", `{ country(code: "GM") { memberships(first: 5) { edges { role from until } } projects(first: 5) { nodes { key } } } }`, nil)
	if got := mustJSON(out.Data["country"]); !strings.Contains(got, `"until":"2024-12-31"`) || !strings.Contains(got, "project:gm-1") || !strings.Contains(got, `"OBSERVER"`) {
		t.Fatalf("relationships read %s (%v)", got, out.Errors)
	}
	a.proposeAndApprove(t, "removeRelationship", map[string]any{"type": "MEMBER_OF", "from": "GM", "to": "process:rabat", "role": "OBSERVER",
		"version": a.relVersion(t, "country:GM", "MEMBER_OF", "process:rabat"), "comment": "wrong", "source": docA})
	a.proposeAndApprove(t, "deleteNode", map[string]any{"id": "project:gm-1", "version": a.version(t, "project:gm-1"), "comment": "duplicate", "source": docA})
	out = a.as(t, "reader-1", `{ country(code: "GM") { memberships(first: 5) { totalCount } projects(first: 5) { totalCount } } project(key: "project:gm-1") { key } }`, nil)
	if got := mustJSON(out.Data); got != `{"country":{"memberships":{"totalCount":0},"projects":{"totalCount":0}},"project":null}` {
		t.Fatalf("after removals: %s (%v)", got, out.Errors)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestCurationRoles(t *testing.T) {
	a := newCurationAPI(t, 0, nil)
	input := map[string]any{"id": "country:SN", "version": a.version(t, "country:SN"), "comment": "c", "source": docA,
		"fields": []any{map[string]any{"name": "subregion", "value": "West Africa"}}}
	q := `mutation($input: UpdateNodeInput!) { updateNode(input: $input) { changeSet { id } userErrors { code } } }`
	for _, key := range []string{"", "reader-1", "analyst-1"} {
		before := testenv.WholeGraphDump(t)
		out := a.as(t, key, q, map[string]any{"input": input})
		if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "FORBIDDEN" {
			t.Fatalf("%q writing: want FORBIDDEN, got %v", key, out.Errors)
		}
		if testenv.WholeGraphDump(t) != before {
			t.Fatalf("%q: a forbidden write changed the graph", key)
		}
	}
	id := changeSetID(t, a.mutate(t, "editor-1", "updateNode", input))
	// An editor may not approve under the default (admin) approver; nobody approves their own.
	review := `mutation($input: ReviewChangeSetInput!) { approveChangeSet(input: $input) { changeSet { status } userErrors { code } } }`
	if out := a.as(t, "editor-2", review, map[string]any{"input": map[string]any{"id": id, "comment": "ok"}}); len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("editor approving: %v", out.Errors)
	}
	adminID := changeSetID(t, a.mutate(t, "admin-1", "updateNode", map[string]any{"id": "country:MA", "version": a.version(t, "country:MA"), "comment": "c", "source": docA,
		"fields": []any{map[string]any{"name": "subregion", "value": "Maghreb"}}}))
	if p := a.mutate(t, "admin-1", "approveChangeSet", map[string]any{"id": adminID, "comment": "mine"}); !contains(userErrorCodes(p), "SELF_REVIEW") {
		t.Fatalf("self-approval: %v", p)
	}
	// Rejection applies nothing; a rejected change set cannot be approved.
	p := a.mutate(t, "admin-1", "rejectChangeSet", map[string]any{"id": id, "comment": "no evidence"})
	if p["changeSet"].(map[string]any)["status"] != "REJECTED" {
		t.Fatalf("rejection: %v", p)
	}
	if a.version(t, "country:SN") != input["version"] {
		t.Fatal("a rejected change was applied")
	}
	if p := a.mutate(t, "admin-1", "approveChangeSet", map[string]any{"id": id, "comment": "changed my mind"}); !contains(userErrorCodes(p), "INVALID_STATUS") {
		t.Fatalf("approving a rejected change set: %v", p)
	}

	// With CURATION_APPROVER=editor a second editor approves.
	b := newCurationAPI(t, reqctx.RoleEditor, nil)
	id = changeSetID(t, b.mutate(t, "editor-1", "updateNode", map[string]any{"id": "country:SN", "version": b.version(t, "country:SN"), "comment": "c", "source": docA,
		"fields": []any{map[string]any{"name": "subregion", "value": "West Africa"}}}))
	if p := b.mutate(t, "editor-1", "approveChangeSet", map[string]any{"id": id, "comment": "mine"}); !contains(userErrorCodes(p), "SELF_REVIEW") {
		t.Fatalf("self-approval: %v", p)
	}
	b.approve(t, "editor-2", id)
}

func TestCurationConflictAndIdempotentRetry(t *testing.T) {
	a := newCurationAPI(t, 0, nil)
	v := a.version(t, "country:SN")
	first := changeSetID(t, a.mutate(t, "editor-1", "updateNode", map[string]any{"id": "country:SN", "version": v, "comment": "a", "source": docA,
		"fields": []any{map[string]any{"name": "subregion", "value": "A"}}}))
	second := changeSetID(t, a.mutate(t, "editor-2", "updateNode", map[string]any{"id": "country:SN", "version": v, "comment": "b", "source": docA,
		"fields": []any{map[string]any{"name": "subregion", "value": "B"}}}))
	a.approve(t, "admin-1", first)
	before := testenv.WholeGraphDump(t)
	p := a.mutate(t, "admin-1", "approveChangeSet", map[string]any{"id": second, "comment": "late"})
	if !contains(userErrorCodes(p), "CONFLICT") || p["changeSet"] != nil {
		t.Fatalf("approving a change made against an old version: %v", p)
	}
	if testenv.WholeGraphDump(t) != before {
		t.Fatal("a conflicting approval changed the graph")
	}
	out := a.as(t, "reader-1", `{ country(code: "SN") { subregion } changeSet(id: "`+second+`") { status } }`, nil)
	if got := mustJSON(out.Data); got != `{"changeSet":{"status":"PROPOSED"},"country":{"subregion":"A"}}` {
		t.Fatalf("after the conflict: %s", got)
	}

	// The same request with the same idempotency key proposes once.
	input := map[string]any{"id": "country:SN", "version": a.version(t, "country:SN"), "comment": "retry", "source": docA, "idempotencyKey": "req-1",
		"fields": []any{map[string]any{"name": "subregion", "value": "C"}}}
	one := changeSetID(t, a.mutate(t, "editor-1", "updateNode", input))
	afterFirst := testenv.WholeGraphDump(t)
	if again := changeSetID(t, a.mutate(t, "editor-1", "updateNode", input)); again != one {
		t.Fatalf("a retry proposed %s after %s", again, one)
	}
	if testenv.WholeGraphDump(t) != afterFirst {
		t.Fatal("a retry wrote to the graph")
	}
	// An instance that never saw the key (its shared record lost: the first instance died before
	// recording it, or the record expired) finds the change set in the graph.
	other := serveCuration(t, a.st, graph.Options{})
	if again := changeSetID(t, other.mutate(t, "editor-1", "updateNode", input)); again != one {
		t.Fatalf("a retry on an instance without the key's record proposed %s after %s", again, one)
	}
	if testenv.WholeGraphDump(t) != afterFirst {
		t.Fatal("a retry on an instance without the key's record wrote to the graph")
	}
	input["comment"] = "other input"
	if p := other.mutate(t, "editor-1", "updateNode", input); !contains(userErrorCodes(p), "IDEMPOTENCY_KEY_REUSED") {
		t.Fatalf("same key, other input, on an instance without the key's record: %v", p)
	}
	input["comment"] = "another change"
	if p := a.mutate(t, "editor-1", "updateNode", input); !contains(userErrorCodes(p), "IDEMPOTENCY_KEY_REUSED") {
		t.Fatalf("same key, other input: %v", p)
	}
	// Keys belong to their caller: another editor's same key is a new request.
	input["comment"] = "retry"
	if other := changeSetID(t, a.mutate(t, "editor-2", "updateNode", input)); other == one {
		t.Fatal("another caller's key answered this caller's change set")
	}
	// Approving twice with one key applies once.
	approval := map[string]any{"id": one, "comment": "ok", "idempotencyKey": "approve-1"}
	a.mutate(t, "admin-1", "approveChangeSet", approval)
	if p := a.mutate(t, "admin-1", "approveChangeSet", approval); p["changeSet"].(map[string]any)["status"] != "APPLIED" || len(userErrorCodes(p)) != 0 {
		t.Fatalf("retried approval: %v", p)
	}
}

func TestCurationRevertAndHistory(t *testing.T) {
	a := newCurationAPI(t, 0, nil)
	start := time.Now().UTC().Format(time.RFC3339Nano)
	original := factsDump(t)
	rel := a.proposeAndApprove(t, "addRelationship", map[string]any{"type": "TARGETS", "from": "project:sn-1", "to": "MA", "comment": "also Morocco", "source": docA,
		"fields": []any{map[string]any{"name": "share", "value": "10"}}})
	upd := a.proposeAndApprove(t, "updateNode", map[string]any{"id": "project:sn-1", "version": a.version(t, "project:sn-1"), "comment": "budget", "source": docA,
		"fields": []any{map[string]any{"name": "budget", "value": "171000000"}}})

	later := a.proposeAndApprove(t, "updateNode", map[string]any{"id": "project:sn-1", "version": a.version(t, "project:sn-1"), "comment": "dates", "source": docA,
		"fields": []any{map[string]any{"name": "planned_end", "value": "2026-06-30"}}})
	// A change set whose items changed since cannot be reverted before the later change is.
	before := testenv.WholeGraphDump(t)
	if p := a.mutate(t, "editor-2", "revertChangeSet", map[string]any{"id": upd, "comment": "undo"}); !contains(userErrorCodes(p), "CONFLICT") || p["changeSet"] != nil {
		t.Fatalf("reverting under a later change: %v", p)
	}
	if testenv.WholeGraphDump(t) != before {
		t.Fatal("a refused revert changed the graph")
	}
	// Reverting from the newest restores the graph's facts exactly.
	for _, id := range []string{later, upd, rel} {
		p := a.mutate(t, "editor-2", "revertChangeSet", map[string]any{"id": id, "comment": "undo"})
		rev := changeSetID(t, p)
		if p["changeSet"].(map[string]any)["revertOf"] != id {
			t.Fatalf("revert of %s: %v", id, p)
		}
		a.approve(t, "admin-1", rev)
		out := a.as(t, "reader-1", `{ changeSet(id: "`+id+`") { status revertedBy } }`, nil)
		if got := mustJSON(out.Data); got != `{"changeSet":{"revertedBy":"`+rev+`","status":"REVERTED"}}` {
			t.Fatalf("reverted change set reads %s", got)
		}
	}
	if got := factsDump(t); got != original {
		t.Fatalf("after the reverts the graph differs:\n%s", testenv.DiffLines(original, got))
	}
	if p := a.mutate(t, "editor-2", "revertChangeSet", map[string]any{"id": upd, "comment": "again"}); !contains(userErrorCodes(p), "INVALID_STATUS") {
		t.Fatalf("reverting a reverted change set: %v", p)
	}

	// history: newest first, paged; changes(since:) lists them in the order they changed.
	out := a.as(t, "reader-1", `query($id: ID!) { history(id: $id, first: 2) { edges { cursor node { comment status } } pageInfo { hasNextPage endCursor } } }`,
		map[string]any{"id": "project:sn-1"})
	h := out.Data["history"].(map[string]any)
	edges := h["edges"].([]any)
	if len(edges) != 2 || dig(t, edges[0], "node", "comment") != "undo" || h["pageInfo"].(map[string]any)["hasNextPage"] != true {
		t.Fatalf("history page 1: %s (%v)", mustJSON(h), out.Errors)
	}
	out = a.as(t, "reader-1", `query($id: ID!, $after: String) { history(id: $id, first: 10, after: $after) { edges { node { comment status } } pageInfo { hasNextPage } } }`,
		map[string]any{"id": "project:sn-1", "after": h["pageInfo"].(map[string]any)["endCursor"]})
	if got := mustJSON(out.Data["history"]); got != `{"edges":[{"node":{"comment":"undo","status":"APPLIED"}},{"node":{"comment":"dates","status":"REVERTED"}},{"node":{"comment":"budget","status":"REVERTED"}},{"node":{"comment":"also Morocco","status":"REVERTED"}}],"pageInfo":{"hasNextPage":false}}` {
		t.Fatalf("history page 2: %s", got)
	}
	out = a.as(t, "reader-1", `query($since: String!) { changes(since: $since, first: 100) { edges { node { comment status changedAt } } } }`, map[string]any{"since": start})
	var comments []string
	last := ""
	for _, e := range out.Data["changes"].(map[string]any)["edges"].([]any) {
		comments = append(comments, dig(t, e, "node", "comment").(string)+"/"+dig(t, e, "node", "status").(string))
		at := dig(t, e, "node", "changedAt").(string)
		if parsed, _ := time.Parse(time.RFC3339Nano, at); last != "" && parsed.Before(mustTime(t, last)) {
			t.Fatalf("changes out of order: %s after %s", at, last)
		}
		last = at
	}
	sort.Strings(comments)
	// A revert and the change set it reverts change status in one transaction, at one time.
	if got := strings.Join(comments, ", "); got != "also Morocco/REVERTED, budget/REVERTED, dates/REVERTED, undo/APPLIED, undo/APPLIED, undo/APPLIED" {
		t.Fatalf("changes since the start: %s", got)
	}
	if out := a.as(t, "reader-1", `{ changes(since: "yesterday") { edges { cursor } } }`, nil); len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Fatalf("bad since: %v", out.Errors)
	}
}

// factsDump lists every node and relationship of the graph with its facts (store.Facts: the
// datasets' bookkeeping left out), the audit log left out: a revert leaves the curation dataset
// named among those asserting what it touched, and nothing else.
func factsDump(t testing.TB) string {
	t.Helper()
	return testenv.Dump{Props: store.Facts}.String(t)
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDatasetLoadsRecordChangeSets(t *testing.T) {
	a := newCurationAPI(t, 0, nil)
	out := a.as(t, "reader-1", `{ changes(since: "2000-01-01T00:00:00Z") { edges { node { author dataset status loadSummary changes { operation } } } } }`, nil)
	edges := out.Data["changes"].(map[string]any)["edges"].([]any)
	if len(edges) != 1 || dig(t, edges[0], "node", "dataset") != "curated" || dig(t, edges[0], "node", "status") != "APPLIED" ||
		!strings.Contains(dig(t, edges[0], "node", "loadSummary").(string), `"Created"`) {
		t.Fatalf("the fixture load's change set: %s (%v)", mustJSON(edges), out.Errors)
	}
	// Loading the same data again changes nothing and records nothing.
	testenv.LoadDataset(t, a.st, "internal/httpapi/testdata/fixture")
	out = a.as(t, "reader-1", `{ changes(since: "2000-01-01T00:00:00Z") { edges { node { id } } } }`, nil)
	if n := len(out.Data["changes"].(map[string]any)["edges"].([]any)); n != 1 {
		t.Fatalf("a load that changed nothing recorded a change set (%d)", n)
	}
}

func TestMutationAllowlist(t *testing.T) {
	allowed := `mutation($input: ReviewChangeSetInput!) { rejectChangeSet(input: $input) { userErrors { code } } }`
	sum := sha256.Sum256([]byte(allowed))
	a := newCurationAPI(t, 0, map[string]bool{hex.EncodeToString(sum[:]): true})
	out := a.as(t, "admin-1", allowed, map[string]any{"input": map[string]any{"id": "changeset:none", "comment": "x"}})
	if len(out.Errors) != 0 || mustJSON(out.Data) != `{"rejectChangeSet":{"userErrors":[{"code":"NOT_FOUND"}]}}` {
		t.Fatalf("allowed mutation: %v %v", out.Data, out.Errors)
	}
	out = a.as(t, "admin-1", `mutation { rejectChangeSet(input: {id: "changeset:none", comment: "x"}) { userErrors { code } } }`, nil)
	if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("a mutation off the allowlist: %v", out.Errors)
	}
	if out := a.as(t, "reader-1", `{ country(code: "SN") { name } }`, nil); len(out.Errors) != 0 {
		t.Fatalf("queries are not restricted: %v", out.Errors)
	}
}
