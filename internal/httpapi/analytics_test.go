package httpapi_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// The analytics fixture (testdata/analytics) is small enough to know every answer by hand:
//
//	Senegal, reintegration: sn-a (EC, 2020-01-01..2021-12-31, EUR 1m), sn-b (AFD, 2021-06-01..2022-06-30,
//	  EUR 500k), sn-c (SDC, 2022-06-30..2023-03-31, CHF 200k), sn-x (NL, cancelled).
//	Senegal, legal migration: sn-d and sn-e, both EC (same donor twice). Border: sn-f co-funded by EC,
//	  AFD and the French foreign ministry (one project). Priorities: legal migration, remittances.
//	Mali, remittances: ml-a (EC, from 2024-01-01, no end), ml-b (NL, 2024-06-01..2026-12-31).
//	  Legal migration: ml-c starts 2018-03-02, a day after its follow-up deadline.
//	Niger, border: ne-a (EC, 2019-2020), ne-b (EC, 2021-05-01..2022-12-31) and the regional reg-1
//	  (French foreign ministry, 2019-06-01..2021-12-31, NE 70% and ML 30%).
//	The Dialogue (launched 2015-03-01, pillar legal migration): SN from 2016-01-01, ML (no date), NE
//	  from 2022-07-01, GH from 2022-06-29, FR (EU member state); its partner countries stated a diaspora
//	  priority. AFD and the foreign ministry both belong to the Government of France.
const analyticsAsOf = "2025-06-30"

func newAnalyticsAPI(t *testing.T) *httptest.Server {
	t.Helper()
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "internal/httpapi/testdata/analytics")
	return serve(t, st)
}

// answer runs a query that must succeed and returns its data as compact JSON.
func answer(t *testing.T, srv *httptest.Server, query string) map[string]any {
	t.Helper()
	_, out := post(t, srv, map[string]any{"query": query})
	if len(out.Errors) > 0 {
		t.Fatalf("errors: %+v\nquery: %s", out.Errors, query)
	}
	return out.Data
}

// sameJSON compares a value with the JSON text the test expects.
func sameJSON(t *testing.T, what string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: expected JSON does not parse: %v", what, err)
	}
	g, _ := json.Marshal(got)
	e, _ := json.Marshal(w)
	if string(g) != string(e) {
		t.Errorf("%s:\n got  %s\n want %s", what, g, e)
	}
}

// errorCode runs a query that must fail and returns the code of its only error.
func errorCode(t *testing.T, srv *httptest.Server, query string) string {
	t.Helper()
	_, out := post(t, srv, map[string]any{"query": query})
	if len(out.Errors) != 1 {
		t.Fatalf("want one error, got %+v\nquery: %s", out.Errors, query)
	}
	code, _ := out.Errors[0].Extensions["code"].(string)
	return code
}

func TestAnalytics(t *testing.T) {
	srv := newAnalyticsAPI(t)
	t.Run("overlaps", func(t *testing.T) { testOverlaps(t, srv) })
	t.Run("follow-up", func(t *testing.T) { testFollowUp(t, srv) })
	t.Run("priority gaps", func(t *testing.T) { testPriorityGaps(t, srv) })
	t.Run("coordination", func(t *testing.T) { testCoordination(t, srv) })
	t.Run("flows", func(t *testing.T) { testFlows(t, srv) })
	t.Run("neighbourhood", func(t *testing.T) { testNeighbourhood(t, srv) })
	t.Run("paths", func(t *testing.T) { testPaths(t, srv) })
	t.Run("bad arguments", func(t *testing.T) { testAnalyticsErrors(t, srv) })
	t.Run("explicit nulls take the schema's defaults", func(t *testing.T) { testAnalyticsNulls(t, srv) })
}

func testAnalyticsNulls(t *testing.T, srv *httptest.Server) {
	d := answer(t, srv, `{ overlappingFunding(minDonors: null, includeRegional: null, first: null, asOf: "`+analyticsAsOf+`") { windowCount windows { from } }
	  missingNationalFollowUp(windowYears: null, statuses: null, includeEUMemberStates: null, first: null, asOf: "`+analyticsAsOf+`") { windowYears missingCount activities { status } }
	  fundingFlows(donor: "org:fr-mfa", levels: null, first: null) { levels linkCount }
	  neighbourhood(id: "process:dialogue", depth: null, limit: null) { nodes { distance } } }`)
	sameJSON(t, "overlaps", d["overlappingFunding"], `{"windowCount":5,"windows":[{"from":"2024-06-01"},{"from":"2019-06-01"},{"from":"2021-05-01"},{"from":"2021-06-01"},{"from":"2022-06-30"}]}`)
	sameJSON(t, "follow-up", d["missingNationalFollowUp"], `{"windowYears":3,"missingCount":3,"activities":[{"status":"MISSING"},{"status":"MISSING"},{"status":"MISSING"},{"status":"PENDING"}]}`)
	sameJSON(t, "flows", d["fundingFlows"], `{"levels":["DONOR","INSTRUMENT","PROJECT","COUNTRY"],"linkCount":7}`)
	if n := len(d["neighbourhood"].(map[string]any)["nodes"].([]any)); n != 8 {
		t.Errorf("neighbourhood with null depth and limit: %d nodes, want the 8 at depth 1", n)
	}
}

