package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestListsReadReferencesOnlyWhenSelected: the same list asked twice in one query, once without
// and once with the fields that follow single references (parent, country), gives the same nodes,
// and the second its references as a look-up of each node does; a version is worked out when
// asked for.
func TestListsReadReferencesOnlyWhenSelected(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "seed/data")
	srv := serve(t, st)

	d := answer(t, srv, `{ instrument(key: "instrument:eutf-africa") {
	  plain: parts(first: 10) { nodes { key } }
	  linked: parts(first: 10) { nodes { key version parent { key } } } } }`)
	plain := dig(t, d, "instrument", "plain", "nodes").([]any)
	linked := dig(t, d, "instrument", "linked", "nodes").([]any)
	if len(plain) == 0 || len(plain) != len(linked) {
		t.Fatalf("parts: %d without references, %d with", len(plain), len(linked))
	}
	for i, n := range linked {
		if dig(t, n, "key") != dig(t, plain[i], "key") {
			t.Errorf("part %d: %v with references, %v without", i, dig(t, n, "key"), dig(t, plain[i], "key"))
		}
		if p, _ := dig(t, n, "parent").(map[string]any); p == nil || p["key"] != "instrument:eutf-africa" {
			t.Errorf("part %v: parent %v, want instrument:eutf-africa", dig(t, n, "key"), dig(t, n, "parent"))
		}
		if v, _ := dig(t, n, "version").(string); len(v) != 16 {
			t.Errorf("part %v: version %q, want 16 hex digits", dig(t, n, "key"), v)
		}
	}

	orgs := dig(t, answer(t, srv, `{ organisations(first: 100) { nodes { key parent { key } country { key } } } }`), "organisations", "nodes").([]any)
	checked := 0
	for _, o := range orgs {
		if dig(t, o, "parent") == nil && dig(t, o, "country") == nil {
			continue
		}
		checked++
		one := answer(t, srv, fmt.Sprintf(`{ organisation(key: %q) { parent { key } country { key } } }`, dig(t, o, "key")))
		if got, want := fmt.Sprint(o), fmt.Sprint(map[string]any{"key": dig(t, o, "key"), "parent": dig(t, one, "organisation", "parent"), "country": dig(t, one, "organisation", "country")}); got != want {
			t.Errorf("in the list %s, looked up %s", got, want)
		}
	}
	if checked == 0 {
		t.Fatal("no organisation of the seed has a parent or a country")
	}
}

// TestCountryPageReadsTheCountryAlongsideItsLists: once the reference index knows the code, a
// country page reads the country in the statement of its first nested list (one statement in
// all), even when that list is empty, and the country answers there what it answers read by its
// key; without a list below it, the country is read by its key; a code the index does not know is
// still looked up.
func TestCountryPageReadsTheCountryAlongsideItsLists(t *testing.T) {
	testenv.EmptyStore(t)
	log := &statementLog{}
	st := store.New(testenv.Driver(t), "neo4j", store.WithStatementObserver(log.observe))
	testenv.LoadDataset(t, st, "seed/data")
	srv := serve(t, st)

	const fields = `id key version iso2 iso3 name region subregion euRelation aliases sources { locator status }`
	answer(t, srv, `{ projects(first: 1, where: {countries: ["SN"]}) { totalCount } }`) // reads the reference index
	byKey := answer(t, srv, `{ nodeByKey(key: "country:SN") { ... on Country { `+fields+` } } }`)["nodeByKey"].(map[string]any)
	for _, lists := range []string{
		`projects(first: 3) { nodes { key } }`,
		`projects(first: 3, where: {title: {equals: "no project has this title"}}) { nodes { key } }`,
		`memberships(first: 2) { nodes { key } } projects(first: 3) { totalCount }`,
	} {
		log.take()
		d := answer(t, srv, `{ country(code: "SN") { `+fields+` `+lists+` } }`)
		sent := log.take()
		for _, name := range sent {
			if !strings.HasPrefix(name, "Country.") {
				t.Errorf("country page with %s sent %v, want only its lists' statements", lists, sent)
			}
		}
		if len(sent) != strings.Count(lists, "(first:") {
			t.Errorf("country page with %s sent %v, want one statement per list", lists, sent)
		}
		country := d["country"].(map[string]any)
		for f, v := range byKey {
			if fmt.Sprint(country[f]) != fmt.Sprint(v) {
				t.Errorf("with %s, country.%s = %v; read by key: %v", lists, f, country[f], v)
			}
		}
	}
	if d := answer(t, srv, `{ country(code: "SN") { projects(first: 3) { nodes { key } } } }`); len(dig(t, d, "country", "projects", "nodes").([]any)) == 0 {
		t.Errorf("country page: %v", d)
	}
	log.take()
	if d := answer(t, srv, `{ country(code: "SN") { key name } }`); dig(t, d, "country", "name") != byKey["name"] {
		t.Errorf("country without lists: %v", d)
	}
	if sent := log.take(); fmt.Sprint(sent) != fmt.Sprint([]string{"nodes_by_key"}) {
		t.Errorf("country without lists sent %v, want the read by key", sent)
	}
	if got := answer(t, srv, `{ country(code: "SEN") { key } }`); dig(t, got, "country", "key") != "country:SN" {
		t.Errorf("by alpha-3 code: %v", got)
	}
	if got := answer(t, srv, `{ country(code: "QQ") { key } }`); dig(t, got, "country") != nil {
		t.Errorf("unknown code: %v, want null", got)
	}
	log.take()
	answer(t, srv, `{ country(code: "QQ") { key } }`)
	if sent := log.take(); fmt.Sprint(sent) != fmt.Sprint([]string{"country_by_code"}) {
		t.Errorf("unknown code sent %v, want the look-up by code", sent)
	}
}
