package httpapi_test

import (
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestCuratedFactsEndToEnd loads the shipped seed into Neo4j and checks facts from the source
// documents through GraphQL, each with its source.
func TestCuratedFactsEndToEnd(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "seed/data")
	srv := serve(t, st)

	out := query(t, srv, `{
	  ng: country(code: "NG") { agreements(first: 50) { edges { role node { key started startedPrecision
	    sources { source { key } status } parties(first: 50) { edges { role node { ... on Country { iso2 } } } } } } } }
	  khartoum: regionalProcess(key: "process:khartoum") { launched launchedPrecision launchPlace
	    sources { source { file } locator }
	    themes(first: 20) { edges { pillar node { key } } }
	    members(first: 100) { edges { role node { ... on Country { iso2 } ... on Organisation { shortName } } } } }
	  sn: country(code: "SEN") { projects(first: 50) { edges { node { title budget { amount currency }
	    donors(first: 10) { edges { node { shortName } amount { amount currency } } }
	    instruments(first: 10) { nodes { shortName parent { shortName } } } } } }
	    claims(first: 20) { nodes { property number unit sources { source { file } } } } }
	  eutf: instrument(key: "instrument:eutf-africa") { claims(first: 20) { nodes { property number asOf sources { source { key } } } }
	    parts(first: 10) { nodes { kind } } contributors(first: 10) { nodes { shortName } } }
	  kosovo: instrument(key: "instrument:ch-mp-kosovo") { claims(first: 10) { nodes { property value sources { source { key } } } } }
	  memberStates: countries(first: 100, where: {euRelation: [MEMBER_STATE]}) { totalCount }
	  about { counts { kind count } }
	  turkey: search(text: "Turkey", first: 5) { nodes { ... on Country { iso2 name } } }
	  traf: search(text: "traffick", types: [THEMATIC_AREA], first: 5) { nodes { ... on ThematicArea { key } } }
	}`, nil)
	if len(out.Errors) > 0 {
		t.Fatalf("errors: %v", out.Errors)
	}
	js := func(path ...any) string { return mustJSON(dig(t, out.Data, path...)) }

	// Swiss migration partnership with Nigeria: February 2011, with its sources.
	found := false
	for _, a := range dig(t, out.Data, "ng", "agreements", "edges").([]any) {
		in := dig(t, a, "node")
		if dig(t, in, "key") != "instrument:ch-mp-nigeria" {
			continue
		}
		found = true
		if dig(t, in, "started") != "2011-02-01" || dig(t, in, "startedPrecision") != "MONTH" || dig(t, a, "role") != "PARTNER_COUNTRY" {
			t.Errorf("Swiss partnership with Nigeria = %s", mustJSON(a))
		}
		if src := mustJSON(dig(t, in, "sources")); !strings.Contains(src, "source:sem-partnerships") || !strings.Contains(src, "source:seed-003") {
			t.Errorf("Swiss partnership with Nigeria cites %s", src)
		}
		if !strings.Contains(mustJSON(dig(t, in, "parties")), `"iso2":"CH"`) {
			t.Errorf("Switzerland is not a party: %s", mustJSON(dig(t, in, "parties")))
		}
	}
	if !found {
		t.Errorf("Nigeria has no Swiss migration partnership: %s", js("ng"))
	}

	// Khartoum Process: launched 28 November 2014 in Rome, on trafficking and smuggling.
	if got := js("khartoum", "launched"); got != `"2014-11-28"` || js("khartoum", "launchPlace") != `"Rome"` || js("khartoum", "launchedPrecision") != `"DAY"` {
		t.Errorf("Khartoum launch = %s", js("khartoum"))
	}
	if !strings.Contains(js("khartoum", "sources"), "003_c4fbbc07c4c3ecb0.txt") {
		t.Errorf("Khartoum does not cite seed 003: %s", js("khartoum", "sources"))
	}
	if got := js("khartoum", "themes"); !strings.Contains(got, "theme:trafficking") || !strings.Contains(got, "theme:smuggling") {
		t.Errorf("Khartoum themes = %s", got)
	}
	if got := js("khartoum", "members"); !strings.Contains(got, `{"node":{"shortName":"AUC"},"role":"STEERING_COMMITTEE"}`) || !strings.Contains(got, `{"node":{"iso2":"ER"},"role":"MEMBER"}`) {
		t.Errorf("Khartoum members lack the AU Commission's steering role or Eritrea: %s", got)
	}

	// Senegal: EUTF projects worth EUR 170 million, and remittances of nearly EUR 2.5 billion in 2020.
	sn := js("sn")
	for _, want := range []string{`"budget":{"amount":"170000000","currency":"EUR"}`, `"node":{"shortName":"EC"}`,
		`{"parent":{"shortName":"EUTF for Africa"},"shortName":"EUTF Sahel and Lake Chad"}`,
		`"number":"2500000000"`, `004_b59accf854212b5a.txt`} {
		if !strings.Contains(sn, want) {
			t.Errorf("Senegal lacks %s:\n%s", want, sn)
		}
	}

	// The EUTF's disagreeing figures both stay, each with its source and date.
	eutf := js("eutf", "claims", "nodes")
	for _, want := range []string{`{"asOf":"2020-12-01","number":"254","property":"projects","sources":[{"source":{"key":"source:seed-003"}}]}`,
		`{"asOf":"2022-08-05","number":"248","property":"programmes","sources":[{"source":{"key":"source:eutf-africa"}}]}`} {
		if !strings.Contains(eutf, want) {
			t.Errorf("EUTF claims lack %s:\n%s", want, eutf)
		}
	}
	if got := js("eutf", "parts", "nodes"); got != `[{"kind":"FUNDING_WINDOW"},{"kind":"FUNDING_WINDOW"},{"kind":"FUNDING_WINDOW"}]` {
		t.Errorf("EUTF windows = %s", got)
	}
	if got := js("kosovo", "claims"); !strings.Contains(got, "since 2012") || !strings.Contains(got, "February 2010") {
		t.Errorf("Kosovo partnership keeps both start dates? %s", got)
	}

	if n := dig(t, out.Data, "memberStates", "totalCount"); n != 27.0 {
		t.Errorf("%v EU member states, want 27", n)
	}
	counts := js("about", "counts")
	for _, kind := range dataset.NodeKinds {
		if !strings.Contains(counts, `"kind":"`+kind+`"`) {
			t.Errorf("no %s nodes in the graph: %s", kind, counts)
		}
	}
	if got := js("turkey"); !strings.Contains(got, `{"iso2":"TR","name":"Türkiye"}`) {
		t.Errorf("search Turkey = %s", got)
	}
	if got := js("traf"); got != `{"nodes":[{"key":"theme:trafficking"}]}` {
		t.Errorf("search traffick in themes = %s", got)
	}
}

