package httpapi_test

import (
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestReferencesAreChecked asks with the references an analyst types: names, codes, keys
// without their prefix, short names, and typos. Every form that names one node gives the same
// answer as its key; a reference that names none is NOT_FOUND, naming the argument and the
// closest matches, instead of an empty answer.
func TestReferencesAreChecked(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "seed/data")
	srv := serve(t, st)

	count := func(where string) float64 {
		t.Helper()
		r := query(t, srv, `{ projects(first: 1, where: `+where+`) { totalCount } }`, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %v", where, r.Errors)
		}
		return dig(t, r.Data, "projects", "totalCount").(float64)
	}
	for _, same := range [][]string{
		{`{countries: ["ET"]}`, `{countries: ["Ethiopia"]}`, `{countries: ["ETH"]}`, `{countries: ["country:ET"]}`, `{countries: ["ethiopia"]}`},
		{`{themes: ["theme:reintegration"]}`, `{themes: ["reintegration"]}`, `{themes: ["Reintegration"]}`},
		{`{donors: ["org:ec"]}`, `{donors: ["EC"]}`, `{donors: ["European Commission"]}`, `{donors: ["ec"]}`},
		{`{keys: ["project:bmm-1"]}`, `{keys: ["bmm-1"]}`},
		{`{donorsSome: {keys: ["org:ec"]}}`, `{donorsSome: {keys: ["EC"]}}`},
	} {
		want := count(same[0])
		if want == 0 {
			t.Errorf("%s finds nothing; the test needs a reference that finds something", same[0])
		}
		for _, w := range same[1:] {
			if got := count(w); got != want {
				t.Errorf("%s gives %v projects, %s gives %v", w, got, same[0], want)
			}
		}
	}

	for _, c := range []struct{ query, says string }{
		{`{ projects(first: 1, where: {countries: ["XX"]}) { totalCount } }`, `where.countries[0]: no country "XX"`},
		{`{ projects(first: 1, where: {countries: ["Ethiopa"]}) { totalCount } }`, `did you mean country:ET (Ethiopia)`},
		{`{ projects(first: 1, where: {OR: [{themes: ["reintegraton"]}]}) { totalCount } }`, `where.OR[0].themes[0]: no thematic area "reintegraton"; did you mean theme:reintegration`},
		{`{ projects(first: 1, where: {keys: ["project:nope"]}) { totalCount } }`, `where.keys[0]: no project "project:nope"`},
		{`{ fundingSummary(groupBy: [DONOR], where: {countries: ["XX"]}) { totals { amount } } }`, `where.countries[0]: no country "XX"`},
		{`{ fundingSummary(groupBy: [DONOR], donorWhere: {keys: ["org:nobody"]}) { totals { amount } } }`, `donorWhere.keys[0]: no organisation "org:nobody"`},
		{`{ countries(first: 1, where: {codes: ["SN"]}) { nodes { projects(first: 5, where: {donors: ["nobody"]}) { totalCount } } } }`, `where.donors[0]: no organisation "nobody"`},
		{`{ regionalProcess(key: "rabbat") { key } }`, `did you mean process:rabat`},
	} {
		r := query(t, srv, c.query, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "NOT_FOUND" || !strings.Contains(r.Errors[0].Message, c.says) {
			t.Errorf("%s: errors %v, want NOT_FOUND saying %q", c.query, r.Errors, c.says)
		}
	}

	r := query(t, srv, `{ a: regionalProcess(key: "rabat") { key } b: regionalProcess(key: "Rabat Process") { key } c: country(code: "SN") { key } }`, nil)
	if len(r.Errors) > 0 || dig(t, r.Data, "a", "key") != "process:rabat" || dig(t, r.Data, "b", "key") != "process:rabat" {
		t.Errorf("look-ups by short key and name: %s %v", mustJSON(r.Data), r.Errors)
	}
}