const windowFields = `windowCount windows { country { key } theme { key } from to days endsAtAsOf
  donors { donor { key } projects { key } totals { amount currency } } totals { amount currency } }`

func testOverlaps(t *testing.T, srv *httptest.Server) {
	d := answer(t, srv, `{ overlappingFunding(asOf: "`+analyticsAsOf+`") { asOf `+windowFields+` } }`)
	// Overlapping periods (SN reintegration A/B), one shared day (B/C, mixed currencies), an
	// open-ended project running until asOf (ML), a regional project covering a country (NE, two
	// separate windows); not: one co-funded project (SN border), the same donor twice (SN legal
	// migration), a cancelled project (sn-x), a single regional project (ML border).
	sameJSON(t, "all overlaps", d["overlappingFunding"], `{"asOf":"2025-06-30","windowCount":5,"windows":[
	 {"country":{"key":"country:ML"},"theme":{"key":"theme:remittances"},"from":"2024-06-01","to":"2025-06-30","days":395,"endsAtAsOf":true,
	  "donors":[{"donor":{"key":"org:ec"},"projects":[{"key":"project:ml-a"}],"totals":[{"amount":"300000","currency":"EUR"}]},
	            {"donor":{"key":"org:nl"},"projects":[{"key":"project:ml-b"}],"totals":[{"amount":"100000","currency":"EUR"}]}],
	  "totals":[{"amount":"400000","currency":"EUR"}]},
	 {"country":{"key":"country:NE"},"theme":{"key":"theme:border"},"from":"2019-06-01","to":"2020-12-31","days":580,"endsAtAsOf":false,
	  "donors":[{"donor":{"key":"org:ec"},"projects":[{"key":"project:ne-a"}],"totals":[{"amount":"600000","currency":"EUR"}]},
	            {"donor":{"key":"org:fr-mfa"},"projects":[{"key":"project:reg-1"}],"totals":[{"amount":"1000000","currency":"EUR"}]}],
	  "totals":[{"amount":"1600000","currency":"EUR"}]},
	 {"country":{"key":"country:NE"},"theme":{"key":"theme:border"},"from":"2021-05-01","to":"2021-12-31","days":245,"endsAtAsOf":false,
	  "donors":[{"donor":{"key":"org:ec"},"projects":[{"key":"project:ne-b"}],"totals":[{"amount":"700000","currency":"EUR"}]},
	            {"donor":{"key":"org:fr-mfa"},"projects":[{"key":"project:reg-1"}],"totals":[{"amount":"1000000","currency":"EUR"}]}],
	  "totals":[{"amount":"1700000","currency":"EUR"}]},
	 {"country":{"key":"country:SN"},"theme":{"key":"theme:reintegration"},"from":"2021-06-01","to":"2021-12-31","days":214,"endsAtAsOf":false,
	  "donors":[{"donor":{"key":"org:afd"},"projects":[{"key":"project:sn-b"}],"totals":[{"amount":"500000","currency":"EUR"}]},
	            {"donor":{"key":"org:ec"},"projects":[{"key":"project:sn-a"}],"totals":[{"amount":"1000000","currency":"EUR"}]}],
	  "totals":[{"amount":"1500000","currency":"EUR"}]},
	 {"country":{"key":"country:SN"},"theme":{"key":"theme:reintegration"},"from":"2022-06-30","to":"2022-06-30","days":1,"endsAtAsOf":false,
	  "donors":[{"donor":{"key":"org:afd"},"projects":[{"key":"project:sn-b"}],"totals":[{"amount":"500000","currency":"EUR"}]},
	            {"donor":{"key":"org:sdc"},"projects":[{"key":"project:sn-c"}],"totals":[{"amount":"200000","currency":"CHF"}]}],
	  "totals":[{"amount":"200000","currency":"CHF"},{"amount":"500000","currency":"EUR"}]}]}`)

	// The evidence of the open-ended window: dates, the assumed end, amounts with their sources.
	d = answer(t, srv, `{ overlappingFunding(country: "ML", asOf: "`+analyticsAsOf+`") { windows { projects {
	  project { key } scope start end endAssumed share fundings { donor { key } amount { amount currency } sources { source { key } locator } } } } } }`)
	sameJSON(t, "open-ended evidence", d["overlappingFunding"], `{"windows":[{"projects":[
	 {"project":{"key":"project:ml-a"},"scope":"NATIONAL","start":"2024-01-01","end":"2025-06-30","endAssumed":true,"share":100,
	  "fundings":[{"donor":{"key":"org:ec"},"amount":{"amount":"300000","currency":"EUR"},"sources":[{"source":{"key":"source:doc-x"},"locator":null}]}]},
	 {"project":{"key":"project:ml-b"},"scope":"NATIONAL","start":"2024-06-01","end":"2026-12-31","endAssumed":false,"share":100,
	  "fundings":[{"donor":{"key":"org:nl"},"amount":{"amount":"100000","currency":"EUR"},"sources":[{"source":{"key":"source:doc-x"},"locator":null}]}]}]}]}`)

	// asOf moves the open end: before ml-b starts, Mali has no overlap.
	d = answer(t, srv, `{ overlappingFunding(country: "country:ML", asOf: "2024-05-31") { windowCount } }`)
	sameJSON(t, "asOf before the second project", d["overlappingFunding"], `{"windowCount":0}`)

	// Regional projects left out: Niger's windows go.
	d = answer(t, srv, `{ overlappingFunding(includeRegional: false, asOf: "`+analyticsAsOf+`") { windows { country { key } from } } }`)
	sameJSON(t, "national projects only", d["overlappingFunding"], `{"windows":[
	 {"country":{"key":"country:ML"},"from":"2024-06-01"},{"country":{"key":"country:SN"},"from":"2021-06-01"},{"country":{"key":"country:SN"},"from":"2022-06-30"}]}`)

	// A period cuts windows; three donors are never active together.
	d = answer(t, srv, `{ overlappingFunding(period: {from: "2021-07-01", to: "2021-12-31"}, asOf: "`+analyticsAsOf+`") { windows { country { key } from to days } } }`)
	sameJSON(t, "period", d["overlappingFunding"], `{"windows":[
	 {"country":{"key":"country:NE"},"from":"2021-07-01","to":"2021-12-31","days":184},
	 {"country":{"key":"country:SN"},"from":"2021-07-01","to":"2021-12-31","days":184}]}`)
	d = answer(t, srv, `{ overlappingFunding(minDonors: 3, asOf: "`+analyticsAsOf+`") { windowCount } }`)
	sameJSON(t, "three donors", d["overlappingFunding"], `{"windowCount":0}`)

	// Country by ISO-3 code and theme by global id; first cuts the list, not the count.
	themeID := answer(t, srv, `{ thematicArea(key: "theme:reintegration") { id } }`)["thematicArea"].(map[string]any)["id"].(string)
	d = answer(t, srv, `{ overlappingFunding(country: "SEN", theme: "`+themeID+`", first: 1, asOf: "`+analyticsAsOf+`") { windowCount windows { from } } }`)
	sameJSON(t, "filters and first", d["overlappingFunding"], `{"windowCount":2,"windows":[{"from":"2021-06-01"}]}`)
}

