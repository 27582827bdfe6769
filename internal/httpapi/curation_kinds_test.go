package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

func field(name, value string) map[string]any { return map[string]any{"name": name, "value": value} }

// refused checks that a mutation is a userError of code with no change set, and that the graph
// (every node and relationship, the audit log included) is as it was.
func (a *curationAPI) refused(t *testing.T, key, mutation string, input map[string]any, code string) {
	t.Helper()
	before := testenv.WholeGraphDump(t)
	p := a.mutate(t, key, mutation, input)
	if p["changeSet"] != nil || !contains(userErrorCodes(p), code) {
		t.Fatalf("%s: want userError %s and no change set, got %v", mutation, code, p)
	}
	if testenv.WholeGraphDump(t) != before {
		t.Fatalf("%s: a refused mutation changed the graph", mutation)
	}
}

// forbidden checks that a mutation is a top-level FORBIDDEN for key and writes nothing.
func (a *curationAPI) forbidden(t *testing.T, key, mutation string, input map[string]any) {
	t.Helper()
	before := testenv.WholeGraphDump(t)
	out := a.as(t, key, `mutation($input: `+inputType(mutation)+`Input!) { m: `+mutation+`(input: $input) { userErrors { code } } }`, map[string]any{"input": input})
	if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("%q %s: want FORBIDDEN, got %v", key, mutation, out.Errors)
	}
	if testenv.WholeGraphDump(t) != before {
		t.Fatalf("%q %s: a forbidden mutation changed the graph", key, mutation)
	}
}

