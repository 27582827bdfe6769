package iati

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// expected names a problem by its line, path and rule.
type expected struct {
	line int
	path string
	rule string
}

func findProblem(problems []Problem, want expected) bool {
	for _, p := range problems {
		if p.Line == want.line && p.Path == want.path && p.Rule == want.rule {
			return true
		}
	}
	return false
}

func assertProblems(t *testing.T, kind string, problems []Problem, wants []expected) {
	t.Helper()
	for _, want := range wants {
		if !findProblem(problems, want) {
			t.Errorf("no %s at line %d, %s (rule %s); got:\n%s", kind, want.line, want.path, want.rule, listProblems(problems))
		}
	}
}

func listProblems(problems []Problem) string {
	var b strings.Builder
	for _, p := range problems {
		b.WriteString("  " + p.String() + " [" + p.Rule + "]\n")
	}
	return b.String()
}

// writeFile writes content to a file of a temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustCheck(t *testing.T, path string, opts Options) *Report {
	t.Helper()
	report, err := Check(path, opts)
	if err != nil {
		t.Fatalf("Check(%s): %v", path, err)
	}
	return report
}

// The notices every should-pass example has: placeholder version, empty identifier and "xx"
// codes.
func placeholderNotices(versionLine, idLine, reportingLine, participantLine, statusLine, dateLine int) []expected {
	return []expected{
		{versionLine, "iati-activities/@version", "version"},
		{idLine, "iati-activity/iati-identifier", "identifier"},
		{reportingLine, "iati-activity/reporting-org/@type", "code-list"},
		{participantLine, "iati-activity/participating-org/@role", "code-list"},
		{participantLine, "iati-activity/participating-org", "unnamed-organisation"},
		{statusLine, "iati-activity/activity-status/@code", "code-list"},
		{dateLine, "iati-activity/activity-date/@type", "code-list"},
	}
}

func TestShouldPassExamplesHaveNoErrors(t *testing.T) {
	cases := map[string][]expected{
		"02-minimal-doc.xml": append(placeholderNotices(3, 5, 6, 13, 15, 16),
			expected{17, "iati-activity/activity-date/@type", "code-list"}),
		"11-hierarchy.xml": placeholderNotices(6, 9, 10, 17, 19, 20),
		"19-budget.xml": append(placeholderNotices(3, 5, 6, 13, 15, 16),
			expected{24, "iati-activity/budget/@type", "code-list"},
			expected{29, "iati-activity/budget/@type", "code-list"}),
		"21-transaction.xml": append(placeholderNotices(6, 8, 9, 16, 18, 19),
			expected{22, "iati-activity/transaction/transaction-type/@code", "code-list"},
			expected{109, "iati-activity/transaction/value/@currency", "currency"}),
		"22-participating-org.xml": append(placeholderNotices(3, 5, 6, 14, 35, 36),
			expected{17, "iati-activity/participating-org/@type", "code-list"},
			expected{30, "iati-activity/participating-org/@role", "code-list"}),
		"26-decimal-percentage.xml": append(placeholderNotices(3, 5, 6, 13, 15, 16),
			expected{19, "iati-activity/recipient-country/@code", "code-list"},
			expected{19, "iati-activity/recipient-country/@percentage", "recipient-percentages"},
			expected{20, "iati-activity/recipient-region/@vocabulary", "code-list"},
			expected{22, "iati-activity/sector/@code", "code-list"},
			expected{22, "iati-activity/sector/@percentage", "sector-percentages"}),
		"34-sector.xml": append(placeholderNotices(3, 5, 6, 13, 15, 16),
			expected{18, "iati-activity/sector/@vocabulary", "code-list"},
			expected{21, "iati-activity/sector/@code", "code-list"}),
		"41-related-activity.xml": append(placeholderNotices(3, 5, 6, 13, 15, 16),
			expected{21, "iati-activity/related-activity/@type", "code-list"},
			expected{22, "iati-activity/related-activity/@type", "code-list"}),
	}
	files, err := filepath.Glob("testdata/examples/should-pass/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no should-pass examples: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			report := mustCheck(t, path, Options{})
			if !report.OK() || len(report.Errors) > 0 {
				t.Fatalf("errors in a valid example:\n%s", listProblems(report.Errors))
			}
			if report.Activities != 1 || report.Version != "xx" || report.RulesVersion != "2.03" {
				t.Errorf("activities %d, version %q read by %q; want 1, xx, 2.03", report.Activities, report.Version, report.RulesVersion)
			}
			wants, listed := cases[filepath.Base(path)]
			if !listed {
				t.Fatalf("the example has no expected notices in this test")
			}
			assertProblems(t, "notice", report.Notices, wants)
			var activities []*Activity
			if err := Each(path, Options{}, func(a *Activity) error { activities = append(activities, a); return nil }); err != nil {
				t.Fatalf("Each: %v", err)
			}
			if len(activities) != 1 || activities[0].Identifier != "" {
				t.Errorf("Each handed out %d activities; want 1 with an empty identifier", len(activities))
			}
		})
	}
}

