package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
)

// The two response media types of the GraphQL-over-HTTP specification.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpPOST and httpGET are the GraphQL-over-HTTP transports (in place of gqlgen's transport.POST
// and transport.GET). Both negotiate the response media type from Accept and answer with the
// status codes the specification gives for it:
//
//   - application/graphql-response+json when the client prefers it; a request error raised
//     before execution (parse, validation, variable coercion, operation limits) answers 4xx and
//     the body has no "data" entry: 400, or 401/403 for access, 429 for the rate limit;
//   - application/json otherwise (also when Accept is missing or */*): every well-formed request
//     answers 200 (429 for the rate limit), again with no "data" entry after a request error;
//   - 406 when Accept names neither;
//   - 400 for either media type when the request is not a well-formed GraphQL-over-HTTP request
//     (a body that is not a JSON object, a parameter of the wrong type, no query);
//   - 405 (Allow: POST) for an operation other than a query over GET.
//
// A response with data (even null data, after field errors) is 200 for both.
type httpPOST struct{}

// httpGET reads the request from the URL's query string; maxTokens bounds the parse that finds
// the operation's type before anything else runs.
type httpGET struct{ maxTokens int }

var (
	_ graphql.Transport = httpPOST{}
	_ graphql.Transport = httpGET{}
)

func (httpPOST) Supports(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.Method == http.MethodPost && err == nil && mt == mediaJSON
}

func (httpGET) Supports(r *http.Request) bool { return r.Method == http.MethodGet }

func (httpPOST) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	a, ok := negotiated(w, r, exec)
	if !ok {
		return
	}
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			a.refuse(http.StatusRequestEntityTooLarge, "request body is larger than the limit")
			return
		}
		a.refuse(http.StatusBadRequest, "the request body could not be read")
		return
	}
	params, msg := decodeBody(body)
	if msg != "" {
		a.refuse(http.StatusBadRequest, msg)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	a.run(params, nil)
}

func (g httpGET) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	a, ok := negotiated(w, r, exec)
	if !ok {
		return
	}
	start := graphql.Now()
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		a.refuse(http.StatusBadRequest, "the query string is not application/x-www-form-urlencoded")
		return
	}
	params := &graphql.RawParams{
		Query:         values.Get("query"),
		OperationName: values.Get("operationName"),
		Headers:       r.Header,
	}
	for _, p := range []struct {
		name string
		into *map[string]any
	}{{"variables", &params.Variables}, {"extensions", &params.Extensions}} {
		if s := values.Get(p.name); s != "" {
			m, msg := jsonObject(p.name, json.RawMessage(s))
			if msg != "" {
				a.refuse(http.StatusBadRequest, msg)
				return
			}
			*p.into = m
		}
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	// A GET never runs anything but a query: a mutation is refused before validation, limits
	// or the rate budget see it, and again after APQ has filled in a query known by its hash.
	if g.selectsNonQuery(params) {
		a.notOverGET()
		return
	}
	a.run(params, func(op *ast.OperationDefinition) bool { return op.Operation == ast.Query })
}

// selectsNonQuery tells whether the request's document parses and the operation it selects is
// a mutation or a subscription. Anything else is left to the executor to report.
func (g httpGET) selectsNonQuery(params *graphql.RawParams) bool {
	if params.Query == "" {
		return false
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: params.Query}, g.maxTokens)
	if err != nil {
		return false
	}
	op := doc.Operations.ForName(params.OperationName)
	return op != nil && op.Operation != ast.Query
}

// answerer writes one request's response in its negotiated media type.
type answerer struct {
	w     http.ResponseWriter
	ctx   context.Context
	exec  graphql.GraphExecutor
	media string
}

// negotiated picks the response media type, or answers 406 when Accept names none we serve.
func negotiated(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) (*answerer, bool) {
	a := &answerer{w: w, ctx: r.Context(), exec: exec, media: mediaJSON}
	media, ok := negotiate(r.Header.Values("Accept"))
	if !ok {
		a.refuse(http.StatusNotAcceptable, "this endpoint answers with application/graphql-response+json or application/json; the Accept header allows neither")
		return nil, false
	}
	a.media = media
	return a, true
}

