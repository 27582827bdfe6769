package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestPagesReadOnlyThePropertiesTheFieldsNeedAndLoseNothing: a page whose nodes (and edges) are
// asked for some fields returns only the properties those fields read. For every field of every kind of
// node (every scalar, enum and list of them, and the money and source fields), over the curated
// graph, the field asked for alone must answer exactly what it answers next to `version` (which
// reads every property), both in a top-level list and in a list nested below another (read in
// the same statement).
func TestPagesReadOnlyThePropertiesTheFieldsNeedAndLoseNothing(t *testing.T) {
	testenv.EmptyStore(t)
	st := store.New(testenv.Driver(t), "neo4j")
	testenv.LoadDataset(t, st, "seed/data")
	srv := serve(t, st)

	objects := map[string]string{
		"Money":     "{ amount currency asOf }",
		"SourceRef": "{ source { key } locator status }",
	}
	lists := []struct{ typ, root, nested string }{
		{"Country", "countries", "projects(first: 50) { nodes { countries(first: 20) { nodes { __FIELDS__ } } } }"},
		{"RegionalProcess", "regionalProcesses", "countries(first: 50) { nodes { memberships(first: 20) { nodes { __FIELDS__ } } } }"},
		{"Instrument", "instruments", "countries(first: 50) { nodes { agreements(first: 20) { nodes { __FIELDS__ } } } }"},
		{"Organisation", "organisations", "projects(first: 50) { nodes { donors(first: 20) { nodes { __FIELDS__ } } } }"},
		{"Project", "projects", "countries(first: 50) { nodes { projects(first: 20) { nodes { __FIELDS__ } } } }"},
		{"ThematicArea", "thematicAreas", "projects(first: 50) { nodes { themes(first: 20) { nodes { __FIELDS__ } } } }"},
	}
	checked := 0
	for _, l := range lists {
		for _, f := range leafFields(t, srv, l.typ, objects) {
			for _, shape := range []string{l.root + "(first: 100) { nodes { __FIELDS__ } }", l.nested} {
				alone := strings.Replace(shape, "__FIELDS__", "key "+f, 1)
				full := strings.Replace(shape, "__FIELDS__", "key version "+f, 1)
				a, _ := json.Marshal(answer(t, srv, "{ "+alone+" }"))
				b := answer(t, srv, "{ "+full+" }")
				dropVersions(b)
				bb, _ := json.Marshal(b)
				if string(a) != string(bb) {
					t.Errorf("%s.%s in %s: alone %s\nwith every property %s", l.typ, f, shape, a, bb)
				}
				if !strings.Contains(string(a), `"key"`) {
					t.Errorf("%s.%s in %s: no node in the answer, nothing compared: %s", l.typ, f, shape, a)
				}
				checked++
			}
		}
	}
	if checked < 60 {
		t.Errorf("compared %d fields, want the fields of six kinds", checked)
	}

	// The edges of nested lists return only the relationship properties their fields read.
	edges := []struct{ typ, shape string }{
		{"DonorEdge", "projects(first: 50) { nodes { key donors(first: 20) { edges { __FIELDS__ node { __typename } } } } }"},
		{"ImplementerEdge", "projects(first: 50) { nodes { key implementers(first: 20) { edges { __FIELDS__ node { __typename } } } } }"},
		{"TargetingProjectEdge", "countries(first: 50) { nodes { key projects(first: 20) { edges { __FIELDS__ node { __typename } } } } }"},
		{"MembershipEdge", "countries(first: 50) { nodes { key memberships(first: 20) { edges { __FIELDS__ node { __typename } } } } }"},
		{"PillarThemeEdge", "regionalProcesses(first: 20) { nodes { key themes(first: 20) { edges { __FIELDS__ node { __typename } } } } }"},
		{"PartyEdge", "instruments(first: 50) { nodes { key parties(first: 20) { edges { __FIELDS__ node { __typename } } } } }"},
	}
	for _, e := range edges {
		fields := leafFields(t, srv, e.typ, objects)
		for _, f := range fields {
			alone := strings.Replace(e.shape, "__FIELDS__", f, 1)
			full := strings.Replace(e.shape, "__FIELDS__", "version "+f, 1)
			a, _ := json.Marshal(answer(t, srv, "{ "+alone+" }"))
			b := answer(t, srv, "{ "+full+" }")
			dropVersions(b)
			bb, _ := json.Marshal(b)
			if string(a) != string(bb) {
				t.Errorf("%s.%s: alone %s\nwith every property %s", e.typ, f, a, bb)
			}
			if !strings.Contains(string(a), `"__typename"`) {
				t.Errorf("%s.%s: no edge in the answer, nothing compared: %s", e.typ, f, a)
			}
		}
	}
}

