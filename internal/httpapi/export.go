package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/export"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Exports are the bulk exports and the web identifiers of nodes.
type Exports struct {
	Store *store.Store
	// BaseURL is the base of every IRI ({base}/id/project/bmm-1); PUBLIC_BASE_URL.
	BaseURL string
	// Timeout is an export's deadline (EXPORT_TIMEOUT), longer than a GraphQL request's.
	Timeout time.Duration
	// IATI writes the IATI 2.03 export; nil: no iati.xml.
	IATI func(ctx context.Context, w io.Writer, st *store.Store, where map[string]any) error
}

// exportFormat is one bulk export: its media type and writer.
type exportFormat struct {
	mediaType string
	write     func(ctx context.Context, w io.Writer, st *store.Store, base string, where map[string]any) error
}

func (e *Exports) formats() map[string]exportFormat {
	f := map[string]exportFormat{
		"projects.ndjson": {"application/x-ndjson", export.WriteNDJSON},
		"projects.csv":    {"text/csv; charset=utf-8", export.WriteCSV},
		"graph.jsonld":    {"application/ld+json", export.WriteJSONLD},
	}
	if e.IATI != nil {
		iati := e.IATI
		f["iati.xml"] = exportFormat{"application/xml", func(ctx context.Context, w io.Writer, st *store.Store, _ string, where map[string]any) error {
			return iati(ctx, w, st, where)
		}}
	}
	return f
}

// exportFilterQuery checks an export's filter exactly as GraphQL checks a `where` (types,
// limits, references, cost) and counts what it matches.
const exportFilterQuery = `query ExportFilter($where: ProjectWhere) { projects(first: 1, where: $where) { totalCount } }`

// exportPoints is what an export costs beyond its filter: one point per ten projects it writes.
func exportPoints(projects int) int { return projects / 10 }

// exportRoutes adds /export/{format}, /id/... and the published JSON-LD context to mux; every
// export goes through the caller's key and role, the admission caps and the rate limit.
func exportRoutes(mux *http.ServeMux, o Options, identify func(http.Handler) http.Handler) {
	e := o.Exports
	if e == nil {
		return
	}
	formats := e.formats()
	mux.Handle("/export/", limitBody(identify(admission(o.Limiter, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/export/")
		f, ok := formats[name]
		if !ok {
			names := make([]string, 0, len(formats))
			for n := range formats {
				names = append(names, "/export/"+n)
			}
			writeError(w, r, http.StatusNotFound, "NOT_FOUND", "no such export; the exports are "+strings.Join(sortedStrings(names), ", "))
			return
		}
		where, ok := exportWhere(w, r)
		if !ok {
			return
		}
		total, ok := checkExportFilter(w, r, o, where)
		if !ok {
			return
		}
		if o.Limiter != nil {
			c := reqctx.CallerOf(r.Context())
			release, entered := o.Limiter.EnterScan(r.Context(), !c.Keyed)
			defer release()
			if !entered {
				w.Header().Set("Retry-After", "1")
				writeError(w, r, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", "as many exports and scans of the graph as the API runs at once are running; retry shortly")
				return
			}
			if ok, b := o.Limiter.Take(r.Context(), c.Client, exportPoints(total)); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(max(1, int(b.RetryAfter.Seconds()))))
				writeError(w, r, http.StatusTooManyRequests, "RATE_LIMITED", fmt.Sprintf(
					"rate limit: this export of %d projects costs %d points, more than the budget holds now; retry in %d s or narrow the filter",
					total, exportPoints(total), max(1, int(b.RetryAfter.Seconds()))))
				return
			}
		}
		ctx := r.Context() // the export's own deadline (withDeadline); a client that goes away stops it
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(e.Timeout + 5*time.Second))
		w.Header().Set("Content-Type", f.mediaType)
		w.Header().Set("X-Total-Count", strconv.Itoa(total))
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		var out io.Writer = flushingWriter{w}
		if acceptsGzip(r) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Add("Vary", "Accept-Encoding")
			gz := gzip.NewWriter(w)
			defer gz.Close()
			out = gzipFlusher{gz: gz, w: w}
		}
		w.WriteHeader(http.StatusOK)
		if err := f.write(ctx, out, e.Store, e.BaseURL, where); err != nil {
			// The answer has begun: the failure can only be logged and the stream cut short, so
			// that it does not parse as a whole document.
			o.Logger.ErrorContext(r.Context(), "export failed", "request_id", reqctx.RequestID(r.Context()), "export", name, "error", err.Error())
			panic(http.ErrAbortHandler)
		}
	})))))
	mux.HandleFunc("GET /ns/"+export.ContextVersion+"/context.jsonld", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/ld+json")
		_ = json.NewEncoder(w).Encode(export.Context(e.BaseURL))
	})
	mux.Handle("GET /id/", identify(admission(o.Limiter, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := export.KeyOfIRIPath(r.URL.Path)
		if key == "" {
			writeError(w, r, http.StatusNotFound, "NOT_FOUND", "not a node's IRI; IRIs read /id/{project|country|organisation|process|instrument|theme|source|priority|claim}/{key without its prefix}")
			return
		}
		if prefersHTML(r) {
			// A person following the IRI sees the node in the network explorer, with its facts open.
			http.Redirect(w, r, "/explore?"+url.Values{"node": {key}}.Encode(), http.StatusSeeOther)
			return
		}
		nodes, err := e.Store.NodesByKey(r.Context(), []string{key})
		if err != nil {
			writeError(w, r, statusOfCode(codeOf(err)), codeOf(err), "the node could not be read; try again")
			return
		}
		n, ok := nodes[key]
		if !ok {
			writeError(w, r, http.StatusNotFound, "NOT_FOUND", "no node has the key "+key)
			return
		}
		doc := map[string]any{"@context": export.ContextIRI(e.BaseURL), "@id": export.IRI(e.BaseURL, key), "key": key}
		if b, err := json.Marshal(n); err == nil {
			var fields map[string]any
			if json.Unmarshal(b, &fields) == nil {
				for k, v := range fields {
					if k != "Key" && v != nil {
						doc[lowerFirst(k)] = v
					}
				}
			}
		}
		doc["@type"] = typeName(n)
		w.Header().Set("Content-Type", "application/ld+json")
		w.Header().Set("Vary", "Accept")
		_ = json.NewEncoder(w).Encode(doc)
	}))))
}