const followUpFields = `asOf windowYears foundCount pendingCount missingCount activities {
  country { key } theme { key } kind process { key } project { key } start startBasis deadline status overdueDays daysLeft followUp { key } followUpStart }`

func testFollowUp(t *testing.T, srv *httptest.Server) {
	d := answer(t, srv, `{ missingNationalFollowUp(asOf: "`+analyticsAsOf+`") { `+followUpFields+` } }`)
	// ML: membership from the launch, follow-up a day after the deadline (MISSING); reg-1 in ML has
	// none; GH's deadline was the day before asOf (MISSING by one day), NE's is the day after (PENDING).
	// FOUND (not returned by default): SN, whose follow-up starts on the deadline, and reg-1 in NE.
	// France, an EU member state, is not judged.
	sameJSON(t, "missing and pending", d["missingNationalFollowUp"], `{"asOf":"2025-06-30","windowYears":3,"foundCount":2,"pendingCount":1,"missingCount":3,"activities":[
	 {"country":{"key":"country:ML"},"theme":{"key":"theme:legal-migration"},"kind":"PROCESS_MEMBERSHIP","process":{"key":"process:dialogue"},"project":null,
	  "start":"2015-03-01","startBasis":"PROCESS_LAUNCH","deadline":"2018-03-01","status":"MISSING","overdueDays":2678,"daysLeft":null,"followUp":null,"followUpStart":null},
	 {"country":{"key":"country:ML"},"theme":{"key":"theme:border"},"kind":"REGIONAL_PROJECT","process":null,"project":{"key":"project:reg-1"},
	  "start":"2019-06-01","startBasis":"PROJECT_START","deadline":"2022-06-01","status":"MISSING","overdueDays":1125,"daysLeft":null,"followUp":null,"followUpStart":null},
	 {"country":{"key":"country:GH"},"theme":{"key":"theme:legal-migration"},"kind":"PROCESS_MEMBERSHIP","process":{"key":"process:dialogue"},"project":null,
	  "start":"2022-06-29","startBasis":"MEMBERSHIP_START","deadline":"2025-06-29","status":"MISSING","overdueDays":1,"daysLeft":null,"followUp":null,"followUpStart":null},
	 {"country":{"key":"country:NE"},"theme":{"key":"theme:legal-migration"},"kind":"PROCESS_MEMBERSHIP","process":{"key":"process:dialogue"},"project":null,
	  "start":"2022-07-01","startBasis":"MEMBERSHIP_START","deadline":"2025-07-01","status":"PENDING","overdueDays":null,"daysLeft":1,"followUp":null,"followUpStart":null}]}`)

	d = answer(t, srv, `{ missingNationalFollowUp(asOf: "`+analyticsAsOf+`", statuses: [FOUND]) { activities { country { key } kind followUp { key } followUpStart deadline } } }`)
	sameJSON(t, "found", d["missingNationalFollowUp"], `{"activities":[
	 {"country":{"key":"country:NE"},"kind":"REGIONAL_PROJECT","followUp":{"key":"project:ne-b"},"followUpStart":"2021-05-01","deadline":"2022-06-01"},
	 {"country":{"key":"country:SN"},"kind":"PROCESS_MEMBERSHIP","followUp":{"key":"project:sn-d"},"followUpStart":"2019-01-01","deadline":"2019-01-01"}]}`)

	// One more year of window: Mali's membership is followed up after all. asOf a few days earlier:
	// GH turns PENDING.
	d = answer(t, srv, `{ missingNationalFollowUp(country: "ML", theme: "theme:legal-migration", windowYears: 4, asOf: "`+analyticsAsOf+`", statuses: [FOUND, MISSING, PENDING]) { foundCount missingCount activities { status followUp { key } } } }`)
	sameJSON(t, "longer window", d["missingNationalFollowUp"], `{"foundCount":1,"missingCount":0,"activities":[{"status":"FOUND","followUp":{"key":"project:ml-c"}}]}`)
	d = answer(t, srv, `{ missingNationalFollowUp(country: "GH", asOf: "2025-06-29") { pendingCount missingCount activities { status daysLeft } } }`)
	sameJSON(t, "deadline on asOf", d["missingNationalFollowUp"], `{"pendingCount":1,"missingCount":0,"activities":[{"status":"PENDING","daysLeft":0}]}`)

	// Benin only observes the Dialogue: an observer is no member, so its observing starts no
	// regional activity and the Dialogue's priorities do not apply to it. Mali's membership ended
	// in 2017 (until), which changes nothing: the counts above include it.
	d = answer(t, srv, `{ missingNationalFollowUp(country: "BJ", asOf: "`+analyticsAsOf+`", statuses: [FOUND, PENDING, MISSING]) { foundCount pendingCount missingCount activities { status } }
	  priorityGaps(country: "BJ") { countries { priorities { priority { key } } } } }`)
	sameJSON(t, "observer", d["missingNationalFollowUp"], `{"foundCount":0,"pendingCount":0,"missingCount":0,"activities":[]}`)
	sameJSON(t, "observer's priorities", d["priorityGaps"], `{"countries":[{"priorities":[]}]}`)

	// Only the Dialogue: the regional project does not carry it out, so only memberships remain;
	// with EU member states France's membership is judged too.
	d = answer(t, srv, `{ missingNationalFollowUp(process: "process:dialogue", asOf: "`+analyticsAsOf+`") { foundCount pendingCount missingCount } }`)
	sameJSON(t, "one process", d["missingNationalFollowUp"], `{"foundCount":1,"pendingCount":1,"missingCount":2}`)
	d = answer(t, srv, `{ missingNationalFollowUp(process: "process:dialogue", includeEUMemberStates: true, asOf: "`+analyticsAsOf+`", first: 1) { missingCount activities { country { key } overdueDays sources { source { key } locator } } } }`)
	sameJSON(t, "with EU member states", d["missingNationalFollowUp"], `{"missingCount":3,"activities":[{"country":{"key":"country:FR"},"overdueDays":2678,"sources":[{"source":{"key":"source:doc-x"},"locator":"members"}]}]}`)
}