func TestSearchArguments(t *testing.T) {
	srv := newAPI(t)
	for q, code := range map[string]string{
		`{ search(text: "  ", first: 5) { totalCount } }`:                               "BAD_USER_INPUT",
		`{ search(text: "x", first: 0) { totalCount } }`:                                "BAD_USER_INPUT",
		`{ search(text: "` + strings.Repeat("a", 201) + `", first: 5) { totalCount } }`: "BAD_USER_INPUT",
	} {
		out := query(t, srv, q, nil)
		if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != code {
			t.Errorf("%.60s: errors = %+v", q, out.Errors)
		}
	}
	// Lucene syntax in the text is plain text: no error, no injection.
	out := query(t, srv, `{ search(text: "Senegal) OR name:*", first: 5) { nodes { ... on Country { iso2 } } } }`, nil)
	if len(out.Errors) > 0 {
		t.Fatalf("errors: %v", out.Errors)
	}
	if got := mustJSON(out.Data["search"]); got != `{"nodes":[]}` {
		t.Errorf("search for words that do not all match = %s", got)
	}
	out = query(t, srv, `{ search(text: "seneg", first: 5) { nodes { ... on Country { iso2 } } } }`, nil)
	if got := mustJSON(dig(t, out.Data, "search", "nodes", 0)); got != `{"iso2":"SN"}` {
		t.Errorf("prefix search = %s (%v)", mustJSON(out.Data), out.Errors)
	}
}