func TestCurationClaims(t *testing.T) {
	a := newCurationAPI(t, 0, nil)
	claim := func(extra ...map[string]any) map[string]any {
		fields := []any{field("id", "claim:sn-migrants-2024"), field("subject", "SN"), field("property", "migrants"),
			field("value", "about 280,000 people"), field("number", "280000"), field("unit", "people"), field("as_of", "2024-06-30")}
		for _, e := range extra {
			fields = append(fields, e)
		}
		return map[string]any{"kind": "CLAIM", "comment": "figure of the brief", "source": docA, "fields": fields}
	}
	without := func(col string) map[string]any {
		in := claim()
		var kept []any
		for _, f := range in["fields"].([]any) {
			if f.(map[string]any)["name"] != col {
				kept = append(kept, f)
			}
		}
		in["fields"] = kept
		return in
	}
	// Invalid claims change nothing.
	noSource := claim()
	delete(noSource, "source")
	a.refused(t, "editor-1", "createNode", noSource, "SOURCE_REQUIRED")
	a.refused(t, "editor-1", "createNode", without("subject"), "INVALID")
	a.refused(t, "editor-1", "createNode", without("property"), "INVALID")
	unknown := claim()
	unknown["fields"].([]any)[1] = field("subject", "country:ZZ")
	a.refused(t, "editor-1", "createNode", unknown, "INVALID")
	a.refused(t, "editor-1", "createNode", claim(field("generated", "true")), "INVALID")
	badDate := claim()
	badDate["fields"].([]any)[6] = field("as_of", "2024-02-31")
	a.refused(t, "editor-1", "createNode", badDate, "INVALID")
	for _, key := range []string{"", "reader-1", "analyst-1"} {
		a.forbidden(t, key, "createNode", claim())
	}

	// A claim is created with its subject and source, read on its subject, updated and deleted.
	a.proposeAndApprove(t, "createNode", claim())
	read := func() string {
		out := a.as(t, "reader-1", `{ country(code: "SN") { claims(first: 10) { nodes { key property value number unit asOf sources { source { key } locator status } } } } }`, nil)
		if len(out.Errors) > 0 {
			t.Fatal(out.Errors)
		}
		return mustJSON(out.Data["country"])
	}
	if got := read(); got != `{"claims":{"nodes":[{"asOf":"2024-06-30","key":"claim:sn-migrants-2024","number":"280000","property":"migrants","sources":[{"locator":"p. 12","source":{"key":"source:doc-a"},"status":"VERIFIED"}],"unit":"people","value":"about 280,000 people"}]}}` {
		t.Fatalf("created claim reads %s", got)
	}
	if a.mutate(t, "editor-1", "createNode", claim())["changeSet"] != nil {
		t.Fatal("a claim created twice")
	}
	v := a.version(t, "claim:sn-migrants-2024")
	a.refused(t, "editor-1", "updateNode", map[string]any{"id": "claim:sn-migrants-2024", "version": v, "comment": "c", "source": docA,
		"fields": []any{field("subject", "MA")}}, "INVALID")
	a.refused(t, "editor-1", "updateNode", map[string]any{"id": "claim:sn-migrants-2024", "version": v, "comment": "c", "source": docA,
		"fields": []any{field("number", "many")}}, "INVALID")
	a.refused(t, "editor-1", "updateNode", map[string]any{"id": "claim:sn-migrants-2024", "version": "0000", "comment": "c", "source": docA,
		"fields": []any{field("number", "290000")}}, "CONFLICT")
	a.forbidden(t, "reader-1", "updateNode", map[string]any{"id": "claim:sn-migrants-2024", "version": v, "comment": "c", "source": docA,
		"fields": []any{field("number", "290000")}})
	a.proposeAndApprove(t, "updateNode", map[string]any{"id": "claim:sn-migrants-2024", "version": v, "comment": "revised figure", "source": docA,
		"fields": []any{field("number", "290000"), field("value", "about 290,000 people")}})
	if got := read(); !strings.Contains(got, `"number":"290000"`) || !strings.Contains(got, `"about 290,000 people"`) {
		t.Fatalf("updated claim reads %s", got)
	}
	withClaim := factsDump(t)
	v = a.version(t, "claim:sn-migrants-2024")
	a.refused(t, "editor-1", "deleteNode", map[string]any{"id": "claim:sn-migrants-2024", "version": "0000", "comment": "c", "source": docA}, "CONFLICT")
	a.forbidden(t, "analyst-1", "deleteNode", map[string]any{"id": "claim:sn-migrants-2024", "version": v, "comment": "c", "source": docA})
	del := a.proposeAndApprove(t, "deleteNode", map[string]any{"id": "claim:sn-migrants-2024", "version": v, "comment": "superseded", "source": docA})
	if got := read(); got != `{"claims":{"nodes":[]}}` || a.version(t, "claim:sn-migrants-2024") != "" {
		t.Fatalf("deleted claim: %s", got)
	}
	// A revert brings it back on its subject, exactly as it was.
	a.approve(t, "admin-1", changeSetID(t, a.mutate(t, "editor-2", "revertChangeSet", map[string]any{"id": del, "comment": "was right"})))
	if got := factsDump(t); got != withClaim {
		t.Fatalf("the revert of a claim's deletion differs:\n%s", testenv.DiffLines(withClaim, got))
	}

	// Deleting a node deletes its claims too, each recorded, so its revert restores them.
	a.proposeAndApprove(t, "deleteNode", map[string]any{"id": "country:SN", "version": a.version(t, "country:SN"), "comment": "test", "source": docA})
	if a.version(t, "claim:sn-migrants-2024") != "" {
		t.Fatal("a deleted node's claim stayed")
	}
}