func testPriorityGaps(t *testing.T, srv *httptest.Server) {
	d := answer(t, srv, `{ priorityGaps(country: "SN") { countryCount countries { country { key } projectCount fundingsWithoutAmount
	  totals { amount currency } shares { currency priorityAmount totalAmount share }
	  priorities { priority { key } theme { key } viaProcess { key } projectCount unfunded totals { amount currency } projects { key } }
	  unstatedThemes { theme { key } projectCount totals { amount currency } } } } }`)
	// Legal migration is funded (EUR 400k; sn-e states no amount); remittances and the Dialogue's
	// diaspora priority got nothing. The cancelled project is not counted. Currencies stay apart.
	sameJSON(t, "Senegal", d["priorityGaps"], `{"countryCount":1,"countries":[{"country":{"key":"country:SN"},"projectCount":6,"fundingsWithoutAmount":1,
	 "totals":[{"amount":"200000","currency":"CHF"},{"amount":"2300000","currency":"EUR"}],
	 "shares":[{"currency":"CHF","priorityAmount":"0","totalAmount":"200000","share":0},
	           {"currency":"EUR","priorityAmount":"400000","totalAmount":"2300000","share":0.17391304347826086}],
	 "priorities":[
	  {"priority":{"key":"priority:dialogue-diaspora"},"theme":{"key":"theme:diaspora"},"viaProcess":{"key":"process:dialogue"},"projectCount":0,"unfunded":true,"totals":[],"projects":[]},
	  {"priority":{"key":"priority:sn-legal"},"theme":{"key":"theme:legal-migration"},"viaProcess":null,"projectCount":2,"unfunded":false,
	   "totals":[{"amount":"400000","currency":"EUR"}],"projects":[{"key":"project:sn-d"},{"key":"project:sn-e"}]},
	  {"priority":{"key":"priority:sn-remittances"},"theme":{"key":"theme:remittances"},"viaProcess":null,"projectCount":0,"unfunded":true,"totals":[],"projects":[]}],
	 "unstatedThemes":[
	  {"theme":{"key":"theme:reintegration"},"projectCount":3,"totals":[{"amount":"200000","currency":"CHF"},{"amount":"1500000","currency":"EUR"}]},
	  {"theme":{"key":"theme:border"},"projectCount":1,"totals":[{"amount":"400000","currency":"EUR"}]}]}]}`)

	// Every country with priorities: the Dialogue's partner countries (not France) and Senegal.
	d = answer(t, srv, `{ priorityGaps { countryCount countries { country { key } unstatedThemes { theme { key } projectCount } } } }`)
	sameJSON(t, "all countries", d["priorityGaps"], `{"countryCount":4,"countries":[
	 {"country":{"key":"country:GH"},"unstatedThemes":[]},
	 {"country":{"key":"country:ML"},"unstatedThemes":[{"theme":{"key":"theme:remittances"},"projectCount":2},{"theme":{"key":"theme:border"},"projectCount":1},{"theme":{"key":"theme:legal-migration"},"projectCount":1}]},
	 {"country":{"key":"country:NE"},"unstatedThemes":[{"theme":{"key":"theme:border"},"projectCount":3}]},
	 {"country":{"key":"country:SN"},"unstatedThemes":[{"theme":{"key":"theme:reintegration"},"projectCount":3},{"theme":{"key":"theme:border"},"projectCount":1}]}]}`)
	d = answer(t, srv, `{ priorityGaps(includeProcessPriorities: false, includeRegional: false, period: {from: "2021-01-01", to: "2021-12-31"}) { countryCount countries { projectCount priorities { priority { key } projectCount } } } }`)
	sameJSON(t, "own priorities in 2021", d["priorityGaps"], `{"countryCount":1,"countries":[{"projectCount":3,"priorities":[
	 {"priority":{"key":"priority:sn-legal"},"projectCount":1},{"priority":{"key":"priority:sn-remittances"},"projectCount":0}]}]}`)
}

