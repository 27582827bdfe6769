package dataset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestCuratedDatasetIsValid(t *testing.T) {
	d, err := Read(seedDir)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, n := range d.Nodes {
		kinds[n.Kind]++
	}
	// Every kind the API serves is present in the curated data.
	for _, k := range []string{KindSource, KindCountry, KindOrganisation, KindRegionalProcess, KindInstrument, KindProject} {
		if kinds[k] == 0 {
			t.Errorf("curated dataset has no %s", k)
		}
	}
	// Every fact-bearing node and relationship names at least one source.
	for _, n := range d.Nodes {
		if n.Kind != KindSource && len(n.Props["sourceIds"].([]string)) == 0 {
			t.Errorf("%s has no source", n.Props["id"])
		}
	}
	for _, r := range d.Rels {
		if len(r.Props["sourceIds"].([]string)) == 0 {
			t.Errorf("%s %s->%s has no source", r.Type, r.From, r.To)
		}
	}
}

func TestFileSpecsHaveDistinctColumns(t *testing.T) {
	for _, spec := range fileSpecs {
		cols := spec.columns
		if spec.facts {
			cols = append(append([]column{}, cols...), sourceColumns...)
		}
		seen := map[string]bool{}
		for _, c := range cols {
			if seen[c.name] {
				t.Errorf("%s: column %q twice", spec.file, c.name)
			}
			seen[c.name] = true
		}
	}
}