func TestCurationSources(t *testing.T) {
	a := newCurationAPI(t, 0, nil)
	src := map[string]any{"kind": "SOURCE", "comment": "new report", "source": docA, "fields": []any{
		field("id", "source:report-2026"), field("title", "Report 2026"), field("url", "https://example.org/r"), field("published", "2026-02-01")}}
	noSource := map[string]any{"kind": "SOURCE", "comment": "c", "fields": src["fields"]}
	a.refused(t, "editor-1", "createNode", noSource, "SOURCE_REQUIRED")
	a.refused(t, "editor-1", "createNode", map[string]any{"kind": "SOURCE", "comment": "c", "source": docA, "fields": []any{field("id", "source:x")}}, "INVALID")
	a.refused(t, "editor-1", "createNode", map[string]any{"kind": "SOURCE", "comment": "c", "source": docA, "fields": []any{
		field("id", "source:x"), field("title", "X"), field("published", "soon")}}, "INVALID")
	a.refused(t, "editor-1", "createNode", map[string]any{"kind": "SOURCE", "comment": "c", "source": docA, "fields": []any{
		field("id", "source:x"), field("title", "X"), field("status", "V")}}, "INVALID")
	a.forbidden(t, "reader-1", "createNode", src)
	a.proposeAndApprove(t, "createNode", src)
	out := a.as(t, "reader-1", `{ nodeByKey(key: "source:report-2026") { ... on Source { title url published } } }`, nil)
	if got := mustJSON(out.Data["nodeByKey"]); got != `{"published":"2026-02-01","title":"Report 2026","url":"https://example.org/r"}` {
		t.Fatalf("created source reads %s (%v)", got, out.Errors)
	}
	v := a.version(t, "source:report-2026")
	a.proposeAndApprove(t, "updateNode", map[string]any{"id": "source:report-2026", "version": v, "comment": "title", "source": docA,
		"fields": []any{field("title", "Report 2026 (final)")}})

	// A source that facts cite is IN_USE, the message naming them; the change writes nothing.
	doc := "source:doc-a"
	before := testenv.WholeGraphDump(t)
	p := a.mutate(t, "editor-1", "deleteNode", map[string]any{"id": doc, "version": a.version(t, doc), "comment": "c", "source": docA})
	errs := p["userErrors"].([]any)
	if p["changeSet"] != nil || len(errs) != 1 || dig(t, errs[0], "code") != "IN_USE" ||
		!strings.Contains(dig(t, errs[0], "message").(string), "country:SN") || !strings.Contains(dig(t, errs[0], "message").(string), "more") {
		t.Fatalf("deleting a cited source: %v", p)
	}
	if testenv.WholeGraphDump(t) != before {
		t.Fatal("a refused deletion changed the graph")
	}
	// Once the last fact citing a source cites another, the source may go.
	a.proposeAndApprove(t, "updateNode", map[string]any{"id": "project:sn-1", "version": a.version(t, "project:sn-1"), "comment": "cite the report", "source": map[string]any{"key": "source:report-2026", "status": "VERIFIED"},
		"fields": []any{field("budget", "171000000")}})
	a.refused(t, "editor-1", "deleteNode", map[string]any{"id": "source:report-2026", "version": a.version(t, "source:report-2026"), "comment": "c", "source": docA}, "IN_USE")
	a.proposeAndApprove(t, "createNode", map[string]any{"kind": "SOURCE", "comment": "duplicate", "source": docA, "fields": []any{field("id", "source:dup"), field("title", "Dup")}})
	a.refused(t, "editor-1", "deleteNode", map[string]any{"id": "source:dup", "version": "0000", "comment": "c", "source": docA}, "CONFLICT")
	a.forbidden(t, "analyst-1", "deleteNode", map[string]any{"id": "source:dup", "version": a.version(t, "source:dup"), "comment": "c", "source": docA})
	a.proposeAndApprove(t, "deleteNode", map[string]any{"id": "source:dup", "version": a.version(t, "source:dup"), "comment": "duplicate of A", "source": docA})
	if a.version(t, "source:dup") != "" {
		t.Fatal("an uncited source was not deleted")
	}
	// A source that a fact cites by the time its deletion is approved stays: IN_USE again.
	a.proposeAndApprove(t, "createNode", map[string]any{"kind": "SOURCE", "comment": "brief", "source": docA, "fields": []any{field("id", "source:brief"), field("title", "Brief")}})
	late := changeSetID(t, a.mutate(t, "editor-1", "deleteNode", map[string]any{"id": "source:brief", "version": a.version(t, "source:brief"), "comment": "unused", "source": docA}))
	a.proposeAndApprove(t, "updateNode", map[string]any{"id": "country:MA", "version": a.version(t, "country:MA"), "comment": "cite the brief",
		"source": map[string]any{"key": "source:brief", "status": "WEAK"}, "fields": []any{field("subregion", "North Africa")}})
	before = testenv.WholeGraphDump(t)
	if p := a.mutate(t, "admin-1", "approveChangeSet", map[string]any{"id": late, "comment": "ok"}); !contains(userErrorCodes(p), "IN_USE") || p["changeSet"] != nil {
		t.Fatalf("approving the deletion of a source cited since: %v", p)
	}
	if testenv.WholeGraphDump(t) != before {
		t.Fatal("a refused approval changed the graph")
	}
}