func testCoordination(t *testing.T, srv *httptest.Server) {
	d := answer(t, srv, `{ donorCoordination(country: "SN") { country { key }
	  donors { donor { key } projects { key } themes { key } totals { amount currency } }
	  sharedThemes { theme { key } donors { key } projects { key } }
	  coFundedProjects { project { key } fundings { donor { key } amount { amount } } }
	  opportunities { theme { key } donor { key } otherDonor { key } projects { key } otherProjects { key } }
	  wholeOfGovernment { government { key } governmentCountry { key } agencies { key } projects { key } } } }`)
	sameJSON(t, "Senegal", d["donorCoordination"], `{"country":{"key":"country:SN"},
	 "donors":[
	  {"donor":{"key":"org:afd"},"projects":[{"key":"project:sn-b"},{"key":"project:sn-f"}],"themes":[{"key":"theme:border"},{"key":"theme:reintegration"}],"totals":[{"amount":"600000","currency":"EUR"}]},
	  {"donor":{"key":"org:ec"},"projects":[{"key":"project:sn-a"},{"key":"project:sn-d"},{"key":"project:sn-e"},{"key":"project:sn-f"}],"themes":[{"key":"theme:border"},{"key":"theme:legal-migration"},{"key":"theme:reintegration"}],"totals":[{"amount":"1650000","currency":"EUR"}]},
	  {"donor":{"key":"org:fr-mfa"},"projects":[{"key":"project:sn-f"}],"themes":[{"key":"theme:border"}],"totals":[{"amount":"50000","currency":"EUR"}]},
	  {"donor":{"key":"org:sdc"},"projects":[{"key":"project:sn-c"}],"themes":[{"key":"theme:reintegration"}],"totals":[{"amount":"200000","currency":"CHF"}]}],
	 "sharedThemes":[
	  {"theme":{"key":"theme:border"},"donors":[{"key":"org:afd"},{"key":"org:ec"},{"key":"org:fr-mfa"}],"projects":[{"key":"project:sn-f"}]},
	  {"theme":{"key":"theme:reintegration"},"donors":[{"key":"org:afd"},{"key":"org:ec"},{"key":"org:sdc"}],"projects":[{"key":"project:sn-a"},{"key":"project:sn-b"},{"key":"project:sn-c"}]}],
	 "coFundedProjects":[{"project":{"key":"project:sn-f"},"fundings":[{"donor":{"key":"org:afd"},"amount":{"amount":"100000"}},{"donor":{"key":"org:ec"},"amount":{"amount":"250000"}},{"donor":{"key":"org:fr-mfa"},"amount":{"amount":"50000"}}]}],
	 "opportunities":[
	  {"theme":{"key":"theme:reintegration"},"donor":{"key":"org:afd"},"otherDonor":{"key":"org:ec"},"projects":[{"key":"project:sn-b"}],"otherProjects":[{"key":"project:sn-a"}]},
	  {"theme":{"key":"theme:reintegration"},"donor":{"key":"org:afd"},"otherDonor":{"key":"org:sdc"},"projects":[{"key":"project:sn-b"}],"otherProjects":[{"key":"project:sn-c"}]},
	  {"theme":{"key":"theme:reintegration"},"donor":{"key":"org:ec"},"otherDonor":{"key":"org:sdc"},"projects":[{"key":"project:sn-a"}],"otherProjects":[{"key":"project:sn-c"}]}],
	 "wholeOfGovernment":[{"government":{"key":"org:fr-gov"},"governmentCountry":{"key":"country:FR"},"agencies":[{"key":"org:afd"},{"key":"org:fr-mfa"}],"projects":[{"key":"project:sn-b"},{"key":"project:sn-f"}]}]}`)

	d = answer(t, srv, `{ donorCoordination(country: "SN", first: 1) { coFundedProjectCount opportunityCount opportunities { otherDonor { key } } } }`)
	sameJSON(t, "first", d["donorCoordination"], `{"coFundedProjectCount":1,"opportunityCount":3,"opportunities":[{"otherDonor":{"key":"org:ec"}}]}`)

	d = answer(t, srv, `{ donorCoordination(country: "SN", period: {from: "2022-01-01"}) { donors { donor { key } } opportunities { donor { key } otherDonor { key } } wholeOfGovernment { government { key } } } }`)
	sameJSON(t, "from 2022", d["donorCoordination"], `{"donors":[{"donor":{"key":"org:afd"}},{"donor":{"key":"org:sdc"}}],
	 "opportunities":[{"donor":{"key":"org:afd"},"otherDonor":{"key":"org:sdc"}}],"wholeOfGovernment":[]}`)
}

