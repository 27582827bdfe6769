package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

const (
	schemaWithDescription = `{ __schema { description queryType { name } } }`
	projectStatuses       = "PIPELINE, IMPLEMENTATION, FINALISATION, CLOSED, CANCELLED, SUSPENDED"
)

func withVariables(q string, vars map[string]any) string {
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	return string(b)
}

// TestIntrospectionAsShipped: with the defaults of ANONYMOUS_ROLE (anonymous) and INTROSPECTION
// (readers), every caller may introspect, the schema's description included, and gets schema
// facts in its errors.
func TestIntrospectionAsShipped(t *testing.T) {
	srv := secureAPI(t, reqctx.RoleAnonymous, 100_000, 1000, 8)
	for name, header := range map[string]http.Header{"anonymous": nil, "reader": bearer(readerKey), "analyst": bearer(analystKey)} {
		resp, out := send(t, srv, http.MethodPost, "application/json", gql(schemaWithDescription), header)
		if resp.StatusCode != 200 || len(out.Errors) > 0 || dig(t, out.Data, "__schema", "queryType", "name") != "Query" {
			t.Errorf("%s: introspection %d %+v", name, resp.StatusCode, out.Errors)
			continue
		}
		if d, _ := dig(t, out.Data, "__schema", "description").(string); !strings.HasPrefix(d, "Partnership Graph:") {
			t.Errorf("%s: schema description %q", name, d)
		}
		_, out = send(t, srv, http.MethodPost, "application/json", gql(`{ projcts(first: 1) { totalCount } }`), header)
		if len(out.Errors) != 1 || !strings.Contains(out.Errors[0].Message, "Did you mean") {
			t.Errorf("%s: no suggestion: %+v", name, out.Errors)
		}
		_, out = send(t, srv, http.MethodPost, "application/json", gql(`{ projects(first: 1, where: {status: [OPEN]}) { totalCount } }`), header)
		if len(out.Errors) != 1 || !strings.Contains(out.Errors[0].Message, "valid values: "+projectStatuses) {
			t.Errorf("%s: no enum values: %+v", name, out.Errors)
		}
	}
}

// TestIntrospectionForAnalystsOnly: under INTROSPECTION=analysts, anonymous callers and readers
// are refused introspection with the roles that may, and their errors carry no schema facts.
func TestIntrospectionForAnalystsOnly(t *testing.T) {
	srv := secureAPIWithRule(t, quiet, reqctx.RoleAnonymous, reqctx.IntrospectionAnalysts, 100_000, 1000, 8)
	for name, header := range map[string]http.Header{"anonymous": nil, "reader": bearer(readerKey)} {
		for _, q := range []string{schemaWithDescription, `{ __type(name: "Project") { name } }`} {
			resp, out := send(t, srv, http.MethodPost, "application/json", gql(q), header)
			expectError(t, resp, out, 200, "FORBIDDEN")
			if len(out.Errors) != 1 {
				continue
			}
			e := out.Errors[0]
			if e.Extensions["role"] != name || mustJSON(e.Extensions["introspectingRoles"]) != `["analyst","editor","admin"]` ||
				!strings.Contains(e.Message, "introspection needs the role analyst or editor or admin; this request's role is "+name) {
				t.Errorf("%s: %q refused with %+v", name, q, e)
			}
		}
		// __typename is not introspection.
		if _, out := send(t, srv, http.MethodPost, "application/json", gql(`{ __typename }`), header); len(out.Errors) > 0 {
			t.Errorf("%s: __typename: %+v", name, out.Errors)
		}
		for _, q := range []string{`{ projects(first: 1, where: {titel: {equals: "x"}}) { totalCount } }`, `{ projcts(first: 1) { totalCount } }`,
			`{ projects(first: 1, where: {status: [implementaton]}) { totalCount } }`} {
			if _, out := send(t, srv, http.MethodPost, "application/json", gql(q), header); len(out.Errors) == 0 ||
				strings.Contains(out.Errors[0].Message, "Did you mean") || strings.Contains(out.Errors[0].Message, "valid values") ||
				out.Errors[0].Extensions["validValues"] != nil {
				t.Errorf("%s got schema facts: %q: %+v", name, q, out.Errors)
			}
		}
		// Suggestions are stripped before a long message is cut, so no part of one is left.
		q := `{ projects` + strings.Repeat("x", 400) + `(first: 1) { totalCount } }`
		if _, out := send(t, srv, http.MethodPost, "application/json", gql(q), header); len(out.Errors) == 0 ||
			strings.Contains(out.Errors[0].Message, "Did you mean") || strings.Contains(out.Errors[0].Message, `"projects"`) {
			t.Errorf("%s: long message: %+v", name, out.Errors)
		}
		// A wrong enum value in a variable is still named, without the list.
		_, out := send(t, srv, http.MethodPost, "application/json",
			withVariables(`query($s: [ProjectStatus!]) { projects(first: 1, where: {status: $s}) { totalCount } }`, map[string]any{"s": []string{"OPEN"}}), header)
		if len(out.Errors) != 1 || out.Errors[0].Message != `variable $s[0]: Value "OPEN" does not exist in "ProjectStatus" enum.` {
			t.Errorf("%s: enum variable: %+v", name, out.Errors)
		}
	}
	resp, out := send(t, srv, http.MethodPost, "application/json", gql(schemaWithDescription), bearer(analystKey))
	if resp.StatusCode != 200 || len(out.Errors) > 0 || dig(t, out.Data, "__schema", "queryType", "name") != "Query" {
		t.Errorf("analyst introspection: %d %+v", resp.StatusCode, out.Errors)
	}
	_, out = send(t, srv, http.MethodPost, "application/json", gql(`{ projcts(first: 1) { totalCount } }`), bearer(analystKey))
	if len(out.Errors) != 1 || !strings.Contains(out.Errors[0].Message, "Did you mean") {
		t.Errorf("analyst got no suggestion: %+v", out.Errors)
	}
}