func TestCurationRelationshipVersions(t *testing.T) {
	a := newCurationAPI(t, 0, nil)
	v := a.relVersion(t, "country:SN", "MEMBER_OF", "process:rabat")
	out := a.as(t, "reader-1", `{ country(code: "SN") { memberships(first: 5) { edges { node { key } version } } } }`, nil)
	if got := mustJSON(out.Data); v == "" || !strings.Contains(got, `"version":"`+v+`"`) {
		t.Fatalf("MembershipEdge.version and GraphEdge.version differ (%s): %s %v", v, got, out.Errors)
	}
	update := func(version, until string) map[string]any {
		return map[string]any{"type": "MEMBER_OF", "from": "SN", "to": "process:rabat", "role": "MEMBER", "version": version, "comment": "until", "source": docA,
			"fields": []any{field("until", until)}}
	}
	a.refused(t, "editor-1", "updateRelationship", update("0000", "2030-01-01"), "CONFLICT")
	a.refused(t, "editor-1", "updateRelationship", update(v, "2030-02-30"), "INVALID")
	a.refused(t, "editor-1", "removeRelationship", map[string]any{"type": "MEMBER_OF", "from": "SN", "to": "process:rabat", "role": "MEMBER", "version": "0000", "comment": "c", "source": docA}, "CONFLICT")
	for _, key := range []string{"", "reader-1", "analyst-1"} {
		a.forbidden(t, key, "updateRelationship", update(v, "2030-01-01"))
		a.forbidden(t, key, "removeRelationship", map[string]any{"type": "MEMBER_OF", "from": "SN", "to": "process:rabat", "role": "MEMBER", "version": v, "comment": "c", "source": docA})
	}
	// Two editors change the relationship against the version they read: the first approval
	// applies, the second is a CONFLICT and writes nothing.
	first := changeSetID(t, a.mutate(t, "editor-1", "updateRelationship", update(v, "2030-01-01")))
	second := changeSetID(t, a.mutate(t, "editor-2", "updateRelationship", update(v, "2031-01-01")))
	a.approve(t, "admin-1", first)
	newer := a.relVersion(t, "country:SN", "MEMBER_OF", "process:rabat")
	if newer == v {
		t.Fatal("an applied change left the relationship's version")
	}
	before := testenv.WholeGraphDump(t)
	if p := a.mutate(t, "admin-1", "approveChangeSet", map[string]any{"id": second, "comment": "late"}); !contains(userErrorCodes(p), "CONFLICT") {
		t.Fatalf("approving a change made against an old relationship version: %v", p)
	}
	if testenv.WholeGraphDump(t) != before {
		t.Fatal("a conflicting approval changed the graph")
	}
	// At proposal, the old version is a CONFLICT for removals too; the current one works.
	a.refused(t, "editor-1", "removeRelationship", map[string]any{"type": "MEMBER_OF", "from": "SN", "to": "process:rabat", "role": "MEMBER", "version": v, "comment": "c", "source": docA}, "CONFLICT")
	a.proposeAndApprove(t, "removeRelationship", map[string]any{"type": "MEMBER_OF", "from": "SN", "to": "process:rabat", "role": "MEMBER", "version": newer, "comment": "left", "source": docA})
	if a.relVersion(t, "country:SN", "MEMBER_OF", "process:rabat") != "" {
		t.Fatal("the removed membership is still there")
	}
}

