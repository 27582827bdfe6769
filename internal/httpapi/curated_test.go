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
	  ng: country(code: "NG") { agreements { role instrument { id started startedPrecision
	    sources { source { id } status } parties { role party { ... on Country { iso2 } } } } } }
	  khartoum: regionalProcess(id: "process:khartoum") { launched launchedPrecision launchPlace
	    sources { source { file } locator }
	    themes { pillar theme { id } }
	    members { role member { ... on Country { iso2 } ... on Organisation { shortName } } } }
	  sn: country(code: "SEN") { projects { project { title budget { amount currency }
	    donors { donor { shortName } amount { amount currency } }
	    instruments { shortName parent { shortName } } } }
	    claims { property number unit sources { source { file } } } }
	  eutf: instrument(id: "instrument:eutf-africa") { claims { property number asOf sources { source { id } } }
	    parts { kind } contributors { contributor { shortName } } }
	  kosovo: instrument(id: "instrument:ch-mp-kosovo") { claims { property value sources { source { id } } } }
	  memberStates: countries(euRelation: MEMBER_STATE) { iso2 }
	  about { counts { kind count } }
	  turkey: search(text: "Turkey") { node { ... on Country { iso2 name } } }
	  traf: search(text: "traffick", types: [THEMATIC_AREA]) { node { ... on ThematicArea { id } } }
	}`, nil)
	if len(out.Errors) > 0 {
		t.Fatalf("errors: %v", out.Errors)
	}
	js := func(path ...any) string { return mustJSON(dig(t, out.Data, path...)) }

	// Swiss migration partnership with Nigeria: February 2011, with its sources.
	found := false
	for _, a := range dig(t, out.Data, "ng", "agreements").([]any) {
		in := dig(t, a, "instrument")
		if dig(t, in, "id") != "instrument:ch-mp-nigeria" {
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
	if got := js("khartoum", "members"); !strings.Contains(got, `{"member":{"shortName":"AUC"},"role":"STEERING_COMMITTEE"}`) || !strings.Contains(got, `{"member":{"iso2":"ER"},"role":"MEMBER"}`) {
		t.Errorf("Khartoum members lack the AU Commission's steering role or Eritrea: %s", got)
	}

	// Senegal: EUTF projects worth EUR 170 million, and remittances of nearly EUR 2.5 billion in 2020.
	sn := js("sn")
	for _, want := range []string{`"budget":{"amount":170000000,"currency":"EUR"}`, `"donor":{"shortName":"EC"}`,
		`{"parent":{"shortName":"EUTF for Africa"},"shortName":"EUTF Sahel and Lake Chad"}`,
		`"number":2500000000`, `004_b59accf854212b5a.txt`} {
		if !strings.Contains(sn, want) {
			t.Errorf("Senegal lacks %s:\n%s", want, sn)
		}
	}

	// The EUTF's disagreeing figures both stay, each with its source and date.
	eutf := js("eutf", "claims")
	for _, want := range []string{`{"asOf":"2020-12-01","number":254,"property":"projects","sources":[{"source":{"id":"source:seed-003"}}]}`,
		`{"asOf":"2022-08-05","number":248,"property":"programmes","sources":[{"source":{"id":"source:eutf-africa"}}]}`} {
		if !strings.Contains(eutf, want) {
			t.Errorf("EUTF claims lack %s:\n%s", want, eutf)
		}
	}
	if got := js("eutf", "parts"); got != `[{"kind":"FUNDING_WINDOW"},{"kind":"FUNDING_WINDOW"},{"kind":"FUNDING_WINDOW"}]` {
		t.Errorf("EUTF windows = %s", got)
	}
	if got := js("kosovo", "claims"); !strings.Contains(got, "since 2012") || !strings.Contains(got, "February 2010") {
		t.Errorf("Kosovo partnership keeps both start dates? %s", got)
	}

	if n := len(dig(t, out.Data, "memberStates").([]any)); n != 27 {
		t.Errorf("%d EU member states, want 27", n)
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
	if got := js("traf"); got != `[{"node":{"id":"theme:trafficking"}}]` {
		t.Errorf("search traffick in themes = %s", got)
	}
}

func TestSearchArguments(t *testing.T) {
	srv := newAPI(t)
	for q, code := range map[string]string{
		`{ search(text: "  ") { score } }`:                               "BAD_USER_INPUT",
		`{ search(text: "x", first: 0) { score } }`:                      "BAD_USER_INPUT",
		`{ search(text: "` + strings.Repeat("a", 201) + `") { score } }`: "BAD_USER_INPUT",
	} {
		out := query(t, srv, q, nil)
		if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != code {
			t.Errorf("%.60s: errors = %+v", q, out.Errors)
		}
	}
	// Lucene syntax in the text is plain text: no error, no injection.
	out := query(t, srv, `{ search(text: "Senegal) OR name:*") { node { ... on Country { iso2 } } } }`, nil)
	if len(out.Errors) > 0 {
		t.Fatalf("errors: %v", out.Errors)
	}
	if got := mustJSON(out.Data["search"]); got != `[]` {
		t.Errorf("search for words that do not all match = %s", got)
	}
	out = query(t, srv, `{ search(text: "seneg") { score node { ... on Country { iso2 } } } }`, nil)
	if got := mustJSON(dig(t, out.Data, "search", 0, "node")); got != `{"iso2":"SN"}` {
		t.Errorf("prefix search = %s (%v)", mustJSON(out.Data), out.Errors)
	}
}