// leafFields are the fields of an object type that take no argument and hold scalars, enums, lists
// of them, or one of the given object types (with the selection given for it), read from the
// schema by introspection.
func leafFields(t *testing.T, srv *httptest.Server, typ string, objects map[string]string) []string {
	t.Helper()
	d := answer(t, srv, fmt.Sprintf(`{ __type(name: %q) { fields { name args { name }
	  type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }`, typ))
	var out []string
	for _, f := range dig(t, d, "__type", "fields").([]any) {
		field := f.(map[string]any)
		name := field["name"].(string)
		if len(field["args"].([]any)) > 0 || name == "version" {
			continue
		}
		ty := field["type"].(map[string]any)
		for ty["kind"] == "NON_NULL" || ty["kind"] == "LIST" {
			ty = ty["ofType"].(map[string]any)
		}
		switch named, _ := ty["name"].(string); {
		case ty["kind"] == "SCALAR" || ty["kind"] == "ENUM":
			out = append(out, name)
		case objects[named] != "":
			out = append(out, name+" "+objects[named])
		}
	}
	if len(out) < 3 {
		t.Fatalf("%s: found only the fields %v", typ, out)
	}
	return out
}

// dropVersions removes every "version" entry from a decoded answer.
func dropVersions(v any) {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "version")
		for _, e := range x {
			dropVersions(e)
		}
	case []any:
		for _, e := range x {
			dropVersions(e)
		}
	}
}

// A fragment's list field is one field of the query document wherever the fragment is spread, but
// merged with other fields of the same name it asks for more in one place than in another: each
// place gets what it asks for, as if the fragment were written out.
func TestAFragmentsListAsksForWhatEachPlaceMergesIntoIt(t *testing.T) {
	testenv.EmptyStore(t)
	st := store.New(testenv.Driver(t), "neo4j")
	testenv.LoadDataset(t, st, "seed/data")
	srv := serve(t, st)

	withFragment := answer(t, srv, `{
	  countries(first: 40) { nodes { key projects(first: 5) { nodes { ...D donors(first: 3) { nodes { kind } } } } } }
	  projects(first: 20) { nodes { ...D donors(first: 3) { nodes { shortName } edges { amount { amount currency } version } } } }
	} fragment D on Project { key donors(first: 3) { nodes { name } } }`)
	writtenOut := answer(t, srv, `{
	  countries(first: 40) { nodes { key projects(first: 5) { nodes { key donors(first: 3) { nodes { name kind } } } } } }
	  projects(first: 20) { nodes { key donors(first: 3) { nodes { name shortName } edges { amount { amount currency } version } } } }
	}`)
	a, _ := json.Marshal(withFragment)
	b, _ := json.Marshal(writtenOut)
	if string(a) != string(b) {
		t.Errorf("with the fragment %s\nwritten out %s", a, b)
	}
	if !strings.Contains(string(b), `"shortName":"`) || !strings.Contains(string(b), `"currency":"`) || !strings.Contains(string(b), `"kind":"`) {
		t.Errorf("the donors have no short name, amount or kind to compare: %s", b)
	}
}
