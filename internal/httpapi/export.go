package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/dataset"
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
	IATI func(ctx context.Context, w io.Writer, st *store.Store, scope store.ExportScope) error
}

// exportFormat is one bulk export: its media type and writer, whether it costs by the projects
// it covers (a seed file of other kinds, or the deletions, costs one point), and whether it walks
// every node and relationship (whose change stamps it reads one by one with since).
type exportFormat struct {
	mediaType string
	write     func(ctx context.Context, w io.Writer, st *store.Store, base string, scope store.ExportScope) error
	flat      bool
	walk      bool
}

func (e *Exports) formats() map[string]exportFormat {
	f := map[string]exportFormat{
		"projects.ndjson": {mediaType: "application/x-ndjson", write: export.WriteNDJSON},
		"projects.csv":    {mediaType: "text/csv; charset=utf-8", write: export.WriteCSV},
		"graph.jsonld":    {mediaType: "application/ld+json", write: export.WriteJSONLD},
		"graph.ndjson":    {mediaType: "application/x-ndjson", write: export.WriteGraphNDJSON, walk: true},
	}
	if e.IATI != nil {
		iati := e.IATI
		f["iati.xml"] = exportFormat{mediaType: "application/xml", write: func(ctx context.Context, w io.Writer, st *store.Store, _ string, scope store.ExportScope) error {
			return iati(ctx, w, st, scope)
		}}
	}
	f[seedPrefix+export.DeletionsFile] = exportFormat{mediaType: "text/csv; charset=utf-8", flat: true, write: func(ctx context.Context, w io.Writer, st *store.Store, _ string, scope store.ExportScope) error {
		since := time.Time{} // without since: every deletion recorded
		if scope.Since != nil {
			since = *scope.Since
		}
		return export.WriteDeletions(ctx, w, st, since)
	}}
	for _, file := range export.SeedFiles() {
		atProjects := file.Kind == store.KindProject || slices.Contains(file.FromKinds, store.KindProject) || slices.Contains(file.ToKinds, store.KindProject)
		f[seedPrefix+file.Name] = exportFormat{mediaType: "text/csv; charset=utf-8", flat: !atProjects, walk: true, write: func(ctx context.Context, w io.Writer, st *store.Store, _ string, scope store.ExportScope) error {
			return export.WriteSeedFile(ctx, w, st, file, scope)
		}}
	}
	return f
}

// exportFilterQuery checks an export's filter exactly as GraphQL checks a `where` (types,
// limits, references, cost) and counts what it matches.
const exportFilterQuery = `query ExportFilter($where: ProjectWhere) { projects(first: 1, where: $where) { totalCount } }`

// exportPoints is what an export costs beyond its filter: one point per ten projects it writes
// (those its filter matches; with since, the changed ones among them), plus, with since, one point
// per hundred projects the filter matches (the change stamps read to find the changed ones); or
// one for a flat-priced seed file (nodes of other kinds, relationships without a project end,
// deletions). An export that walks every relationship reads the stamp of each with since, which
// takes Neo4j about as long as the whole export: it costs its whole price with or without since.
func exportPoints(f exportFormat, c exportCount) int {
	if f.flat {
		return 1
	}
	if c.since && !f.walk {
		return c.changed/10 + c.matched/100
	}
	return c.matched / 10
}

// exportCount is what prices an export: the projects its filter matches and, with since, how
// many of them changed after it.
type exportCount struct {
	matched, changed int
	since            bool
}