func testFlows(t *testing.T, srv *httptest.Server) {
	// The regional project's EUR 1m is split 70/30 between Niger and Mali by target share.
	d := answer(t, srv, `{ fundingFlows(donor: "org:fr-mfa", levels: [DONOR, PROJECT, COUNTRY]) { levels linkCount fundingCount totals { amount currency }
	  nodes { key level label placeholder } links { source target currency amount fundingCount projectCount } } }`)
	sameJSON(t, "one donor", d["fundingFlows"], `{"levels":["DONOR","PROJECT","COUNTRY"],"linkCount":5,"fundingCount":2,"totals":[{"amount":"1050000","currency":"EUR"}],
	 "nodes":[{"key":"org:fr-mfa","level":"DONOR","label":"MFA France","placeholder":false},
	          {"key":"project:reg-1","level":"PROJECT","label":"Sahel border programme","placeholder":false},
	          {"key":"project:sn-f","level":"PROJECT","label":"Senegal border F","placeholder":false},
	          {"key":"country:ML","level":"COUNTRY","label":"Mali","placeholder":false},
	          {"key":"country:NE","level":"COUNTRY","label":"Niger","placeholder":false},
	          {"key":"country:SN","level":"COUNTRY","label":"Senegal","placeholder":false}],
	 "links":[{"source":"org:fr-mfa","target":"project:reg-1","currency":"EUR","amount":"1000000","fundingCount":1,"projectCount":1},
	          {"source":"project:reg-1","target":"country:NE","currency":"EUR","amount":"700000","fundingCount":1,"projectCount":1},
	          {"source":"project:reg-1","target":"country:ML","currency":"EUR","amount":"300000","fundingCount":1,"projectCount":1},
	          {"source":"org:fr-mfa","target":"project:sn-f","currency":"EUR","amount":"50000","fundingCount":1,"projectCount":1},
	          {"source":"project:sn-f","target":"country:SN","currency":"EUR","amount":"50000","fundingCount":1,"projectCount":1}]}`)

	// An instrument includes its windows.
	d = answer(t, srv, `{ fundingFlows(instrument: "instrument:fund", levels: [DONOR, INSTRUMENT]) { fundingCount links { source target amount projectCount } } }`)
	sameJSON(t, "instrument and window", d["fundingFlows"], `{"fundingCount":4,"links":[
	 {"source":"org:ec","target":"instrument:fund","amount":"1000000","projectCount":1},
	 {"source":"org:ec","target":"instrument:fund-window","amount":"250000","projectCount":1},
	 {"source":"org:afd","target":"instrument:fund-window","amount":"100000","projectCount":1},
	 {"source":"org:fr-mfa","target":"instrument:fund-window","amount":"50000","projectCount":1}]}`)

	// No instrument: a placeholder node; other currencies stay apart; a funding without amount is
	// counted with amount 0 and no currency.
	d = answer(t, srv, `{ fundingFlows(country: "SN", theme: "theme:reintegration", levels: [DONOR, INSTRUMENT, THEME]) {
	  nodes { key placeholder node { key } } links { source target currency amount } } }`)
	sameJSON(t, "placeholder and currencies", d["fundingFlows"], `{"nodes":[
	 {"key":"org:afd","placeholder":false,"node":{"key":"org:afd"}},{"key":"org:ec","placeholder":false,"node":{"key":"org:ec"}},{"key":"org:sdc","placeholder":false,"node":{"key":"org:sdc"}},
	 {"key":"instrument:fund","placeholder":false,"node":{"key":"instrument:fund"}},{"key":"none:INSTRUMENT","placeholder":true,"node":null},
	 {"key":"theme:reintegration","placeholder":false,"node":{"key":"theme:reintegration"}}],
	 "links":[{"source":"instrument:fund","target":"theme:reintegration","currency":"EUR","amount":"1000000"},
	          {"source":"org:ec","target":"instrument:fund","currency":"EUR","amount":"1000000"},
	          {"source":"none:INSTRUMENT","target":"theme:reintegration","currency":"EUR","amount":"500000"},
	          {"source":"org:afd","target":"none:INSTRUMENT","currency":"EUR","amount":"500000"},
	          {"source":"none:INSTRUMENT","target":"theme:reintegration","currency":"CHF","amount":"200000"},
	          {"source":"org:sdc","target":"none:INSTRUMENT","currency":"CHF","amount":"200000"}]}`)
	d = answer(t, srv, `{ fundingFlows(country: "SN", theme: "theme:legal-migration", levels: [DONOR, PROJECT]) { links { target currency amount fundingCount } } }`)
	sameJSON(t, "no amount", d["fundingFlows"], `{"links":[{"target":"project:sn-d","currency":"EUR","amount":"400000","fundingCount":1},{"target":"project:sn-e","currency":null,"amount":"0","fundingCount":1}]}`)
}

