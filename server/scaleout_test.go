package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/auth"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// instance is one API process of the scale-out test.
type instance struct {
	name string
	url  string
	cmd  *exec.Cmd
	logs *bytes.Buffer
}

// answer is one GraphQL response as the scale-out test reads it.
type answer struct {
	status int
	header http.Header
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (a answer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

var scaleClient = &http.Client{Timeout: 20 * time.Second}

// post sends a GraphQL request to in with the API key key; err is a failure to get any answer.
func (in *instance) post(key string, body map[string]any, header ...string) (answer, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, in.url+"/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := scaleClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	out := answer{status: resp.StatusCode, header: resp.Header}
	if err := json.Unmarshal(raw, &out); err != nil {
		return answer{}, fmt.Errorf("status %d: %s", resp.StatusCode, raw)
	}
	return out, nil
}

func (in *instance) mustPost(t *testing.T, key string, body map[string]any, header ...string) answer {
	t.Helper()
	out, err := in.post(key, body, header...)
	if err != nil {
		t.Fatalf("%s: %v", in.name, err)
	}
	return out
}

func (in *instance) readiness(t *testing.T) map[string]string {
	t.Helper()
	resp, err := scaleClient.Get(in.url + "/readyz")
	if err != nil {
		t.Fatalf("%s /readyz: %v", in.name, err)
	}
	defer resp.Body.Close()
	var body map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return body
}

// startInstance starts the server binary with env and waits until it is ready.
func startInstance(t *testing.T, bin, name string, env []string) *instance {
	t.Helper()
	addr := freeAddr(t)
	in := &instance{name: name, url: "http://" + addr, logs: &bytes.Buffer{}}
	in.cmd = exec.Command(bin)
	in.cmd.Env = append(append(os.Environ(), env...), "LISTEN_ADDR="+addr)
	in.cmd.Stdout, in.cmd.Stderr = in.logs, in.logs
	in.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = in.cmd.Process.Kill()
		_, _ = in.cmd.Process.Wait()
		if t.Failed() {
			t.Logf("logs of %s:\n%s", name, in.logs.String())
		}
	})
	for i := 0; ; i++ {
		resp, err := http.Get(in.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return in
			}
		}
		if i == 300 {
			t.Fatalf("%s never became ready; logs:\n%s", name, in.logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

const scaleBurst = 5000

// TestThreeInstancesShareOneState starts three API processes over one Redis and the test
// Neo4j, as an operator does behind a load balancer (docker-compose's scale-out profile), and
// shows what they share: one budget, the persisted queries, a client's own writes at once on
// another instance, no accepted write lost when one dies, and Redis going and coming back.
func TestThreeInstancesShareOneState(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "internal/httpapi/testdata/fixture")
	redis := testenv.Redis(t, testenv.Port(7))
	uri, password := testenv.Settings()

	keyNames := map[string]string{"spender-1": "reader", "spender-2": "reader", "reader-1": "reader",
		"editor-1": "editor", "editor-2": "editor", "editor-3": "editor"}
	var keys strings.Builder
	keys.WriteString("name,role,sha256,revoked\n")
	for name, role := range keyNames {
		fmt.Fprintf(&keys, "%s,%s,%s,false\n", name, role, auth.Hash(name))
	}
	keysFile := filepath.Join(t.TempDir(), "keys.csv")
	if err := os.WriteFile(keysFile, []byte(keys.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := buildServer(t)
	env := []string{"NEO4J_URI=" + uri, "NEO4J_PASSWORD=" + password, "REDIS_URL=" + redis.URL, "API_KEYS_FILE=" + keysFile,
		"RATE_LIMIT_BURST=" + strconv.Itoa(scaleBurst), "RATE_LIMIT_PER_SECOND=1", "METRICS_ADDR=off", "LOG_FORMAT=json",
		"MIGRATE_ON_START=false"}
	a := startInstance(t, bin, "A", env)
	b := startInstance(t, bin, "B", env)
	c := startInstance(t, bin, "C", env)
	for _, in := range []*instance{a, b, c} {
		if got := in.readiness(t); got["status"] != "ready" || got["sharedState"] != "reachable" {
			t.Fatalf("%s /readyz: %v", in.name, got)
		}
	}

	t.Run("one budget across the instances", func(t *testing.T) {
		spendUntilRefused(t, "spender-1", a, b, c)
	})

	t.Run("a persisted query registered on A answers on B", func(t *testing.T) {
		query := `query Persisted { country(code: "SN") { name } }`
		sum := sha256.Sum256([]byte(query))
		ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
		if out := b.mustPost(t, "reader-1", map[string]any{"extensions": ext}); out.code() != "PERSISTED_QUERY_NOT_FOUND" {
			t.Fatalf("an unknown hash on B: %+v", out)
		}
		if out := a.mustPost(t, "reader-1", map[string]any{"query": query, "extensions": ext}); len(out.Errors) > 0 {
			t.Fatalf("registering on A: %+v", out.Errors)
		}
		out := b.mustPost(t, "reader-1", map[string]any{"extensions": ext})
		if got, _ := json.Marshal(out.Data); len(out.Errors) > 0 || string(got) != `{"country":{"name":"Senegal"}}` {
			t.Fatalf("the hash alone on B: %s %+v", got, out.Errors)
		}
	})

	version := nodeVersion(t, b, "country:SN")
	t.Run("a write on A is read back on C at once by the same client", func(t *testing.T) {
		out := a.mustPost(t, "editor-1", propose(version, "Sahel", ""))
		id := changeSetID(out)
		bookmark := out.header.Get("X-Bookmark")
		if id == "" || bookmark == "" {
			t.Fatalf("proposal on A: id %q, bookmark %q, %+v", id, bookmark, out.Errors)
		}
		read := c.mustPost(t, "editor-1", map[string]any{"query": `query($id: ID!) { changeSet(id: $id) { status author } }`,
			"variables": map[string]any{"id": id}}, "X-Bookmark", bookmark)
		if got, _ := json.Marshal(read.Data); len(read.Errors) > 0 || string(got) != `{"changeSet":{"author":"editor-1","status":"PROPOSED"}}` {
			t.Fatalf("read back on C: %s %+v", got, read.Errors)
		}
	})

	t.Run("killing A under load loses no accepted write", func(t *testing.T) {
		var (
			mu        sync.Mutex
			accepted  []string
			afterKill atomic.Int64
			failedBC  []string
			killed    atomic.Bool
			wg        sync.WaitGroup
		)
		stop := make(chan struct{})
		for w, editor := range []string{"editor-1", "editor-2", "editor-3"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					in := []*instance{a, b, c}[(i+w)%3]
					key := ""
					if i%2 == 0 {
						key = fmt.Sprintf("load-%s-%d", editor, i)
					}
					out, err := in.post(editor, propose(version, fmt.Sprintf("load %d", i), key))
					if err != nil || len(out.Errors) > 0 {
						if in != a {
							mu.Lock()
							failedBC = append(failedBC, fmt.Sprintf("%s: %v %+v", in.name, err, out.Errors))
							mu.Unlock()
						}
						continue
					}
					if id := changeSetID(out); id != "" {
						mu.Lock()
						accepted = append(accepted, id)
						mu.Unlock()
						if killed.Load() {
							afterKill.Add(1)
						}
					}
				}
			}()
		}
		time.Sleep(2 * time.Second)
		if err := a.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_, _ = a.cmd.Process.Wait()
		killed.Store(true)
		time.Sleep(2 * time.Second)
		close(stop)
		wg.Wait()
		if len(failedBC) > 0 {
			t.Errorf("B or C failed requests while A died: %v", failedBC)
		}
		if afterKill.Load() == 0 {
			t.Error("no write was accepted after A was killed: B and C did not go on")
		}
		// Every write that was answered with its change set is in the graph (read on B, 20
		// change sets a request).
		found := 0
		for start := 0; start < len(accepted); start += 20 {
			var q strings.Builder
			q.WriteString("{")
			for i, id := range accepted[start:min(start+20, len(accepted))] {
				fmt.Fprintf(&q, " c%d: changeSet(id: %q) { id }", i, id)
			}
			q.WriteString(" }")
			out := b.mustPost(t, "reader-1", map[string]any{"query": q.String()})
			if len(out.Errors) > 0 {
				t.Fatalf("reading the accepted change sets: %+v", out.Errors)
			}
			for _, cs := range out.Data {
				if cs != nil {
					found++
				}
			}
		}
		if found != len(accepted) {
			t.Fatalf("%d of %d accepted change sets are in the graph", found, len(accepted))
		}
		t.Logf("%d writes accepted, %d of them after A was killed", len(accepted), afterKill.Load())
	})

	t.Run("Redis stopped and restarted", func(t *testing.T) {
		redis.Stop(t)
		for i := range 10 {
			in := []*instance{b, c}[i%2]
			if out := in.mustPost(t, "reader-1", map[string]any{"query": `{ country(code: "SN") { name } }`}); len(out.Errors) > 0 {
				t.Fatalf("a read on %s with Redis away: %+v", in.name, out.Errors)
			}
		}
		for _, in := range []*instance{b, c} {
			if got := in.readiness(t); got["status"] != "degraded" {
				t.Errorf("%s /readyz with Redis away: %v", in.name, got)
			}
		}
		if out := b.mustPost(t, "editor-1", propose(version, "away", "away-1")); out.code() != "SERVICE_UNAVAILABLE" || out.Data["updateNode"] != nil {
			t.Errorf("a keyed write with Redis away: %+v, want SERVICE_UNAVAILABLE and nothing written", out)
		}

		redis.Start(t)
		deadline := time.Now().Add(15 * time.Second)
		for _, in := range []*instance{b, c} {
			for in.readiness(t)["status"] != "ready" {
				if time.Now().After(deadline) {
					t.Fatalf("%s still degraded after Redis came back", in.name)
				}
				if out := in.mustPost(t, "reader-1", map[string]any{"query": `{ country(code: "SN") { name } }`}); len(out.Errors) > 0 {
					t.Fatalf("a read on %s while Redis comes back: %+v", in.name, out.Errors)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
		if out := b.mustPost(t, "editor-1", propose(version, "back", "back-1")); len(out.Errors) > 0 || changeSetID(out) == "" {
			t.Fatalf("a keyed write after Redis came back: %+v", out)
		}
		spendUntilRefused(t, "spender-2", b, c)
	})
}

// spendUntilRefused spends key's budget on the first instance until it is refused, then
// expects the others to refuse it too.
func spendUntilRefused(t *testing.T, key string, first *instance, others ...*instance) {
	t.Helper()
	costly := map[string]any{"query": `{ countries(first: 20) { edges { node { name projects(first: 20) { edges { node { title } } } } } } }`}
	for i := 0; ; i++ {
		out := first.mustPost(t, key, costly)
		if out.code() == "RATE_LIMITED" {
			break
		}
		if len(out.Errors) > 0 {
			t.Fatalf("spending on %s: %+v", first.name, out.Errors)
		}
		if i == 0 {
			remaining, _ := strconv.Atoi(out.header.Get("RateLimit-Remaining"))
			if cost := scaleBurst - remaining; cost < scaleBurst/100 {
				t.Fatalf("the costly query costs %d points of %d: spending the budget would take too long", cost, scaleBurst)
			}
		}
		if i > 100 {
			t.Fatalf("%s never refused %s", first.name, key)
		}
	}
	for _, in := range others {
		if out := in.mustPost(t, key, costly); out.code() != "RATE_LIMITED" {
			t.Errorf("%s, after %s refused the budget: %+v, want RATE_LIMITED (one budget, not one per instance)", in.name, first.name, out.Errors)
		}
	}
}

func propose(version, subregion, idempotencyKey string) map[string]any {
	in := map[string]any{"id": "country:SN", "version": version, "comment": "scale-out", "fields": []any{map[string]any{"name": "subregion", "value": subregion}},
		"source": map[string]any{"key": "source:doc-a", "locator": "p. 12", "status": "VERIFIED"}}
	if idempotencyKey != "" {
		in["idempotencyKey"] = idempotencyKey
	}
	return map[string]any{"query": `mutation($input: UpdateNodeInput!) { updateNode(input: $input) { changeSet { id } userErrors { code message } } }`,
		"variables": map[string]any{"input": in}}
}

func changeSetID(out answer) string {
	p, _ := out.Data["updateNode"].(map[string]any)
	cs, _ := p["changeSet"].(map[string]any)
	id, _ := cs["id"].(string)
	return id
}

func nodeVersion(t *testing.T, in *instance, key string) string {
	t.Helper()
	out := in.mustPost(t, "reader-1", map[string]any{"query": `query($k: String!) { nodeByKey(key: $k) { version } }`, "variables": map[string]any{"k": key}})
	n, _ := out.Data["nodeByKey"].(map[string]any)
	v, _ := n["version"].(string)
	if v == "" {
		t.Fatalf("no version of %s: %+v", key, out.Errors)
	}
	return v
}