func TestShouldPassNoticeMessages(t *testing.T) {
	report := mustCheck(t, "testdata/examples/should-pass/26-decimal-percentage.xml", Options{})
	want := []string{
		`testdata/examples/should-pass/26-decimal-percentage.xml:5: iati-activity/iati-identifier: the activity has no identifier: it is keyed by the file name and its position and a later version cannot replace it`,
		`testdata/examples/should-pass/26-decimal-percentage.xml:22: iati-activity/sector/@code: "XX" is not on the Sector code list (vocabulary 1): the sector is kept on the project as an unmapped code`,
		`testdata/examples/should-pass/26-decimal-percentage.xml:19: iati-activity/recipient-country/@percentage: recipient-country and recipient-region percentages sum to 66.6, not 100: the shares are kept as written, not rescaled`,
		`testdata/examples/should-pass/26-decimal-percentage.xml:22: iati-activity/sector/@percentage: sector percentages of vocabulary 1 sum to 70.9999, not 100: the shares are kept as written, not rescaled`,
	}
	printed := listProblems(report.Notices)
	for _, w := range want {
		if !strings.Contains(printed, w) {
			t.Errorf("missing notice %s\ngot:\n%s", w, printed)
		}
	}
}

func TestShouldFailExamplesAreRefused(t *testing.T) {
	cases := map[string][]expected{
		"01-empty-activity.xml": {
			{7, "iati-activity/iati-identifier", "count"},
			{7, "iati-activity/reporting-org", "count"},
			{7, "iati-activity/title", "count"},
			{7, "iati-activity/participating-org", "count"},
			{7, "iati-activity/activity-status", "count"},
			{7, "iati-activity/activity-date", "count"},
		},
		"17-bad-hierarchy.xml":       {{5, "iati-activity/@hierarchy", "type"}},
		"20-two-reporting-orgs.xml":  {{9, "iati-activity/reporting-org", "count"}},
		"24-two-titles.xml":          {{13, "iati-activity/title", "count"}},
		"26-two-activity-status.xml": {{18, "iati-activity/activity-status", "count"}},
		"sector-21-sector-missing-code.xml": {
			{18, "iati-activity/sector/@code", "required"},
		},
		"transaction-01-missing-transaction-type.xml": {
			{21, "iati-activity/transaction/transaction-type", "count"},
		},
	}
	files, err := filepath.Glob("testdata/examples/should-fail/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no should-fail examples: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			report := mustCheck(t, path, Options{})
			if report.OK() {
				t.Fatalf("an invalid example has no error; notices:\n%s", listProblems(report.Notices))
			}
			wants, listed := cases[filepath.Base(path)]
			if !listed {
				t.Fatalf("the example has no expected errors in this test")
			}
			assertProblems(t, "error", report.Errors, wants)
			err := Each(path, Options{}, func(*Activity) error {
				t.Error("Each handed out an activity with errors")
				return nil
			})
			if !errors.Is(err, ErrNotClean) {
				t.Errorf("Each: %v; want ErrNotClean", err)
			}
		})
	}
}