// TestIntrospectionTurnedOff: under INTROSPECTION=none no role introspects.
func TestIntrospectionTurnedOff(t *testing.T) {
	srv := secureAPIWithRule(t, quiet, reqctx.RoleAnalyst, reqctx.IntrospectionNone, 100_000, 1000, 8)
	resp, out := send(t, srv, http.MethodPost, "application/json", gql(schemaWithDescription), bearer(analystKey))
	expectError(t, resp, out, 200, "FORBIDDEN")
	if len(out.Errors) == 1 && (!strings.Contains(out.Errors[0].Message, "turned off") || mustJSON(out.Errors[0].Extensions["introspectingRoles"]) != `[]`) {
		t.Errorf("refusal: %+v", out.Errors)
	}
	if _, out := send(t, srv, http.MethodPost, "application/json", gql(`{ countries(first: 1) { totalCount } }`), bearer(analystKey)); len(out.Errors) > 0 {
		t.Errorf("queries must still run: %+v", out.Errors)
	}
}

// TestEnumErrorsListTheValidValues: a value an enum lacks, as a literal (an enum value or a
// string) or in a variable (in any case, at any depth), is answered with the enum's values in
// the message and in extensions.validValues.
func TestEnumErrorsListTheValidValues(t *testing.T) {
	srv := secureAPI(t, reqctx.RoleAnonymous, 100_000, 1000, 8)
	byStatus := `query($s: [ProjectStatus!]) { projects(first: 1, where: {status: $s}) { totalCount } }`
	byOrder := `query($o: [ProjectOrder!]) { projects(first: 1, orderBy: $o) { totalCount } }`
	for _, c := range []struct{ name, body, message string }{
		{"literal", gql(`{ projects(first: 1, where: {status: [OPEN]}) { totalCount } }`),
			`Value "OPEN" does not exist in "ProjectStatus" enum; valid values: ` + projectStatuses + `.`},
		{"literal with a suggestion", gql(`{ projects(first: 1, where: {status: [CLOSD]}) { totalCount } }`),
			`Value "CLOSD" does not exist in "ProjectStatus" enum; valid values: ` + projectStatuses + `. Did you mean the enum value "CLOSED"?`},
		{"string literal", gql(`{ projects(first: 1, where: {status: ["OPEN"]}) { totalCount } }`),
			`Enum "ProjectStatus" cannot represent non-enum value: "OPEN"; valid values: ` + projectStatuses + `.`},
		{"variable", withVariables(byStatus, map[string]any{"s": []string{"OPEN"}}),
			`variable $s[0]: Value "OPEN" does not exist in "ProjectStatus" enum; valid values: ` + projectStatuses + `.`},
		{"variable in another case", withVariables(byStatus, map[string]any{"s": []string{"closed"}}),
			`variable $s: [0]: Value "closed" does not exist in "ProjectStatus" enum; valid values: ` + projectStatuses + `.`},
		{"variable inside an input", withVariables(byOrder, map[string]any{"o": []any{map[string]any{"field": "TITLE", "direction": "UP"}}}),
			`variable $o[0].direction: Value "UP" does not exist in "OrderDirection" enum; valid values: ASC, DESC.`},
		{"long variable", withVariables(byStatus, map[string]any{"s": []string{strings.Repeat("X", 500)}}),
			`variable $s[0]: Value "` + strings.Repeat("X", 80) + `… (truncated)" does not exist in "ProjectStatus" enum; valid values: ` + projectStatuses + `.`},
	} {
		_, out := send(t, srv, http.MethodPost, "application/json", c.body, nil)
		if len(out.Errors) != 1 || out.Errors[0].Message != c.message || out.Errors[0].Extensions["code"] == nil {
			t.Errorf("%s: got %+v\nwant %q", c.name, out.Errors, c.message)
			continue
		}
		if values, _ := out.Errors[0].Extensions["validValues"].([]any); len(values) < 2 {
			t.Errorf("%s: extensions.validValues = %v", c.name, out.Errors[0].Extensions["validValues"])
		}
	}
}

// TestGraphiQLExamplesRun runs every example query of the GraphiQL page's menu, with its
// variables, as an anonymous caller under the default limits: each must answer data and no error.
func TestGraphiQLExamplesRun(t *testing.T) {
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "internal", "playground", "page", "examples.json"))
	if err != nil {
		t.Fatal(err)
	}
	var examples []struct {
		ID, Label, Query string
		Variables        map[string]any
	}
	if err := json.Unmarshal(raw, &examples); err != nil {
		t.Fatalf("examples.json: %v", err)
	}
	if len(examples) < 6 {
		t.Fatalf("%d examples, want one for each kind of question", len(examples))
	}
	srv := secureAPI(t, reqctx.RoleAnonymous, 100_000, 1000, 8)
	for _, e := range examples {
		resp, out := send(t, srv, http.MethodPost, "application/json", withVariables(e.Query, e.Variables), nil)
		if resp.StatusCode != 200 || len(out.Errors) > 0 || len(out.Data) == 0 {
			t.Errorf("example %s (%s): %d %+v", e.ID, e.Label, resp.StatusCode, out.Errors)
		}
	}
}