// reloadFixture loads the fixture again as the curated dataset, with the extra files given
// (name -> content), and returns what the write did.
func reloadFixture(t *testing.T, st *store.Store, extra map[string]string) store.WriteSummary {
	t.Helper()
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fixture := filepath.Join(root, "internal/httpapi/testdata/fixture")
	files, err := os.ReadDir(fixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(fixture, f.Name()))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, f.Name()), b, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for name, text := range extra {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d, err := dataset.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := st.ReplaceDatasetSummary(store.WithLoadAuthor(context.Background(), "seed load"), store.DatasetCurated, d)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestCuratorDeletionsSurviveReloads(t *testing.T) {
	a := newCurationAPI(t, 0, nil)
	original := factsDump(t)
	del := a.proposeAndApprove(t, "deleteNode", map[string]any{"id": "project:reg-1", "version": a.version(t, "project:reg-1"), "comment": "not a project", "source": docA})
	rm := a.proposeAndApprove(t, "removeRelationship", map[string]any{"type": "MEMBER_OF", "from": "DE", "to": "process:rabat", "role": "MEMBER",
		"version": a.relVersion(t, "country:DE", "MEMBER_OF", "process:rabat"), "comment": "never joined", "source": docA})
	edited := factsDump(t)

	// Loading the seed again states the project, its relationships and the membership: the load
	// leaves them out and says so; the graph's facts stay as the curators left them. A claim the
	// seed now states about the deleted project goes with it (a claim needs its subject).
	sum := reloadFixture(t, a.st, map[string]string{"claims.csv": "id,subject,property,value,source,locator,status\n" +
		"claim:reg-1-budget,project:reg-1,budget,EUR 5 million,source:doc-a,p. 3,V\n"})
	withheld := strings.Join(sum.Withheld, ", ")
	if !contains(sum.Withheld, "project:reg-1") || !contains(sum.Withheld, "MEMBER_OF|country:DE|process:rabat|MEMBER||") ||
		!strings.Contains(withheld, "|project:reg-1|") || !contains(sum.Withheld, "claim:reg-1-budget") {
		t.Fatalf("withheld: %s", withheld)
	}
	if got := factsDump(t); got != edited {
		t.Fatalf("a reload brought deleted facts back:\n%s", testenv.DiffLines(edited, got))
	}

	// Reverting the deletions lifts them: the next load withholds nothing.
	var restore string // the revert of del, the last one
	for _, id := range []string{rm, del} {
		restore = changeSetID(t, a.mutate(t, "editor-2", "revertChangeSet", map[string]any{"id": id, "comment": "restore"}))
		a.approve(t, "admin-1", restore)
	}
	if got := factsDump(t); got != original {
		t.Fatalf("after the reverts:\n%s", testenv.DiffLines(original, got))
	}
	if sum := reloadFixture(t, a.st, nil); len(sum.Withheld) != 0 {
		t.Fatalf("withheld after the reverts: %v", sum.Withheld)
	}

	// Reverting the revert of the deletion deletes the project again, as the deletion did: the
	// next load withholds it again. Reverting that once more restores it and lifts the deletion.
	again := changeSetID(t, a.mutate(t, "editor-2", "revertChangeSet", map[string]any{"id": restore, "comment": "deleted after all"}))
	a.approve(t, "admin-1", again)
	if sum := reloadFixture(t, a.st, nil); !contains(sum.Withheld, "project:reg-1") || a.version(t, "project:reg-1") != "" {
		t.Fatalf("after reverting the restore: withheld %v, project version %q", sum.Withheld, a.version(t, "project:reg-1"))
	}
	a.approve(t, "admin-1", changeSetID(t, a.mutate(t, "editor-2", "revertChangeSet", map[string]any{"id": again, "comment": "restore again"})))
	if sum := reloadFixture(t, a.st, nil); len(sum.Withheld) != 0 || a.version(t, "project:reg-1") == "" {
		t.Fatalf("after restoring again: withheld %v", sum.Withheld)
	}

	// Removing the curation dataset forgets its deletions too.
	a.proposeAndApprove(t, "deleteNode", map[string]any{"id": "project:reg-1", "version": a.version(t, "project:reg-1"), "comment": "again", "source": docA})
	if _, err := a.st.RemoveDataset(context.Background(), store.DatasetCuration); err != nil {
		t.Fatal(err)
	}
	if sum := reloadFixture(t, a.st, nil); len(sum.Withheld) != 0 || a.version(t, "project:reg-1") == "" {
		t.Fatalf("after removing the curation dataset: withheld %v", sum.Withheld)
	}
}

// apq sends a GraphQL request by automatic persisted query: with its text (which registers it)
// or, text "", by its hash alone.
func (a *curationAPI) apq(t *testing.T, key, text, hash string, vars map[string]any) gqlResponse {
	t.Helper()
	body := map[string]any{"variables": vars, "extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
	if text != "" {
		body["query"] = text
	}
	return a.post(t, key, body)
}

func sha(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

func TestMutationAllowlistWithPersistedQueries(t *testing.T) {
	allowed := `mutation($input: ReviewChangeSetInput!) { rejectChangeSet(input: $input) { userErrors { code } } }`
	other := `mutation($input: ReviewChangeSetInput!) { approveChangeSet(input: $input) { userErrors { code } } }`
	vars := map[string]any{"input": map[string]any{"id": "changeset:none", "comment": "x"}}
	code := func(out gqlResponse) string {
		if len(out.Errors) != 1 {
			return ""
		}
		c, _ := out.Errors[0].Extensions["code"].(string)
		return c
	}
	// The persisted queries are shared: another instance, without the allowlist, has registered
	// the other mutation already.
	state := sharedstate.NewMemory(map[string]int64{"apq": 1 << 20})
	if err := state.Put(context.Background(), "apq", sha(other), other); err != nil {
		t.Fatal(err)
	}
	a := newCurationAPIWith(t, graph.Options{State: state, MutationAllowlist: map[string]bool{sha(allowed): true}})

	// The allowlisted mutation registers with its text and then runs by its hash alone.
	if out := a.apq(t, "admin-1", allowed, sha(allowed), vars); len(out.Errors) != 0 || mustJSON(out.Data) != `{"rejectChangeSet":{"userErrors":[{"code":"NOT_FOUND"}]}}` {
		t.Fatalf("allowed mutation with its text: %v %v", out.Data, out.Errors)
	}
	if out := a.apq(t, "admin-1", "", sha(allowed), vars); len(out.Errors) != 0 || mustJSON(out.Data) != `{"rejectChangeSet":{"userErrors":[{"code":"NOT_FOUND"}]}}` {
		t.Fatalf("allowed mutation by hash: %v %v", out.Data, out.Errors)
	}
	// Another mutation is refused by hash alone, although its text is in the cache, and with its text.
	before := testenv.WholeGraphDump(t)
	if out := a.apq(t, "admin-1", "", sha(other), vars); code(out) != "FORBIDDEN" || out.Data["approveChangeSet"] != nil {
		t.Fatalf("a mutation off the allowlist by hash: %v %v", out.Data, out.Errors)
	}
	third := `mutation($input: ReviewChangeSetInput!) { approveChangeSet(input: $input) { changeSet { id } } }`
	if out := a.apq(t, "admin-1", third, sha(third), vars); code(out) != "FORBIDDEN" {
		t.Fatalf("a mutation off the allowlist with its text: %v", out.Errors)
	}
	// A refused mutation is never registered: its hash alone is not found.
	if out := a.apq(t, "admin-1", "", sha(third), vars); code(out) != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("a refused mutation was registered: %v", out.Errors)
	}
	if testenv.WholeGraphDump(t) != before {
		t.Fatal("refused mutations changed the graph")
	}
	// Queries are not restricted, by hash either.
	q := `{ country(code: "SN") { name } }`
	a.apq(t, "reader-1", q, sha(q), nil)
	if out := a.apq(t, "reader-1", "", sha(q), nil); len(out.Errors) != 0 || mustJSON(out.Data) != `{"country":{"name":"Senegal"}}` {
		t.Fatalf("a query by hash: %v %v", out.Data, out.Errors)
	}
}

// TestMutationsWithoutAllowlist checks the shipped default (MUTATION_ALLOWLIST_FILE unset: no
// allowlist): every mutation runs, with its text or by hash.
func TestMutationsWithoutAllowlist(t *testing.T) {
	a := newCurationAPI(t, 0, nil)
	vars := map[string]any{"input": map[string]any{"id": "changeset:none", "comment": "x"}}
	for _, m := range []string{
		`mutation($input: ReviewChangeSetInput!) { rejectChangeSet(input: $input) { userErrors { code } } }`,
		`mutation($input: ReviewChangeSetInput!) { approveChangeSet(input: $input) { userErrors { code } } }`,
	} {
		if out := a.apq(t, "admin-1", m, sha(m), vars); len(out.Errors) != 0 || !strings.Contains(mustJSON(out.Data), `"NOT_FOUND"`) {
			t.Fatalf("with its text: %v %v", out.Data, out.Errors)
		}
		if out := a.apq(t, "admin-1", "", sha(m), vars); len(out.Errors) != 0 || !strings.Contains(mustJSON(out.Data), `"NOT_FOUND"`) {
			t.Fatalf("by hash: %v %v", out.Data, out.Errors)
		}
	}
}