// run creates the operation (parse, validate, coerce variables, limits and budget) and, unless
// that raised a request error or allowed says no, executes it.
func (a *answerer) run(params *graphql.RawParams, allowed func(*ast.OperationDefinition) bool) {
	if params.Query == "" && params.Extensions["persistedQuery"] == nil {
		a.refuse(http.StatusBadRequest, "the request has no query: send the GraphQL document as the string parameter query")
		return
	}
	opCtx, errs := a.exec.CreateOperationContext(a.ctx, params)
	if errs != nil {
		resp := a.exec.DispatchError(graphql.WithOperationContext(a.ctx, opCtx), errs)
		a.write(a.statusOf(resp.Errors), withoutData(resp))
		return
	}
	if allowed != nil && !allowed(opCtx.Operation) {
		a.notOverGET()
		return
	}
	handle, ctx := a.exec.DispatchOperation(a.ctx, opCtx)
	resp := handle(ctx)
	if resp == nil {
		// The request's deadline passed (or the client left) before the operation started.
		cause := ctx.Err()
		if cause == nil {
			cause = context.DeadlineExceeded
		}
		resp = a.exec.DispatchError(ctx, gqlerror.List{{Message: cause.Error(), Err: cause}})
		a.write(a.statusOf(resp.Errors), withoutData(resp))
		return
	}
	a.write(http.StatusOK, resp)
}

// refuse answers a request that never became an operation; the error presenter gives the error
// its code (BAD_USER_INPUT) and the request id.
func (a *answerer) refuse(status int, message string) {
	resp := a.exec.DispatchError(a.ctx, gqlerror.List{{Message: message}})
	a.write(status, withoutData(resp))
}

func (a *answerer) notOverGET() {
	a.w.Header().Set("Allow", http.MethodPost)
	a.refuse(http.StatusMethodNotAllowed, "GET runs queries only: send a mutation with POST")
}

// statusOf is the status of a response made of request errors only (no data), by the code of
// the first error.
func (a *answerer) statusOf(errs gqlerror.List) int {
	code := ""
	if len(errs) > 0 {
		code, _ = errs[0].Extensions["code"].(string)
	}
	if code == string(apperr.RateLimited) {
		return http.StatusTooManyRequests
	}
	if a.media == mediaJSON {
		return http.StatusOK
	}
	switch apperr.Code(code) {
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Timeout:
		return http.StatusGatewayTimeout
	case apperr.ServiceUnavailable:
		return http.StatusServiceUnavailable
	case apperr.Internal:
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

func (a *answerer) write(status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		// Only a resolver's value that JSON cannot represent gets here; report it as the
		// request's one error.
		b, _ = json.Marshal(withoutData(a.exec.DispatchError(a.ctx, gqlerror.List{{
			Message: "internal error", Err: apperr.Wrap(apperr.Internal, err, "internal error"),
		}})))
		status = http.StatusInternalServerError
		if a.media == mediaJSON {
			status = http.StatusOK
		}
	}
	a.w.Header().Set("Content-Type", a.media+"; charset=utf-8")
	a.w.Header().Add("Vary", "Accept")
	a.w.WriteHeader(status)
	_, _ = a.w.Write(b)
}

// errorsOnly is a response to a request error: the GraphQL specification leaves out "data" when
// execution never started.
type errorsOnly struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

func withoutData(resp *graphql.Response) errorsOnly {
	return errorsOnly{Errors: resp.Errors, Extensions: resp.Extensions}
}

// decodeBody reads a POST body: a JSON object whose query and operationName are strings and
// whose variables and extensions are objects (each may be null or left out). It returns a
// message for the client when the body is not such an object.
func decodeBody(body []byte) (*graphql.RawParams, string) {
	const shape = "the request body must be a JSON object with the string query and, optionally, the string operationName and the objects variables and extensions"
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return nil, shape
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, shape + " (and nothing after it)"
	}
	params := &graphql.RawParams{}
	var msg string
	if params.Query, msg = jsonString("query", fields["query"]); msg != "" {
		return nil, msg
	}
	if params.OperationName, msg = jsonString("operationName", fields["operationName"]); msg != "" {
		return nil, msg
	}
	if params.Variables, msg = jsonObject("variables", fields["variables"]); msg != "" {
		return nil, msg
	}
	if params.Extensions, msg = jsonObject("extensions", fields["extensions"]); msg != "" {
		return nil, msg
	}
	return params, ""
}

