package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// target is one system answering one shape: a request that either succeeds or fails.
type target interface {
	do(ctx context.Context) error
}

// graphqlTarget posts one GraphQL query over HTTP.
type graphqlTarget struct {
	client *http.Client
	url    string
	body   []byte
}

func newGraphQLTarget(client *http.Client, url, query string) *graphqlTarget {
	body, _ := json.Marshal(map[string]any{"query": query})
	return &graphqlTarget{client: client, url: url, body: body}
}

func (t *graphqlTarget) fetch(ctx context.Context) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(t.body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	raw, err := send(t.client, req)
	if err != nil {
		return raw, err
	}
	if bytes.Contains(raw, []byte(`"errors"`)) {
		return raw, fmt.Errorf("GraphQL errors: %s", clip(raw))
	}
	return raw, nil
}

func (t *graphqlTarget) do(ctx context.Context) error {
	_, err := t.fetch(ctx)
	return err
}

// data fetches once and decodes the `data` entry.
func (t *graphqlTarget) data(ctx context.Context) (any, error) {
	raw, err := t.fetch(ctx)
	if err != nil {
		return nil, err
	}
	var out struct {
		Data any `json:"data"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return out.Data, nil
}

// cypherTarget runs one read statement through the Go driver and reads every record.
type cypherTarget struct {
	driver neo4j.DriverWithContext
	cypher string
	params map[string]any
}

func (t *cypherTarget) records(ctx context.Context) ([]*neo4j.Record, error) {
	res, err := neo4j.ExecuteQuery(ctx, t.driver, t.cypher, t.params, neo4j.EagerResultTransformer,
		neo4j.ExecuteQueryWithReadersRouting())
	if err != nil {
		return nil, err
	}
	return res.Records, nil
}

func (t *cypherTarget) do(ctx context.Context) error {
	_, err := t.records(ctx)
	return err
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// run is the outcome of one timed run of one target.
type run struct {
	ok, failed int
	elapsed    time.Duration
	latencies  []time.Duration // of the successful requests
	firstError string
}

// load sends requests to a target from conns loops, each waiting for its answer before sending
// the next, for the duration; requests in flight at the end are awaited and counted.
func load(ctx context.Context, t target, conns int, d time.Duration) run {
	var (
		mu  sync.Mutex
		out run
		wg  sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			ok, failed, firstErr := 0, 0, ""
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				err := t.do(ctx)
				if err != nil {
					if errors.Is(err, context.Canceled) {
						break
					}
					failed++
					if firstErr == "" {
						firstErr = err.Error()
					}
					continue
				}
				ok++
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			out.ok += ok
			out.failed += failed
			out.latencies = append(out.latencies, lat...)
			if out.firstError == "" {
				out.firstError = firstErr
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	return out
}

// stats sums the runs of one system at one concurrency over the rounds.
type stats struct {
	runs []run
}

func (s *stats) add(r run) { s.runs = append(s.runs, r) }

// rate is successful requests per second over all rounds.
func (s *stats) rate() float64 {
	ok, secs := 0, 0.0
	for _, r := range s.runs {
		ok += r.ok
		secs += r.elapsed.Seconds()
	}
	if secs == 0 {
		return 0
	}
	return float64(ok) / secs
}

// roundRates are the requests per second of each round.
func (s *stats) roundRates() []float64 {
	out := make([]float64, len(s.runs))
	for i, r := range s.runs {
		if r.elapsed > 0 {
			out[i] = float64(r.ok) / r.elapsed.Seconds()
		}
	}
	return out
}

func (s *stats) failed() (int, string) {
	n, first := 0, ""
	for _, r := range s.runs {
		n += r.failed
		if first == "" {
			first = r.firstError
		}
	}
	return n, first
}

// percentile of the latencies of all rounds (nearest rank), or 0 when there are none.
func (s *stats) percentile(p float64) time.Duration {
	var all []time.Duration
	for _, r := range s.runs {
		all = append(all, r.latencies...)
	}
	return percentile(all, p)
}

func percentile(all []time.Duration, p float64) time.Duration {
	if len(all) == 0 {
		return 0
	}
	sorted := append([]time.Duration(nil), all...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	rank := int(p/100*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

// send sends req and reads the whole answer; an answer other than 200 is an error that quotes it.
func send(client *http.Client, req *http.Request) ([]byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return raw, fmt.Errorf("HTTP %d: %s", resp.StatusCode, clip(raw))
	}
	return raw, nil
}