// exportWhere reads an export's filter: the JSON `where` query parameter (GET) or the `where`
// member of a JSON body (POST). Absent: every project.
func exportWhere(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	var raw []byte
	switch r.Method {
	case http.MethodGet:
		raw = []byte(r.URL.Query().Get("where"))
	case http.MethodPost:
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			writeError(w, r, http.StatusUnsupportedMediaType, "BAD_USER_INPUT", `POST a JSON body {"where": {...}} with Content-Type: application/json`)
			return nil, false
		}
		var body struct {
			Where json.RawMessage `json:"where"`
		}
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&body); err != nil {
			writeError(w, r, http.StatusBadRequest, "BAD_USER_INPUT", `the body must be {"where": {...}}, a ProjectWhere filter as in GraphQL: `+err.Error())
			return nil, false
		}
		raw = body.Where
	default:
		w.Header().Set("Allow", "GET, POST")
		writeError(w, r, http.StatusMethodNotAllowed, "BAD_USER_INPUT", "use GET (with ?where=JSON) or POST (with a JSON body)")
		return nil, false
	}
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil, true
	}
	var where map[string]any
	if err := json.Unmarshal(raw, &where); err != nil {
		writeError(w, r, http.StatusBadRequest, "BAD_USER_INPUT", "where must be a JSON object, a ProjectWhere filter as in GraphQL: "+err.Error())
		return nil, false
	}
	return where, true
}

// checkExportFilter runs the filter through the GraphQL layer with the caller's identity, so
// that it is checked, limited, priced and charged as the same `where` in a query, and returns how
// many projects it matches. On a refusal it answers with GraphQL's errors.
func checkExportFilter(w http.ResponseWriter, r *http.Request, o Options, where map[string]any) (int, bool) {
	body, _ := json.Marshal(map[string]any{"query": exportFilterQuery, "variables": map[string]any{"where": where}})
	req := httptest.NewRequestWithContext(r.Context(), http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	o.GraphQL.ServeHTTP(rec, req)
	var answer struct {
		Data struct {
			Projects struct {
				TotalCount int `json:"totalCount"`
			} `json:"projects"`
		} `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
		writeError(w, r, http.StatusInternalServerError, "INTERNAL", "internal error")
		return 0, false
	}
	if len(answer.Errors) > 0 {
		code, _ := answer.Errors[0].Extensions["code"].(string)
		msg := strings.ReplaceAll(answer.Errors[0].Message, "$where", "where")
		if retry := rec.Header().Get("Retry-After"); retry != "" {
			w.Header().Set("Retry-After", retry)
		}
		writeError(w, r, statusOfCode(code), code, msg)
		return 0, false
	}
	return answer.Data.Projects.TotalCount, true
}

func statusOfCode(code string) int {
	switch code {
	case "BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "COMPLEXITY_LIMIT_EXCEEDED":
		return http.StatusBadRequest
	case "NOT_FOUND":
		return http.StatusNotFound
	case "UNAUTHENTICATED":
		return http.StatusUnauthorized
	case "FORBIDDEN":
		return http.StatusForbidden
	case "RATE_LIMITED":
		return http.StatusTooManyRequests
	case "SERVICE_UNAVAILABLE":
		return http.StatusServiceUnavailable
	case "TIMEOUT":
		return http.StatusGatewayTimeout
	}
	return http.StatusInternalServerError
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") {
			return true
		}
	}
	return false
}

// prefersHTML says whether a browser asks for the IRI (text/html before any JSON type).
func prefersHTML(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	html := strings.Index(accept, "text/html")
	if html < 0 {
		return false
	}
	for _, t := range []string{"application/ld+json", "application/json"} {
		if i := strings.Index(accept, t); i >= 0 && i < html {
			return false
		}
	}
	return true
}

type flushingWriter struct{ w http.ResponseWriter }

func (f flushingWriter) Write(b []byte) (int, error) { return f.w.Write(b) }
func (f flushingWriter) Flush() {
	if fl, ok := f.w.(http.Flusher); ok {
		fl.Flush()
	}
}

type gzipFlusher struct {
	gz *gzip.Writer
	w  http.ResponseWriter
}

func (g gzipFlusher) Write(b []byte) (int, error) { return g.gz.Write(b) }
func (g gzipFlusher) Flush() {
	_ = g.gz.Flush()
	if fl, ok := g.w.(http.Flusher); ok {
		fl.Flush()
	}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func typeName(v any) string {
	t := fmt.Sprintf("%T", v)
	return t[strings.LastIndex(t, ".")+1:]
}

func codeOf(err error) string { return string(apperr.CodeOf(err)) }

func sortedStrings(list []string) []string {
	out := append([]string{}, list...)
	sort.Strings(out)
	return out
}