func testNeighbourhood(t *testing.T, srv *httptest.Server) {
	d := answer(t, srv, `{ neighbourhood(id: "process:dialogue") { center { key } truncated nodes { distance node { key } }
	  edges { type from { key } to { key } properties { name value } } } }`)
	sameJSON(t, "depth 1", d["neighbourhood"], `{"center":{"key":"process:dialogue"},"truncated":false,"nodes":[
	 {"distance":1,"node":{"key":"country:BJ"}},{"distance":1,"node":{"key":"country:FR"}},{"distance":1,"node":{"key":"country:GH"}},{"distance":1,"node":{"key":"country:ML"}},
	 {"distance":1,"node":{"key":"country:NE"}},{"distance":1,"node":{"key":"country:SN"}},
	 {"distance":1,"node":{"key":"priority:dialogue-diaspora"}},{"distance":1,"node":{"key":"theme:legal-migration"}}],
	 "edges":[
	  {"type":"MEMBER_OF","from":{"key":"country:BJ"},"to":{"key":"process:dialogue"},"properties":[{"name":"from","value":"2016-01-01"},{"name":"role","value":"OBSERVER"}]},
	  {"type":"MEMBER_OF","from":{"key":"country:FR"},"to":{"key":"process:dialogue"},"properties":[{"name":"from","value":"2015-03-01"},{"name":"role","value":"MEMBER"}]},
	  {"type":"MEMBER_OF","from":{"key":"country:GH"},"to":{"key":"process:dialogue"},"properties":[{"name":"from","value":"2022-06-29"},{"name":"role","value":"MEMBER"}]},
	  {"type":"MEMBER_OF","from":{"key":"country:ML"},"to":{"key":"process:dialogue"},"properties":[{"name":"role","value":"MEMBER"},{"name":"until","value":"2017-06-30"}]},
	  {"type":"MEMBER_OF","from":{"key":"country:NE"},"to":{"key":"process:dialogue"},"properties":[{"name":"from","value":"2022-07-01"},{"name":"role","value":"MEMBER"}]},
	  {"type":"MEMBER_OF","from":{"key":"country:SN"},"to":{"key":"process:dialogue"},"properties":[{"name":"from","value":"2016-01-01"},{"name":"role","value":"MEMBER"}]},
	  {"type":"HAS_PILLAR","from":{"key":"process:dialogue"},"to":{"key":"theme:legal-migration"},"properties":[{"name":"pillar","value":"legal migration"}]},
	  {"type":"STATES","from":{"key":"process:dialogue"},"to":{"key":"priority:dialogue-diaspora"},"properties":[]}]}`)

	d = answer(t, srv, `{ neighbourhood(id: "process:dialogue", limit: 2) { truncated nodes { node { key } } edges { to { key } } } }`)
	sameJSON(t, "limit", d["neighbourhood"], `{"truncated":true,"nodes":[{"node":{"key":"country:BJ"}},{"node":{"key":"country:FR"}}],"edges":[{"to":{"key":"process:dialogue"}},{"to":{"key":"process:dialogue"}}]}`)

	// Two steps over funding only: Niger -> its projects -> their donors.
	d = answer(t, srv, `{ neighbourhood(id: "NE", depth: 2, types: [TARGETS, FUNDS]) { nodes { distance node { key } } } }`)
	sameJSON(t, "depth 2 by type", d["neighbourhood"], `{"nodes":[
	 {"distance":1,"node":{"key":"project:ne-a"}},{"distance":1,"node":{"key":"project:ne-b"}},{"distance":1,"node":{"key":"project:reg-1"}},
	 {"distance":2,"node":{"key":"country:ML"}},{"distance":2,"node":{"key":"org:ec"}},{"distance":2,"node":{"key":"org:fr-mfa"}}]}`)
}