func jsonString(name string, raw json.RawMessage) (string, string) {
	var s *string
	if len(raw) > 0 && json.Unmarshal(raw, &s) != nil {
		return "", fmt.Sprintf("parameter %s must be a string, got %s", name, jsonKind(raw))
	}
	if s == nil {
		return "", ""
	}
	return *s, ""
}

// jsonObject decodes an object parameter, numbers kept as json.Number for variable coercion.
func jsonObject(name string, raw json.RawMessage) (map[string]any, string) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if len(raw) > 0 {
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Sprintf("parameter %s must be a JSON object, got %s", name, jsonKind(raw))
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, fmt.Sprintf("parameter %s must be one JSON object", name)
		}
	}
	return m, ""
}

// jsonKind names the kind of a JSON value for an error message (never echoing the value).
func jsonKind(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// negotiate picks the response media type from the Accept header(s): the served type with the
// highest quality; at equal quality, one the client names exactly over one it reaches through a
// wildcard, and between two it names, the one it lists first; application/json when both come
// only through a wildcard, and when there is no Accept header at all. ok is false when neither
// type is acceptable (not listed, or only with q=0).
func negotiate(headers []string) (media string, ok bool) {
	ranges := parseAccept(headers)
	if len(ranges) == 0 {
		return mediaJSON, true
	}
	type score struct {
		q        float64
		exact    bool
		position int
	}
	best := func(media string) (score, bool) {
		var s score
		specificity, found := -1, false
		for i, r := range ranges {
			sp := r.matches(media)
			if sp > specificity {
				specificity, found = sp, sp >= 0
				s = score{q: r.q, exact: sp == 2, position: i}
			}
		}
		return s, found && s.q > 0
	}
	js, jsOK := best(mediaJSON)
	gr, grOK := best(mediaGraphQLResponse)
	switch {
	case !jsOK && !grOK:
		return "", false
	case !grOK:
		return mediaJSON, true
	case !jsOK:
		return mediaGraphQLResponse, true
	case gr.q != js.q:
		if gr.q > js.q {
			return mediaGraphQLResponse, true
		}
		return mediaJSON, true
	case gr.exact && (!js.exact || gr.position < js.position):
		return mediaGraphQLResponse, true
	}
	return mediaJSON, true
}

// mediaRange is one entry of an Accept header.
type mediaRange struct {
	typ, subtype string
	q            float64
}

// matches returns how specifically the range names media: 2 exactly, 1 by type/*, 0 by */*,
// -1 not at all.
func (r mediaRange) matches(media string) int {
	typ, subtype, _ := strings.Cut(media, "/")
	switch {
	case r.typ == typ && r.subtype == subtype:
		return 2
	case r.typ == typ && r.subtype == "*":
		return 1
	case r.typ == "*" && r.subtype == "*":
		return 0
	}
	return -1
}

// parseAccept reads the media ranges of Accept headers; malformed entries are skipped, and a
// missing or malformed q counts as 1.
func parseAccept(headers []string) []mediaRange {
	var out []mediaRange
	for _, h := range headers {
		for part := range strings.SplitSeq(h, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			mt, params, err := mime.ParseMediaType(part)
			if err != nil {
				continue
			}
			typ, subtype, ok := strings.Cut(mt, "/")
			if !ok {
				continue
			}
			q := 1.0
			if s, ok := params["q"]; ok {
				if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 0 && v <= 1 {
					q = v
				}
			}
			out = append(out, mediaRange{typ: typ, subtype: subtype, q: q})
		}
	}
	return out
}