// copyFixture copies the curated seed files to a temporary folder and applies edit to one file.
func copyFixture(t *testing.T, file string, edit func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(seedDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(seedDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		content := string(b)
		if e.Name() == file {
			edited := edit(content)
			if edited == content {
				t.Fatalf("edit of %s changed nothing", file)
			}
			content = edited
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestInvalidSeedNamesFileLineAndField(t *testing.T) {
	cases := []struct {
		name, file string
		edit       func(string) string
		want       string // expected problem, after the temp folder path
	}{
		{"bad iso3", "countries.csv", func(s string) string {
			return strings.Replace(s, "SN,SEN,Senegal", "SN,SE,Senegal", 1)
		}, `countries.csv:%d: field "iso3": "SE" does not match`},
		{"bad enum", "projects.csv", func(s string) string {
			return strings.Replace(s, "project:prottasha,,Prottasha: sustainable reintegration and improved migration governance in Bangladesh,\"EU-funded project carried out by IOM with BRAC; supported the reintegration of 3,000 returnees.\",CLOSED",
				"project:prottasha,,Prottasha: sustainable reintegration and improved migration governance in Bangladesh,\"EU-funded project carried out by IOM with BRAC; supported the reintegration of 3,000 returnees.\",DONE", 1)
		}, `projects.csv:%d: field "activity_status": want one of PIPELINE`},
		{"bad date", "fundings.csv", func(s string) string {
			return strings.Replace(s, "20000000,EUR,2023-07-01", "20000000,EUR,2023-02-30", 1)
		}, `fundings.csv:%d: field "amount_as_of": "2023-02-30" is not a calendar date`},
		{"bad number", "fundings.csv", func(s string) string {
			return strings.Replace(s, "20000000,EUR,2023-07-01", "20 million,EUR,2023-07-01", 1)
		}, `fundings.csv:%d: field "amount": want a number`},
		{"unknown reference", "targets.csv", func(s string) string {
			return strings.Replace(s, "project:prottasha,BD", "project:prottasha,QQ", 1)
		}, `targets.csv:%d: field "country": country:QQ is not defined in any seed file`},
		{"wrong kind of reference", "fundings.csv", func(s string) string {
			return strings.Replace(s, "org:ec,project:prottasha,", "process:rabat,project:prottasha,", 1)
		}, `fundings.csv:%d: field "donor": process:rabat is of kind RegionalProcess; want kind Organisation`},
		{"unknown source", "countries.csv", func(s string) string {
			return strings.Replace(s, "SN,SEN,Senegal,Africa,Western Africa,OTHER,,source:iso-3166", "SN,SEN,Senegal,Africa,Western Africa,OTHER,,source:nowhere", 1)
		}, `countries.csv:%d: field "source": source:nowhere is not defined in any seed file`},
		{"bad status letter", "processes.csv", func(s string) string {
			return strings.Replace(s, "participating states and thematic areas,V", "participating states and thematic areas,X", 1)
		}, `processes.csv:%d: field "status": want V (verified), W (weak) or U (unverified), got "X"`},
		{"duplicate id", "organisations.csv", func(s string) string {
			return strings.Replace(s, "org:unodc,", "org:iom,", 1)
		}, `organisations.csv:%d: field "id": id org:iom is already used (kind Organisation)`},
		{"missing required", "countries.csv", func(s string) string {
			return strings.Replace(s, "SN,SEN,Senegal,Africa", "SN,SEN,,Africa", 1)
		}, `countries.csv:%d: field "name": is required`},
		{"unknown column", "targets.csv", func(s string) string {
			return strings.Replace(s, "project,country,share,", "project,country,percent,", 1)
		}, `targets.csv:1: field "percent": unknown column`},
		{"wrong field count", "sources.csv", func(s string) string {
			return strings.Replace(s, "source:iso-3166,ISO 3166-1 country codes,", "source:iso-3166,ISO 3166-1 country codes,,,", 1)
		}, `sources.csv:%d: wrong number of fields`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyFixture(t, tc.file, tc.edit)
			_, err := Read(dir)
			var invalid *InvalidError
			if !errors.As(err, &invalid) {
				t.Fatalf("want *InvalidError, got %v", err)
			}
			line := lineOfChange(t, filepath.Join(seedDir, tc.file), filepath.Join(dir, tc.file))
			want := tc.want
			if strings.Contains(want, "%d") {
				want = strings.Replace(want, "%d", itoa(line), 1)
			}
			want = filepath.Join(dir, want)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error does not contain %q:\n%v", want, err)
			}
			if !strings.Contains(err.Error(), "nothing was written") {
				t.Errorf("error does not say that nothing was written: %v", err)
			}
		})
	}
}

func TestUnknownFileIsNamed(t *testing.T) {
	dir := copyFixture(t, "targets.csv", func(s string) string { return s + "\n" })
	if err := os.Rename(filepath.Join(dir, "targets.csv"), filepath.Join(dir, "target.csv")); err != nil {
		t.Fatal(err)
	}
	_, err := Read(dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "target.csv")+": unknown seed file") {
		t.Fatalf("want the misspelt file named, got %v", err)
	}
}

func TestMissingFileReadsAsEmpty(t *testing.T) {
	dir := copyFixture(t, "project_follow_ups.csv", func(s string) string { return s + "\n" })
	if err := os.Remove(filepath.Join(dir, "project_follow_ups.csv")); err != nil {
		t.Fatal(err)
	}
	d, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range d.Rels {
		if r.Type == RelFollowsUp {
			t.Fatalf("follow-up relationship read from a missing file: %+v", r)
		}
	}
}

// lineOfChange returns the first line (1-based) where two files differ.
func lineOfChange(t *testing.T, a, b string) int {
	t.Helper()
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	al, bl := strings.Split(string(ab), "\n"), strings.Split(string(bb), "\n")
	for i := range al {
		if i >= len(bl) || al[i] != bl[i] {
			return i + 1
		}
	}
	return len(al) + 1
}

func itoa(n int) string { return strconv.Itoa(n) }

// seedDir is the curated dataset, relative to this package.
const seedDir = "../../seed/data"

func TestAliasFileAddsAliasesAndRefusesAmbiguousOnes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("sources.csv", "id,title\nsource:s,S\n")
	write("organisations.csv", "id,name,short_name,kind,aliases,source,status\n"+
		"org:iom,International Organization for Migration,IOM,INTERNATIONAL_ORGANISATION,UN Migration,source:s,V\n"+
		"org:giz,Deutsche Gesellschaft für Internationale Zusammenarbeit,GIZ,GOVERNMENT_AGENCY,,source:s,V\n")
	write("organisation_aliases.csv", "# spellings\norganisation,alias,source,locator,status\n"+
		"org:iom,OIM,source:s,names,W\n"+
		"org:iom,Organisation internationale pour les migrations,source:s,names,W\n")
	d, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range d.Nodes {
		if n.Props["id"] == "org:iom" {
			got := fmt.Sprint(n.Props["aliases"])
			if got != "[UN Migration OIM Organisation internationale pour les migrations]" {
				t.Errorf("org:iom aliases = %s", got)
			}
		}
	}
	write("organisation_aliases.csv", "organisation,alias,source,locator,status\n"+
		"org:iom,un  migration,source:s,,W\n"+
		"org:giz,OIM,source:s,,W\n"+
		"org:iom,oim,source:s,,W\n"+
		"org:nobody,X,source:s,,W\n")
	_, err = Read(dir)
	var invalid *InvalidError
	if !errors.As(err, &invalid) {
		t.Fatalf("err = %v", err)
	}
	path := filepath.Join(dir, "organisation_aliases.csv")
	for _, want := range []string{
		path + `:2: field "alias": org:iom already answers to "un  migration"`,
		path + `:4: field "alias": "oim" is already a name of org:giz`,
		path + `:5: field "organisation": org:nobody is not defined`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestNameKey(t *testing.T) {
	for in, want := range map[string]string{
		"Söderköping Process":           "soderkoping process",
		"  Agence Française  de Dév.  ": "agence francaise de dev",
		"CARE ":                         "care",
		"Auswärtiges Amt. (DE Federal)": "auswartiges amt de federal",
	} {
		if got := NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", in, got, want)
		}
	}
}