func TestHierarchyMessage(t *testing.T) {
	report := mustCheck(t, "testdata/examples/should-fail/17-bad-hierarchy.xml", Options{})
	want := `testdata/examples/should-fail/17-bad-hierarchy.xml:5: iati-activity/@hierarchy: "string" is not an integer`
	if len(report.Errors) != 1 || report.Errors[0].String() != want {
		t.Errorf("errors:\n%s\nwant exactly: %s", listProblems(report.Errors), want)
	}
}

func float(v float64) *float64 { return &v }

func TestFullActivityIsMapped(t *testing.T) {
	const path = "testdata/full-2.03.xml"
	report := mustCheck(t, path, Options{StrictCodes: true})
	if !report.OK() || len(report.Notices) > 0 {
		t.Fatalf("a clean file has problems:\n%s%s", listProblems(report.Errors), listProblems(report.Notices))
	}
	if report.Version != "2.03" || report.RulesVersion != "2.03" || report.GeneratedDatetime != "2024-03-01T09:30:00Z" || report.Activities != 2 {
		t.Errorf("report %+v", report)
	}
	var got []*Activity
	if err := Each(path, Options{StrictCodes: true}, func(a *Activity) error { got = append(got, a); return nil }); err != nil {
		t.Fatalf("Each: %v", err)
	}
	if len(got) != 2 {
		t.Fatalf("%d activities; want 2", len(got))
	}
	humanitarian := true
	eu := []Narrative{{"en", "European Union"}}
	iom := []Narrative{{"en", "International Organization for Migration"}}
	ngo := []Narrative{{"fr", "Association nigérienne d'aide aux migrants"}}
	reporter := OrgRef{Ref: "XM-DAC-918-3", Type: "40", Names: []Narrative{{"en", "European Commission - International Partnerships"}}}
	want := &Activity{
		File:            path,
		Line:            3,
		Identifier:      "XM-DAC-918-3-PG-MIG-0001-NE",
		LastUpdated:     "2024-02-15T12:00:00+01:00",
		DefaultLang:     "en",
		DefaultCurrency: "EUR",
		Humanitarian:    &humanitarian,
		Hierarchy:       2,
		ReportingOrg:    reporter,
		Titles: []Narrative{
			{"en", "Protection and assistance for migrants along the Central Mediterranean route in Niger"},
			{"fr", "Protection et assistance aux migrants le long de la route de la Méditerranée centrale au Niger"},
		},
		Descriptions: []Description{
			{Type: "1", Narratives: []Narrative{{"en", "Direct assistance, shelter and voluntary return for stranded migrants in Agadez and Niamey."}}},
			{Type: "2", Narratives: []Narrative{{"fr", "Renforcer la gestion des migrations et la protection des migrants vulnérables."}}},
		},
		Status: "2",
		Scope:  "4",
		Dates: []ActivityDate{
			{Type: "1", ISODate: "2021-01-01"},
			{Type: "2", ISODate: "2021-02-15"},
			{Type: "3", ISODate: "2024-12-31"},
		},
		Participants: []Participant{
			{OrgRef: OrgRef{Ref: "XM-DAC-918-3", Type: "40", Names: eu}, Role: "1", Line: 18},
			{OrgRef: OrgRef{Ref: "XM-DAC-918-3", Type: "40", Names: []Narrative{{"en", "European Commission"}}}, Role: "2", Line: 21},
			{OrgRef: OrgRef{Ref: "XM-DAC-47066", Type: "40", Names: iom, ActivityID: "XM-DAC-47066-NE-2021-01"}, Role: "3", Line: 24},
			{OrgRef: OrgRef{Type: "22", Names: ngo}, Role: "4", Line: 27},
		},
		Countries: []Recipient{{Code: "NE", Percentage: float(80), Names: []Narrative{{"en", "Niger"}}, Line: 41}},
		Regions:   []Recipient{{Code: "289", Vocabulary: "1", Percentage: float(20), Line: 44}},
		Sectors: []Sector{
			{Vocabulary: "1", Code: "15190", Percentage: float(70), Names: []Narrative{{"en", "Facilitation of orderly, safe, regular and responsible migration and mobility"}}, Line: 48},
			{Vocabulary: "1", Code: "72010", Percentage: float(30), Line: 51},
			{Vocabulary: "2", Code: "151", Percentage: float(100), Line: 52},
		},
		Budgets: []Budget{
			{Type: "1", Status: "2", PeriodStart: "2021-01-01", PeriodEnd: "2021-12-31", Value: Money{4000000, "EUR", "2021-01-01"}, Line: 58},
			{Type: "2", Status: "1", PeriodStart: "2022-01-01", PeriodEnd: "2022-12-31", Value: Money{3500000.50, "EUR", "2022-01-01"}, Line: 63},
		},
		Transactions: []Transaction{
			{
				Type: "2", Date: "2021-01-20", Value: Money{10000000, "EUR", "2021-01-20"},
				Provider: &OrgRef{Ref: "XM-DAC-918-3", Type: "40", Names: eu, ActivityID: "XM-DAC-918-3-PG-MIG-0001"},
				Receiver: &OrgRef{Ref: "XM-DAC-47066", Type: "40", Names: iom, ActivityID: "XM-DAC-47066-NE-2021-01"},
				Line:     68,
			},
			{
				Type: "3", Date: "2021-03-01", Value: Money{2500000.75, "USD", "2021-03-01"},
				Receiver: &OrgRef{Type: "22", Names: ngo},
				Line:     79,
			},
		},
		Related: []RelatedActivity{
			{Type: "1", Ref: "XM-DAC-918-3-PG-MIG-0001", Line: 93},
			{Type: "2", Ref: "XM-DAC-918-3-PG-MIG-0001-NE-LOT1", Line: 94},
		},
		Tags:          []Tag{{Vocabulary: "3", Code: "10.7", Narratives: []Narrative{{"en", "Facilitate orderly, safe, regular and responsible migration"}}}},
		PolicyMarkers: []PolicyMarker{{Vocabulary: "1", Code: "1", Significance: "1"}, {Vocabulary: "1", Code: "11", Significance: "2"}},
	}
	assertActivity(t, got[0], want)

	parent := &Activity{
		File:         path,
		Line:         100,
		Identifier:   "XM-DAC-918-3-PG-MIG-0001",
		DefaultLang:  "en", // the file's language: the activity states none
		Hierarchy:    1,
		ReportingOrg: reporter,
		Titles:       []Narrative{{"en", "Migration governance in the Sahel"}},
		Descriptions: []Description{{Narratives: []Narrative{{"en", "Programme of the EU for migration governance in Niger and Libya."}}}},
		Status:       "2",
		Dates:        []ActivityDate{{Type: "2", ISODate: "2020-11-01"}},
		Participants: []Participant{{OrgRef: OrgRef{Ref: "XM-DAC-918-3", Type: "40"}, Role: "1", Line: 111}},
		Countries: []Recipient{
			{Code: "NE", Percentage: float(60), Line: 114},
			{Code: "LY", Percentage: float(40), Line: 115},
		},
		Sectors: []Sector{{Vocabulary: "1", Code: "15190", Line: 116}},
		Related: []RelatedActivity{{Type: "2", Ref: "XM-DAC-918-3-PG-MIG-0001-NE", Line: 117}},
	}
	assertActivity(t, got[1], parent)
}

