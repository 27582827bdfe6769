package eutf

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/iati"
)

func readExport(t *testing.T) *Result {
	t.Helper()
	res, err := Read(exportDir)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func activity(t *testing.T, res *Result, id string) iati.Activity {
	t.Helper()
	for _, a := range res.Activities {
		if a.Identifier == id {
			return a
		}
	}
	t.Fatalf("no activity %s", id)
	return iati.Activity{}
}

func TestExportReadsWithoutProblems(t *testing.T) {
	res := readExport(t)
	if len(res.Problems) != 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	seen := map[string]bool{}
	for _, a := range res.Activities {
		if a.Identifier == "" || a.Identifier != strings.ToUpper(a.Identifier) {
			t.Errorf("line %d: identifier %q is not canonical", a.Line, a.Identifier)
		}
		if seen[a.Identifier] {
			t.Errorf("identifier %s handed out twice", a.Identifier)
		}
		seen[a.Identifier] = true
		if a.DefaultCurrency != "EUR" || a.ReportingOrg.Names[0].Text != FundName || a.Status != "" {
			t.Errorf("%s: currency %q, reporting org %v, status %q", a.Identifier, a.DefaultCurrency, a.ReportingOrg, a.Status)
		}
	}
	if len(res.Notices) == 0 {
		t.Error("the export has known gaps, yet no notice")
	}
}

func TestActivityIsFilledAsIATI(t *testing.T) {
	res := readExport(t)
	a := activity(t, res, "T05-EUTF-NOA-REG-14-01")
	if a.File != filepath.Join(exportDir, ProjectsFile) || a.Line != 2 || a.Hierarchy != contractLevel {
		t.Errorf("file %s line %d hierarchy %d", a.File, a.Line, a.Hierarchy)
	}
	wantDates := []iati.ActivityDate{{Type: startDateType, ISODate: "2021-01-01"}, {Type: endDateType, ISODate: "2022-12-31"}}
	if !slices.Equal(a.Dates, wantDates) {
		t.Errorf("dates %v, want %v", a.Dates, wantDates)
	}
	if len(a.Budgets) != 1 || a.Budgets[0].Value != (iati.Money{Amount: 3700000, Currency: "EUR"}) ||
		a.Budgets[0].PeriodStart != "2021-01-01" || a.Budgets[0].PeriodEnd != "2022-12-31" {
		t.Errorf("budgets %+v", a.Budgets)
	}
	if len(a.Tags) != 1 || a.Tags[0].Code != "TFP.3" || a.Tags[0].Vocabulary != "99" || a.Tags[0].Narratives[0].Text != "Improved migration management" {
		t.Errorf("tags %+v", a.Tags)
	}
	if !slices.Equal(a.Related, []iati.RelatedActivity{{Type: "1", Ref: "T05-EUTF-NOA-REG-14", Line: 2}}) {
		t.Errorf("related %+v", a.Related)
	}
	roles := map[string][]string{}
	for _, p := range a.Participants {
		roles[p.Role] = append(roles[p.Role], p.Names[0].Text+" ("+p.Type+")")
	}
	if !slices.Equal(roles["4"], []string{"United Nations High Commissioner for Refugees (21)"}) || len(roles["1"]) != 1 {
		t.Errorf("participants %v", roles)
	}

	// A mixed-case identifier is read in upper case, with a notice.
	activity(t, res, "T05-EUTF-SAH-TD-01-10")
	if !hasNotice(res, "iati_id", `"T05-Eutf-SAH-TD-01-10" is written in mixed case`) {
		t.Error("no notice for the mixed-case identifier")
	}
	// Shares come from the recipients file.
	reg := activity(t, res, "T05-EUTF-HOA-REG-09-01")
	if len(reg.Countries) != 8 || reg.Countries[0].Percentage == nil || *reg.Countries[0].Percentage != 21.3 {
		t.Errorf("countries %+v", reg.Countries)
	}
}

func TestNamesWithCommasAreSplitAtKnownNames(t *testing.T) {
	r := &reader{organisations: map[string]*organisation{}}
	for _, name := range []string{"Sahan Research", "International Migration Institute, University of Oxford", "CARE", "Action Contre la Faim", "Foreign Affairs, Trade and Development Canada"} {
		r.organisations[name] = &organisation{name: name}
	}
	names, unknown := r.splitNames("Sahan Research, International Migration Institute, University of Oxford, CARE , Action Contre la Faim,")
	if !slices.Equal(names, []string{"Sahan Research", "International Migration Institute, University of Oxford", "CARE", "Action Contre la Faim"}) || unknown != nil {
		t.Errorf("names %q, unknown %q", names, unknown)
	}
	names, unknown = r.splitNames("Foreign Affairs, Trade and Development Canada , Nobody, Inc")
	if !slices.Equal(names, []string{"Foreign Affairs, Trade and Development Canada"}) || !slices.Equal(unknown, []string{"Nobody", "Inc"}) {
		t.Errorf("names %q, unknown %q", names, unknown)
	}
}

func hasNotice(res *Result, field, text string) bool {
	return slices.ContainsFunc(res.Notices, func(p dataset.Problem) bool {
		return p.Field == field && strings.Contains(p.Msg, text)
	})
}

// brokenCopy copies the export to a temporary folder, replacing the given texts in one file.
func brokenCopy(t *testing.T, file string, replacements ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{ProjectsFile, OrganisationsFile, RecipientsFile, ConsolidatedFile} {
		b, err := os.ReadFile(filepath.Join(exportDir, name))
		if err != nil {
			t.Fatal(err)
		}
		content := string(b)
		if name == file {
			for i := 0; i+1 < len(replacements); i += 2 {
				edited := strings.Replace(content, replacements[i], replacements[i+1], 1)
				if edited == content {
					t.Fatalf("%q is not in %s", replacements[i], name)
				}
				content = edited
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func problemsOf(t *testing.T, dir string) []string {
	t.Helper()
	res, err := Read(dir)
	var invalid *InvalidError
	if !errors.As(err, &invalid) {
		t.Fatalf("error %v, want *InvalidError", err)
	}
	if res == nil || len(res.Problems) != len(invalid.Problems) {
		t.Fatal("the result with its problems is not returned with the error")
	}
	var out []string
	for _, p := range invalid.Problems {
		out = append(out, strings.TrimPrefix(p.String(), dir+string(filepath.Separator)))
	}
	return out
}

func TestEveryProblemOfAFileIsReportedWithFileLineAndField(t *testing.T) {
	dir := brokenCopy(t, ProjectsFile,
		`2021-01-01,2022-12-31,3700000`, `2021-13-01,2022-12-31,3.7 million`, // line 2
		`"T05-EUTF-NOA-REG-13-01","CTR"`, `"","CTR"`, // line 5: content but no identifier
		`"T05-EUTF-NOA-REG-08-05","CTR"`, `"T05-EUTF-NOA-REG-08-05","PRJ"`,
	)
	got := problemsOf(t, dir)
	want := []string{
		`EUTF_projects_akvo.csv:2: field "date_start": "2021-13-01" is not a date (YYYY-MM-DD)`,
		`EUTF_projects_akvo.csv:2: field "budget": "3.7 million" is not an amount`,
		`EUTF_projects_akvo.csv:5: field "iati_id": no identifier`,
		`EUTF_projects_akvo.csv:6: field "prefix": "PRJ" is neither DEC nor CTR`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestProblemsOfTheOtherFiles(t *testing.T) {
	cases := []struct {
		file         string
		replacements []string
		want         []string
	}{
		{RecipientsFile, []string{`"4","T05-Eutf-SAH-TD-01-10",892000,"TD",`, `"4","T05-Eutf-SAH-TD-01-10",892k,"Chad",120`},
			[]string{
				`EUTF_akvo_recipients.csv:5: field "budget": "892k" is not an amount`,
				`EUTF_akvo_recipients.csv:5: field "recipient_country": "Chad" is not an ISO 3166 alpha-2 code`,
				`EUTF_akvo_recipients.csv:5: field "recipient_percentage": "120" is not a percentage above 0 and up to 100`,
			}},
		{OrganisationsFile, []string{"name,type,", "name,kind,"},
			[]string{`EUTF_akvo_orgs.csv:1: header is "name,kind,funding,accountable,extending,implementing"; want "name,type,funding,accountable,extending,implementing"`}},
		{OrganisationsFile, []string{"748 Air Services Ltd,70,0,0,0,1", "748 Air Services Ltd,7,0,0,0,one"},
			[]string{
				`EUTF_akvo_orgs.csv:2: field "type": "7" is not an IATI OrganisationType code`,
				`EUTF_akvo_orgs.csv:2: field "implementing": "one" is not a count`,
			}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			got := problemsOf(t, brokenCopy(t, c.file, c.replacements...))
			if !slices.Equal(got, c.want) {
				t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
