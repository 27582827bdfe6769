package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// floorServer serves the floor's hand-written Cypher over loopback HTTP, the least an HTTP API
// over the same driver does: a net/http handler that reads the shape's name from the path, runs
// its one statement through the driver and writes the records as JSON (an array of objects, one
// per record, keyed by column). Its requests pay what the in-process floor does plus an HTTP
// round trip and JSON encoding and decoding, so that the API can be compared with both.
type floorServer struct {
	srv *http.Server
	url string // base URL; the shape's name follows
}

func startFloorServer(driver neo4j.DriverWithContext, all []shape) (*floorServer, error) {
	byName := make(map[string]shape, len(all))
	for _, s := range all {
		byName[s.name] = s
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /floor/{shape}", func(w http.ResponseWriter, r *http.Request) {
		s, ok := byName[r.PathValue("shape")]
		if !ok {
			http.Error(w, "no such shape", http.StatusNotFound)
			return
		}
		res, err := neo4j.ExecuteQuery(r.Context(), driver, s.floor, s.floorParams, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithReadersRouting())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		rows := make([]map[string]any, len(res.Records))
		for i, rec := range res.Records {
			rows[i] = rec.AsMap()
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"rows": rows})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("the HTTP floor: %w", err)
	}
	f := &floorServer{srv: &http.Server{Handler: mux}, url: "http://" + ln.Addr().String() + "/floor/"}
	go func() { _ = f.srv.Serve(ln) }()
	return f, nil
}

func (f *floorServer) stop() { _ = f.srv.Close() }

// httpFloorTarget asks the floor server for one shape.
type httpFloorTarget struct {
	client *http.Client
	url    string
}

func (f *floorServer) target(client *http.Client, s shape) *httpFloorTarget {
	return &httpFloorTarget{client: client, url: f.url + s.name}
}

func (t *httpFloorTarget) fetch(ctx context.Context) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, http.NoBody)
	if err != nil {
		return nil, err
	}
	return send(t.client, req)
}

// do fetches and decodes the answer, as a client of an HTTP API would.
func (t *httpFloorTarget) do(ctx context.Context) error {
	_, err := t.records(ctx)
	return err
}

// records fetches the answer and turns its rows back into records with the columns of the
// statement, so that the shape's floor normaliser reads them as it reads the driver's.
func (t *httpFloorTarget) records(ctx context.Context) ([]*neo4j.Record, error) {
	raw, err := t.fetch(ctx)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	var out struct {
		Rows []map[string]any `json:"rows"`
	}
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if out.Rows == nil {
		return nil, errors.New("the answer has no rows: " + clip(raw))
	}
	recs := make([]*neo4j.Record, len(out.Rows))
	for i, row := range out.Rows {
		rec := &neo4j.Record{}
		for k, v := range row {
			rec.Keys = append(rec.Keys, k)
			rec.Values = append(rec.Values, v)
		}
		recs[i] = rec
	}
	return recs, nil
}