// assertActivity compares field by field, so that a failure names the field.
func assertActivity(t *testing.T, got, want *Activity) {
	t.Helper()
	g, w := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := range g.NumField() {
		if !reflect.DeepEqual(g.Field(i).Interface(), w.Field(i).Interface()) {
			t.Errorf("activity at line %d, %s:\n got %s\nwant %s", want.Line, g.Type().Field(i).Name, show(g.Field(i)), show(w.Field(i)))
		}
	}
}

func show(v reflect.Value) string {
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return strings.ReplaceAll(strings.TrimSpace(formatValue(v)), "\n", " ")
}

func formatValue(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range v.Len() {
			parts[i] = show(v.Index(i))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case reflect.Struct:
		parts := make([]string, v.NumField())
		for i := range v.NumField() {
			parts[i] = v.Type().Field(i).Name + ":" + show(v.Field(i))
		}
		return "{" + strings.Join(parts, " ") + "}"
	default:
		return strings.TrimSpace(strings.Trim(reflect.ValueOf(v.Interface()).String(), "<>"))
	}
}

// minimalActivity is a clean activity with real codes; %s is replaced by extra elements.
const minimalActivity = `
  <iati-activity default-currency="EUR">
    <iati-identifier>%ID%</iati-identifier>
    <reporting-org ref="XM-DAC-918-3" type="40"><narrative>European Commission</narrative></reporting-org>
    <title><narrative>Migrant protection</narrative></title>
    <description><narrative>Protection of migrants.</narrative></description>
    <participating-org ref="XM-DAC-47066" role="4"/>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="2021-01-01"/>
%EXTRA%
  </iati-activity>`

