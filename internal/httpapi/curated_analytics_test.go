package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestAnalyticsOnCuratedSeed runs every analytics question on the shipped seed and checks answers
// that follow from the source documents.
func TestAnalyticsOnCuratedSeed(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "seed/data")
	srv := serve(t, st)
	const asOf = `asOf: "2026-11-22"`
	// text writes JSON with object keys sorted, so the checks below list keys alphabetically.
	text := func(v any) string { b, _ := json.Marshal(v); return string(b) }

	// BMM phases I and II are co-funded by the same donors (EC and BMZ) and follow each other:
	// coordination, not overlap. No other country has two donors' projects on one theme.
	d := answer(t, srv, `{ overlappingFunding(`+asOf+`) { windowCount } }`)
	sameJSON(t, "overlaps", d["overlappingFunding"], `{"windowCount":0}`)

	// Ethiopia: the regional BMM programme (from April 2016) was never followed by a national
	// project on border management.
	d = answer(t, srv, `{ missingNationalFollowUp(country: "ET", theme: "theme:border-management", `+asOf+`, statuses: [FOUND, PENDING, MISSING]) {
	  foundCount pendingCount activities { kind project { key } start deadline status } } }`)
	sameJSON(t, "Ethiopia follow-up", d["missingNationalFollowUp"], `{"foundCount":0,"pendingCount":0,"activities":[
	 {"kind":"REGIONAL_PROJECT","project":{"key":"project:bmm-1"},"start":"2016-04-01","deadline":"2019-04-01","status":"MISSING"},
	 {"kind":"REGIONAL_PROJECT","project":{"key":"project:bmm-2"},"start":"2019-05-28","deadline":"2022-05-28","status":"MISSING"}]}`)

	// Ethiopia: EC and BMZ co-fund both BMM phases, so they share every theme through a joint project.
	d = answer(t, srv, `{ donorCoordination(country: "ET") { donors { donor { key } } coFundedProjectCount opportunityCount wholeOfGovernment { agencies { key } } } }`)
	sameJSON(t, "Ethiopia coordination", d["donorCoordination"], `{"donors":[{"donor":{"key":"org:bmz"}},{"donor":{"key":"org:ec"}}],"coFundedProjectCount":2,"opportunityCount":0,"wholeOfGovernment":[]}`)

	// Senegal: the partner priorities stated at Rabat Process meetings (remittances, brain drain)
	// received nothing; the EUTF funding goes to root causes.
	d = answer(t, srv, `{ priorityGaps(country: "SN") { countries { priorities { priority { key } viaProcess { key } unfunded }
	  unstatedThemes { theme { key } } shares { currency share } } } }`)
	got := text(d["priorityGaps"])
	for _, want := range []string{
		`{"priority":{"key":"priority:rabat-remittances"},"unfunded":true,"viaProcess":{"key":"process:rabat"}}`,
		`{"priority":{"key":"priority:rabat-brain-drain"},"unfunded":true,"viaProcess":{"key":"process:rabat"}}`,
		`"unstatedThemes":[{"theme":{"key":"theme:root-causes"}}]`,
		`"shares":[{"currency":"EUR","share":0}]`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Senegal priority gaps lack %s:\n%s", want, got)
		}
	}

	// Senegal's flows carry the EUR 170 million of the EUTF Senegal portfolio at every level.
	d = answer(t, srv, `{ fundingFlows(country: "SN") { fundingCount totals { amount currency } links { target amount } } }`)
	got = text(d["fundingFlows"])
	if !strings.Contains(got, `"fundingCount":1,`) || !strings.Contains(got, `"totals":[{"amount":"170000000","currency":"EUR"}]`) ||
		!strings.Contains(got, `{"amount":"170000000","target":"country:SN"}`) {
		t.Errorf("Senegal flows: %s", got)
	}

	// The projects that carry out the Khartoum Process, and a path from Ethiopia to Kenya through them.
	d = answer(t, srv, `{ neighbourhood(id: "process:khartoum", types: [SUPPORTS]) { nodes { node { key } } } }`)
	sameJSON(t, "Khartoum projects", d["neighbourhood"], `{"nodes":[{"node":{"key":"project:bmm-1"}},{"node":{"key":"project:bmm-2"}},{"node":{"key":"project:rdpp-horn"}}]}`)
	d = answer(t, srv, `{ paths(from: "ET", to: "KE", types: [TARGETS]) { length paths { nodes { key } } } }`)
	sameJSON(t, "Ethiopia to Kenya", d["paths"], `{"length":2,"paths":[
	 {"nodes":[{"key":"country:ET"},{"key":"project:bmm-1"},{"key":"country:KE"}]},
	 {"nodes":[{"key":"country:ET"},{"key":"project:bmm-2"},{"key":"country:KE"}]}]}`)
}