func testPaths(t *testing.T, srv *httptest.Server) {
	d := answer(t, srv, `{ paths(from: "SN", to: "NE") { from { key } to { key } length paths { length nodes { key } edges { type from { key } to { key } properties { name value } } } } }`)
	sameJSON(t, "through the Dialogue", d["paths"], `{"from":{"key":"country:SN"},"to":{"key":"country:NE"},"length":2,"paths":[{"length":2,
	 "nodes":[{"key":"country:SN"},{"key":"process:dialogue"},{"key":"country:NE"}],
	 "edges":[{"type":"MEMBER_OF","from":{"key":"country:SN"},"to":{"key":"process:dialogue"},"properties":[{"name":"from","value":"2016-01-01"},{"name":"role","value":"MEMBER"}]},
	          {"type":"MEMBER_OF","from":{"key":"country:NE"},"to":{"key":"process:dialogue"},"properties":[{"name":"from","value":"2022-07-01"},{"name":"role","value":"MEMBER"}]}]}]}`)

	d = answer(t, srv, `{ paths(from: "SN", to: "NE", types: [TARGETS, ADDRESSES]) { length paths { nodes { key } } } }`)
	sameJSON(t, "over projects and themes", d["paths"], `{"length":4,"paths":[
	 {"nodes":[{"key":"country:SN"},{"key":"project:sn-f"},{"key":"theme:border"},{"key":"project:ne-a"},{"key":"country:NE"}]},
	 {"nodes":[{"key":"country:SN"},{"key":"project:sn-f"},{"key":"theme:border"},{"key":"project:ne-b"},{"key":"country:NE"}]},
	 {"nodes":[{"key":"country:SN"},{"key":"project:sn-f"},{"key":"theme:border"},{"key":"project:reg-1"},{"key":"country:NE"}]}]}`)

	d = answer(t, srv, `{ paths(from: "SN", to: "NE", maxHops: 1) { length paths { length } } }`)
	sameJSON(t, "too far", d["paths"], `{"length":null,"paths":[]}`)
}

func testAnalyticsErrors(t *testing.T, srv *httptest.Server) {
	cases := []struct{ query, code string }{
		{`{ overlappingFunding(country: "ZZ") { windowCount } }`, "NOT_FOUND"},
		{`{ overlappingFunding(country: "theme:border") { windowCount } }`, "NOT_FOUND"},
		{`{ overlappingFunding(theme: "theme:nothing") { windowCount } }`, "NOT_FOUND"},
		{`{ overlappingFunding(country: "not an id") { windowCount } }`, "BAD_USER_INPUT"},
		{`{ overlappingFunding(minDonors: 1) { windowCount } }`, "BAD_USER_INPUT"},
		{`{ overlappingFunding(asOf: "2025-13-01") { windowCount } }`, "BAD_USER_INPUT"},
		{`{ overlappingFunding(period: {from: "2022-01-01", to: "2021-01-01"}) { windowCount } }`, "BAD_USER_INPUT"},
		{`{ overlappingFunding(first: 0) { windowCount } }`, "BAD_USER_INPUT"},
		{`{ missingNationalFollowUp(process: "process:nothing") { missingCount } }`, "NOT_FOUND"},
		{`{ missingNationalFollowUp(windowYears: 0) { missingCount } }`, "BAD_USER_INPUT"},
		{`{ missingNationalFollowUp(windowYears: 21) { missingCount } }`, "BAD_USER_INPUT"},
		{`{ priorityGaps(country: "XX") { countryCount } }`, "NOT_FOUND"},
		{`{ donorCoordination(country: "country:XX") { country { key } } }`, "NOT_FOUND"},
		{`{ fundingFlows(donor: "org:nothing") { linkCount } }`, "NOT_FOUND"},
		{`{ fundingFlows(levels: [DONOR]) { linkCount } }`, "BAD_USER_INPUT"},
		{`{ fundingFlows(levels: [PROJECT, DONOR]) { linkCount } }`, "BAD_USER_INPUT"},
		{`{ fundingFlows(first: 501) { linkCount } }`, "BAD_USER_INPUT"},
		{`{ neighbourhood(id: "country:XX") { truncated } }`, "NOT_FOUND"},
		{`{ neighbourhood(id: "SN", depth: 4) { truncated } }`, "BAD_USER_INPUT"},
		{`{ neighbourhood(id: "SN", depth: 0) { truncated } }`, "BAD_USER_INPUT"},
		{`{ neighbourhood(id: "SN", limit: 501) { truncated } }`, "BAD_USER_INPUT"},
		{`{ paths(from: "SN", to: "country:XX") { length } }`, "NOT_FOUND"},
		{`{ paths(from: "SN", to: "NE", maxHops: 7) { length } }`, "BAD_USER_INPUT"},
		{`{ paths(from: "SN", to: "NE", maxHops: 0) { length } }`, "BAD_USER_INPUT"},
		{`{ paths(from: "SN", to: "country:SN") { length } }`, "BAD_USER_INPUT"},
	}
	for _, c := range cases {
		if got := errorCode(t, srv, c.query); got != c.code {
			t.Errorf("%s: code %s, want %s", strings.TrimSpace(c.query), got, c.code)
		}
	}
}