func activityXML(id, extra string) string {
	return strings.NewReplacer("%ID%", id, "%EXTRA%", extra).Replace(minimalActivity)
}

func fileXML(rootAttrs string, activities ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<iati-activities ` + rootAttrs + `>` + strings.Join(activities, "") + `
</iati-activities>
`
}

func TestVersions201And202AreRead(t *testing.T) {
	for _, version := range []string{"2.01", "2.02"} {
		t.Run(version, func(t *testing.T) {
			path := writeFile(t, "v.xml", fileXML(`version="`+version+`"`, activityXML(" XM-DAC-918-3-A1 ", "")))
			report := mustCheck(t, path, Options{})
			if !report.OK() || len(report.Notices) > 0 || report.Version != version || report.RulesVersion != version {
				t.Fatalf("report %+v:\n%s%s", report, listProblems(report.Errors), listProblems(report.Notices))
			}
			var ids []string
			if err := Each(path, Options{}, func(a *Activity) error { ids = append(ids, a.Identifier); return nil }); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids, []string{"XM-DAC-918-3-A1"}) {
				t.Errorf("identifiers %q", ids)
			}
		})
	}
}

func TestVersion1IsRefusedWithOneError(t *testing.T) {
	// A 1.05 file also breaks 2.x rules (no narratives); only the version is reported.
	path := writeFile(t, "old.xml", `<?xml version="1.0"?>
<iati-activities version="1.05" generated-datetime="2014-01-01T00:00:00">
  <iati-activity>
    <iati-identifier>GB-1-12345</iati-identifier>
    <reporting-org ref="GB-1" type="10">DFID</reporting-org>
    <title>Old</title>
  </iati-activity>
</iati-activities>`)
	report := mustCheck(t, path, Options{})
	if len(report.Errors) != 1 || len(report.Notices) != 0 {
		t.Fatalf("want exactly one error:\n%s%s", listProblems(report.Errors), listProblems(report.Notices))
	}
	want := path + `:2: iati-activities/@version: "1.05": IATI 1.x files are not read; convert the file to version 2.03`
	if got := report.Errors[0].String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if err := Each(path, Options{}, func(*Activity) error { return nil }); !errors.Is(err, ErrNotClean) {
		t.Errorf("Each: %v; want ErrNotClean", err)
	}
}

func TestMissingOrUnknownVersionIsANotice(t *testing.T) {
	path := writeFile(t, "nov.xml", fileXML(``, activityXML("XM-DAC-918-3-A1", "")))
	report := mustCheck(t, path, Options{})
	if !report.OK() || report.RulesVersion != "2.03" {
		t.Fatalf("errors:\n%s", listProblems(report.Errors))
	}
	assertProblems(t, "notice", report.Notices, []expected{{2, "iati-activities/@version", "version"}})
}

func TestNotAnActivityFileIsRefused(t *testing.T) {
	path := writeFile(t, "org.xml", `<?xml version="1.0"?>
<iati-organisations version="2.03">
  <iati-organisation/>
</iati-organisations>`)
	report := mustCheck(t, path, Options{})
	assertProblems(t, "error", report.Errors, []expected{{2, "iati-organisations", "root"}})
	if len(report.Errors) != 1 {
		t.Errorf("errors:\n%s", listProblems(report.Errors))
	}
}

func TestMalformedXMLIsAnErrorWithItsLine(t *testing.T) {
	path := writeFile(t, "bad.xml", fileXML(`version="2.03"`,
		activityXML("XM-DAC-918-3-A1", ""),
		"\n  <iati-activity>\n    <iati-identifier>XM-DAC-918-3-A2</iati-identifer>\n  </iati-activity>"))
	report := mustCheck(t, path, Options{})
	if report.OK() {
		t.Fatal("a malformed file has no error")
	}
	last := report.Errors[len(report.Errors)-1]
	if last.Line != 14 || last.Rule != "xml" || !strings.Contains(last.Message, "malformed XML") {
		t.Errorf("got %s; want the malformed XML at line 16", last)
	}
	if report.Activities != 1 {
		t.Errorf("activities read before the break: %d; want 1", report.Activities)
	}
}

func TestEmptyAndNonUTF8FilesAreRefused(t *testing.T) {
	empty := mustCheck(t, writeFile(t, "empty.xml", ""), Options{})
	assertProblems(t, "error", empty.Errors, []expected{{1, "", "root"}})

	noActivity := mustCheck(t, writeFile(t, "none.xml", fileXML(`version="2.03"`)), Options{})
	assertProblems(t, "error", noActivity.Errors, []expected{{1, "iati-activities/iati-activity", "count"}})

	latin := mustCheck(t, writeFile(t, "latin.xml", `<?xml version="1.0" encoding="ISO-8859-1"?><iati-activities version="2.03"/>`), Options{})
	if len(latin.Errors) != 1 || !strings.Contains(latin.Errors[0].Message, "only UTF-8") {
		t.Errorf("errors:\n%s", listProblems(latin.Errors))
	}
}

func TestEachHandsOutNothingAfterAFileError(t *testing.T) {
	path := writeFile(t, "gen.xml", fileXML(`version="2.03" generated-datetime="March 2024"`, activityXML("A1", "")))
	err := Each(path, Options{}, func(*Activity) error {
		t.Error("an activity was handed out from a file with an error")
		return nil
	})
	if !errors.Is(err, ErrNotClean) || !strings.Contains(err.Error(), "iati-activities/@generated-datetime") {
		t.Errorf("Each: %v; want ErrNotClean for the generated-datetime", err)
	}
}

func TestSecondRootIsRefused(t *testing.T) {
	path := writeFile(t, "two-roots.xml", fileXML(`version="2.03"`, activityXML("A1", ""))+`<iati-activities version="1.05"/>`)
	report := mustCheck(t, path, Options{})
	assertProblems(t, "error", report.Errors, []expected{{14, "iati-activities", "root"}})
	if report.Version != "2.03" || len(report.Errors) != 1 {
		t.Errorf("version %q, errors:\n%s", report.Version, listProblems(report.Errors))
	}
}

func TestMissingFileIsAnIOError(t *testing.T) {
	if _, err := Check(filepath.Join(t.TempDir(), "absent.xml"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Check: %v; want a not-exist error", err)
	}
}

func TestEveryProblemOfAFileIsReported(t *testing.T) {
	bad := `    <recipient-country code="AN" percentage="120"/>
    <recipient-region code="289" percentage="abc"/>
    <sector code="11321" percentage="40"/>
    <sector vocabulary="2" code="151" percentage="50"/>
    <sector vocabulary="2" code="152"/>
    <budget>
      <period-start iso-date="2021-01-01"/>
      <value currency="BYR">100</value>
    </budget>
    <transaction>
      <transaction-type code="3"/>
      <transaction-date iso-date="2021-13-01"/>
      <value value-date="2021-02-01">1,000.00</value>
    </transaction>
    <transaction>
      <transaction-type code="2"/>
      <transaction-date iso-date="2021-02-01"/>
      <receiver-org/>
    </transaction>
    <related-activity ref="XM-DAC-918-3-A0"/>`
	noCurrency := strings.Replace(activityXML("XM-DAC-918-3-A3", `    <budget>
      <period-start iso-date="2021-01-01"/>
      <period-end iso-date="2021-12-31"/>
      <value value-date="2021-01-01">100</value>
    </budget>`), ` default-currency="EUR"`, ` last-updated-datetime="yesterday" humanitarian="yes"`, 1)
	path := writeFile(t, "many.xml", fileXML(`version="2.03" generated-datetime="2024-03-01"`,
		activityXML("XM-DAC-918-3-A1", bad),
		activityXML("XM-DAC-918-3-A1", ""),
		noCurrency,
	))
	report := mustCheck(t, path, Options{})
	assertProblems(t, "error", report.Errors, []expected{
		{2, "iati-activities/@generated-datetime", "type"},
		{11, "iati-activity/recipient-country/@percentage", "type"},
		{12, "iati-activity/recipient-region/@percentage", "type"},
		{16, "iati-activity/budget/period-end", "count"},
		{18, "iati-activity/budget/value/@value-date", "required"},
		{22, "iati-activity/transaction/transaction-date/@iso-date", "type"},
		{23, "iati-activity/transaction/value", "type"},
		{25, "iati-activity/transaction/value", "count"},
		{30, "iati-activity/related-activity/@type", "required"},
		{33, "iati-activity/iati-identifier", "duplicate-identifier"},
		{42, "iati-activity/@last-updated-datetime", "type"},
		{42, "iati-activity/@humanitarian", "type"},
	})
	assertProblems(t, "notice", report.Notices, []expected{
		{11, "iati-activity/recipient-country/@code", "withdrawn-code"},
		{13, "iati-activity/sector/@code", "withdrawn-code"},
		{13, "iati-activity/sector/@percentage", "sector-percentages"},
		{14, "iati-activity/sector/@percentage", "sector-percentages"},
		{18, "iati-activity/budget/value/@currency", "withdrawn-code"},
		{28, "iati-activity/transaction/receiver-org", "unnamed-organisation"},
		{53, "iati-activity/budget/value/@currency", "currency"},
	})
	if report.Activities != 3 || report.ErrorCount != len(report.Errors) || report.NoticeCount != len(report.Notices) {
		t.Errorf("activities %d, errors %d/%d, notices %d/%d", report.Activities, len(report.Errors), report.ErrorCount, len(report.Notices), report.NoticeCount)
	}
	if len(report.Errors) != 12 {
		t.Errorf("%d errors; want the 12 above:\n%s", len(report.Errors), listProblems(report.Errors))
	}
	dup := report.Errors[slicesIndex(report.Errors, "duplicate-identifier")]
	if !strings.HasSuffix(dup.String(), `iati-activity/iati-identifier: "XM-DAC-918-3-A1" is already the identifier of the activity at line 4`) {
		t.Errorf("duplicate: %s", dup)
	}
}

func slicesIndex(problems []Problem, rule string) int {
	for i, p := range problems {
		if p.Rule == rule {
			return i
		}
	}
	return -1
}

func TestProblemsBeyondTheLimitAreCounted(t *testing.T) {
	var activities []string
	for i := range 30 {
		activities = append(activities, activityXML("", `    <sector code="99999`+strings.Repeat("9", i%3)+`"/>`))
	}
	path := writeFile(t, "repeat.xml", fileXML(`version="2.03"`, activities...))
	report := mustCheck(t, path, Options{MaxProblems: 10})
	if len(report.Notices) != 10 || report.NoticeCount != 60 || !report.OK() {
		t.Errorf("kept %d notices of %d; want 10 of 60", len(report.Notices), report.NoticeCount)
	}
}

func TestStrictCodesTurnsUnknownCodesIntoErrors(t *testing.T) {
	path := "testdata/examples/should-pass/34-sector.xml"
	lenient := mustCheck(t, path, Options{})
	strict := mustCheck(t, path, Options{StrictCodes: true})
	if !lenient.OK() || strict.OK() {
		t.Fatalf("lenient errors %d, strict errors %d", lenient.ErrorCount, strict.ErrorCount)
	}
	assertProblems(t, "error", strict.Errors, []expected{
		{18, "iati-activity/sector/@vocabulary", "code-list"},
		{21, "iati-activity/sector/@code", "code-list"},
		{15, "iati-activity/activity-status/@code", "code-list"},
	})
	for _, p := range strict.Notices {
		if p.Rule == "code-list" {
			t.Errorf("an unknown code is still a notice: %s", p)
		}
	}
	if err := Each(path, Options{StrictCodes: true}, func(*Activity) error { return nil }); !errors.Is(err, ErrNotClean) {
		t.Errorf("Each: %v; want ErrNotClean", err)
	}
}

func TestEachReturnsTheCallbacksError(t *testing.T) {
	path := writeFile(t, "two.xml", fileXML(`version="2.03"`, activityXML("A1", ""), activityXML("A2", "")))
	stop := errors.New("graph unavailable")
	calls := 0
	err := Each(path, Options{}, func(*Activity) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 || !strings.Contains(err.Error(), "two.xml:3") {
		t.Errorf("Each: %v after %d calls; want the callback's error once, with the activity's place", err, calls)
	}
}

func TestCodeLists(t *testing.T) {
	codes, err := LoadCodes()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ActivityDateType", "ActivityScope", "ActivityStatus", "AidType", "BudgetType", "Country", "Currency",
		"FinanceType", "FlowType", "OrganisationRole", "OrganisationType", "Region", "RegionVocabulary",
		"RelatedActivityType", "Sector", "SectorCategory", "SectorVocabulary", "TagVocabulary", "TransactionType"}
	if got := codes.Lists(); !reflect.DeepEqual(got, want) {
		t.Errorf("lists %q", got)
	}
	checks := []struct {
		list, code, name string
		withdrawn        bool
	}{
		{"Sector", "15190", "Facilitation of orderly, safe, regular and responsible migration and mobility", false},
		{"OrganisationRole", "4", "Implementing", false},
		{"Country", "NE", "Niger (the)", false},
		{"Country", "AN", "NETHERLAND ANTILLES", true},
		{"Currency", "EUR", "Euro", false},
		{"TransactionType", "3", "Disbursement", false},
	}
	for _, c := range checks {
		if !codes.Has(c.list, c.code) || codes.Name(c.list, c.code) != c.name || codes.Withdrawn(c.list, c.code) != c.withdrawn {
			t.Errorf("%s %s: has %v, name %q, withdrawn %v", c.list, c.code, codes.Has(c.list, c.code), codes.Name(c.list, c.code), codes.Withdrawn(c.list, c.code))
		}
	}
	if codes.Has("Sector", "xx") || codes.Has("NoSuchList", "1") {
		t.Error("unknown codes found")
	}
}