// countExport counts what an export will write: with since (and an export of projects) the
// changed projects, read by one statement of ids and stamps; else the filter's count.
func (e *Exports) countExport(ctx context.Context, f exportFormat, matched int, scope store.ExportScope) (exportCount, error) {
	c := exportCount{matched: matched, changed: matched}
	if scope.Since == nil || f.flat || f.walk {
		return c, nil
	}
	changed, err := e.Store.CountChangedProjects(ctx, scope)
	if err != nil {
		return c, err
	}
	c.changed, c.since = changed, true
	return c, nil
}

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
		since, ok := exportSince(w, r)
		if !ok {
			return
		}
		total, ok := checkExportFilter(w, r, o, where)
		if !ok {
			return
		}
		if !e.conditional(w, r, name, where, since) {
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
			count, err := e.countExport(r.Context(), f, total, store.ExportScope{Where: where, Since: since})
			if err != nil {
				writeError(w, r, statusOfCode(codeOf(err)), codeOf(err), "the changes since could not be counted; try again")
				return
			}
			if ok, b := o.Limiter.Take(r.Context(), c.Client, exportPoints(f, count)); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(max(1, int(b.RetryAfter.Seconds()))))
				writeError(w, r, http.StatusTooManyRequests, "RATE_LIMITED", fmt.Sprintf(
					"rate limit: this export of %d projects costs %d points, more than the budget holds now; retry in %d s or narrow the filter",
					count.changed, exportPoints(f, count), max(1, int(b.RetryAfter.Seconds()))))
				return
			}
		}
		ctx := r.Context() // the export's own deadline (withDeadline); a client that goes away stops it
		if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(e.Timeout + 5*time.Second)); err != nil {
			o.Logger.WarnContext(r.Context(), "export keeps the server's write timeout", "request_id", reqctx.RequestID(r.Context()), "error", err.Error())
		}
		w.Header().Set("Content-Type", f.mediaType)
		w.Header().Set("X-Total-Count", strconv.Itoa(total))
		w.Header().Set("Cache-Control", "private, no-cache")
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
		if fl, ok := out.(export.Flusher); ok {
			fl.Flush() // the status and headers go at once, before the first batch is read
		}
		if err := f.write(ctx, out, e.Store, e.BaseURL, store.ExportScope{Where: where, Since: since}); err != nil {
			// The answer has begun: the failure can only be logged and the stream cut short, so
			// that it does not parse as a whole document.
			o.Logger.ErrorContext(r.Context(), "export failed", "request_id", reqctx.RequestID(r.Context()), "export", name, "error", err.Error())
			panic(http.ErrAbortHandler)
		}
	})))))
	serveContext := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/ld+json")
		w.Header().Set("Link", "<"+export.ContextIRI(e.BaseURL)+">; rel=\"canonical\"")
		_ = json.NewEncoder(w).Encode(export.Context(e.BaseURL))
	}
	mux.HandleFunc("GET /ns/"+export.ContextVersion+"/context.jsonld", serveContext)
	mux.HandleFunc("GET /export/context.jsonld", serveContext)
	mux.HandleFunc("GET /export/"+seedPrefix+"{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(seedIndex(e.BaseURL, r.URL.RawQuery, r.URL.Query().Get("since") != ""))
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

// seedPrefix is the folder of the seed-format export: /export/csv/{file}, and its index at
// /export/csv/.
const seedPrefix = "csv/"

// seedIndex lists the files of the seed-format export with their addresses (carrying the
// index's query: the same filter and since), in the order the loader reads them, and with since
// the deletions file.
func seedIndex(base, query string, since bool) map[string]any {
	files := []map[string]any{}
	list := export.SeedFiles()
	if since {
		list = append(list, dataset.ExportFile{Name: export.DeletionsFile})
	}
	for _, f := range list {
		u := strings.TrimSuffix(base, "/") + "/export/" + seedPrefix + f.Name
		if query != "" {
			u += "?" + query
		}
		entry := map[string]any{"name": f.Name, "url": u}
		switch {
		case f.Kind != "":
			entry["kind"] = f.Kind
		case f.RelType != "":
			entry["type"] = f.RelType
		}
		files = append(files, entry)
	}
	return map[string]any{
		"files": files,
		"load":  "save every file into one folder, then: go run ./seed load --dir FOLDER (a whole export; with since, apply the changes and deleted.csv to your copy instead)",
	}
}

// exportSince reads ?since= (RFC 3339): only what changed after it is exported. Absent: all.
func exportSince(w http.ResponseWriter, r *http.Request) (*time.Time, bool) {
	raw := strings.TrimSpace(r.URL.Query().Get("since"))
	if raw == "" {
		return nil, true
	}
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "BAD_USER_INPUT", "since must be an RFC 3339 date and time such as 2026-01-31T12:00:00Z, got "+strconv.Quote(raw))
		return nil, false
	}
	t = t.UTC()
	return &t, true
}

// conditional sets the ETag (the graph's data version with what the request asks) and
// Last-Modified (when the graph last changed) of an export, and answers 304 Not Modified, at
// no cost, when If-None-Match names the same ETag. It returns whether the export goes on.
func (e *Exports) conditional(w http.ResponseWriter, r *http.Request, name string, where map[string]any, since *time.Time) bool {
	v, err := e.Store.DataVersion(r.Context())
	if err != nil {
		writeError(w, r, statusOfCode(codeOf(err)), codeOf(err), "the graph's data version could not be read; try again")
		return false
	}
	asked, _ := json.Marshal(map[string]any{"where": where, "since": since})
	sum := sha256.Sum256([]byte(strings.Join([]string{v.Tag, name, string(asked), e.BaseURL, acceptsGzipText(r)}, "\n")))
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("ETag", etag)
	if !v.ChangedAt.IsZero() {
		w.Header().Set("Last-Modified", v.ChangedAt.UTC().Format(http.TimeFormat))
	}
	for _, t := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if t = strings.TrimSpace(t); t == etag || t == "W/"+etag || t == "*" {
			w.WriteHeader(http.StatusNotModified)
			return false
		}
	}
	return true
}

func acceptsGzipText(r *http.Request) string {
	if acceptsGzip(r) {
		return "gzip"
	}
	return ""
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
func (f flushingWriter) Flush()                      { _ = http.NewResponseController(f.w).Flush() }

type gzipFlusher struct {
	gz *gzip.Writer
	w  http.ResponseWriter
}

func (g gzipFlusher) Write(b []byte) (int, error) { return g.gz.Write(b) }
func (g gzipFlusher) Flush() {
	_ = g.gz.Flush()
	_ = http.NewResponseController(g.w).Flush()
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
