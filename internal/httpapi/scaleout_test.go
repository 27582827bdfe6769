package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/auth"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/ratelimit"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// rawPost sends a GraphQL request with the API key of name and extra headers, and returns the
// response's status, headers and decoded body.
func rawPost(t testing.TB, url, name, q string, vars map[string]any, header http.Header) (int, http.Header, gqlResponse) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if name != "" {
		req.Header.Set("Authorization", "Bearer "+name)
	}
	for k, vs := range header {
		req.Header[k] = vs
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
	return resp.StatusCode, resp.Header, out
}

const proposeSubregion = `mutation($input: UpdateNodeInput!) { updateNode(input: $input) { changeSet { id } userErrors { code } } }`

func subregionInput(version, value string, key *string) map[string]any {
	in := map[string]any{"id": "country:SN", "version": version, "comment": "scale-out", "source": docA,
		"fields": []any{map[string]any{"name": "subregion", "value": value}}}
	if key != nil {
		in["idempotencyKey"] = *key
	}
	return map[string]any{"input": in}
}

func TestWritesHandTheirBookmarkOn(t *testing.T) {
	a := newCurationAPI(t, 0, nil)
	_, h, out := rawPost(t, a.srv.URL, "reader-1", `{ country(code: "SN") { name } }`, nil, nil)
	if len(out.Errors) > 0 || h.Get(httpapi.BookmarkHeader) != "" {
		t.Fatalf("a read: errors %v, bookmark %q; want none", out.Errors, h.Get(httpapi.BookmarkHeader))
	}
	_, h, out = rawPost(t, a.srv.URL, "editor-1", proposeSubregion, subregionInput(a.version(t, "country:SN"), "B", nil), nil)
	bookmark := h.Get(httpapi.BookmarkHeader)
	if len(out.Errors) > 0 || bookmark == "" {
		t.Fatalf("a write: errors %v, bookmark %q; want a bookmark", out.Errors, bookmark)
	}
	id := out.Data["updateNode"].(map[string]any)["changeSet"].(map[string]any)["id"].(string)
	// The client sends it back: its read waits for the write (at once on one server).
	_, _, out = rawPost(t, a.srv.URL, "editor-1", `query($id: ID!) { changeSet(id: $id) { status } }`, map[string]any{"id": id},
		http.Header{httpapi.BookmarkHeader: {bookmark}})
	if got := mustJSON(out.Data); len(out.Errors) > 0 || got != `{"changeSet":{"status":"PROPOSED"}}` {
		t.Fatalf("read with the bookmark: %s %v", got, out.Errors)
	}
	// Anything but bookmarks sent back unchanged is refused before it reaches Neo4j.
	for _, bad := range []string{"FB:abc<script>", strings.Repeat("A", 600), strings.Repeat("FB:a,", 9)} {
		status, _, out := rawPost(t, a.srv.URL, "editor-1", `{ about { version } }`, nil, http.Header{httpapi.BookmarkHeader: {bad}})
		if status != http.StatusBadRequest || len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
			t.Errorf("bookmark %.20q: status %d, errors %v; want 400 BAD_USER_INPUT", bad, status, out.Errors)
		}
	}
	// A bookmark Neo4j never issued is its error, answered as bad input too, never as an outage.
	_, _, out = rawPost(t, a.srv.URL, "editor-1", `{ country(code: "SN") { name } }`, nil, http.Header{httpapi.BookmarkHeader: {"FB:notabookmark"}})
	if len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("an unknown bookmark: %v, want BAD_USER_INPUT", out.Errors)
	}
}

func TestRedisAwayReadsGoOnIdempotentWritesRefused(t *testing.T) {
	redis := testenv.Redis(t, testenv.Port(6))
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "internal/httpapi/testdata/fixture")
	state, fallback, closeState, err := sharedstate.Open(redis.URL, map[string]int64{"apq": 1 << 20}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeState)
	keys := auth.Keys{}
	for name, role := range curationKeys {
		keys[auth.Hash(name)] = auth.Key{Name: name, Role: role}
	}
	limiter := ratelimit.New(state, ratelimit.DefaultPolicy)
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(st, graph.Options{Version: "test", Logger: quiet, Limits: &testLimits, State: state, RateLimiter: limiter}),
		Ready:   st.Ping, RequestTimeout: 20 * time.Second, Logger: quiet, Keys: keys, Anonymous: reqctx.RoleAnonymous,
		SharedState: fallback, Limiter: limiter,
	}))
	t.Cleanup(srv.Close)
	a := &curationAPI{srv: srv, st: st}
	ready := func() map[string]string {
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]string
		_ = json.NewDecoder(resp.Body).Decode(&body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/readyz %d %v, want 200", resp.StatusCode, body)
		}
		return body
	}
	if got := ready(); got["status"] != "ready" || got["sharedState"] != "reachable" {
		t.Fatalf("/readyz with Redis up: %v", got)
	}
	key := "away-1"
	if _, _, out := rawPost(t, srv.URL, "editor-1", proposeSubregion, subregionInput(a.version(t, "country:SN"), "B", &key), nil); len(out.Errors) > 0 {
		t.Fatalf("a keyed write with Redis up: %v", out.Errors)
	}

	redis.Stop(t)
	for range 3 {
		if _, _, out := rawPost(t, srv.URL, "reader-1", `{ country(code: "SN") { name } }`, nil, nil); len(out.Errors) > 0 {
			t.Fatalf("a read with Redis away: %v", out.Errors)
		}
	}
	if got := ready(); got["status"] != "degraded" || got["sharedState"] != sharedstate.DegradedReason {
		t.Fatalf("/readyz with Redis away: %v", got)
	}
	key = "away-2"
	_, _, out := rawPost(t, srv.URL, "editor-1", proposeSubregion, subregionInput(a.version(t, "country:SN"), "C", &key), nil)
	if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "SERVICE_UNAVAILABLE" {
		t.Fatalf("a keyed write with Redis away: %v, want SERVICE_UNAVAILABLE", out.Errors)
	}
	// A write without a key needs nothing shared and goes on.
	if _, _, out := rawPost(t, srv.URL, "editor-1", proposeSubregion, subregionInput(a.version(t, "country:SN"), "D", nil), nil); len(out.Errors) > 0 {
		t.Fatalf("an unkeyed write with Redis away: %v", out.Errors)
	}

	redis.Start(t)
	deadline := time.Now().Add(10 * time.Second)
	for ready()["status"] != "ready" {
		if time.Now().After(deadline) {
			t.Fatal("/readyz still degraded 10s after Redis came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, _, out := rawPost(t, srv.URL, "editor-1", proposeSubregion, subregionInput(a.version(t, "country:SN"), "C", &key), nil); len(out.Errors) > 0 {
		t.Fatalf("the keyed write again after Redis came back: %v", out.Errors)
	}
}
