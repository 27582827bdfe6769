package analysis

import (
	"fmt"
	"testing"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

func str(s string) *string { return &s }

func amount(text string) *model.Decimal {
	d, err := model.ParseDecimal(text)
	if err != nil {
		panic(err)
	}
	return &d
}

func project(key, start, end string, donors ...string) TargetedProject {
	p := TargetedProject{Country: "country:AA", Project: key, Scope: model.ProjectScopeNational, Themes: []string{"theme:t"}}
	if start != "" {
		p.Start = str(start)
	}
	if end != "" {
		p.End = str(end)
	}
	for _, d := range donors {
		p.Fundings = append(p.Fundings, Funding{Donor: d, Amount: amount("100"), Hundredths: hundredths(10000), Currency: str("EUR")})
	}
	return p
}

func windowsOf(r *model.FundingOverlapReport) string {
	out := ""
	for _, w := range r.Windows {
		out += fmt.Sprintf("[%s %s %d]", w.From, w.To, len(w.Donors))
	}
	return out
}

func day(s string) Day {
	d, err := ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestOverlapRules(t *testing.T) {
	asOf := day("2025-06-30")
	cases := []struct {
		name  string
		facts []TargetedProject
		min   int
		want  string
	}{
		{"overlapping periods", []TargetedProject{project("p1", "2020-01-01", "2020-12-31", "a"), project("p2", "2020-06-01", "2021-06-30", "b")}, 2, "[2020-06-01 2020-12-31 2]"},
		{"one shared day counts", []TargetedProject{project("p1", "2020-01-01", "2020-06-30", "a"), project("p2", "2020-06-30", "2020-12-31", "b")}, 2, "[2020-06-30 2020-06-30 2]"},
		{"touching without a shared day", []TargetedProject{project("p1", "2020-01-01", "2020-06-29", "a"), project("p2", "2020-06-30", "2020-12-31", "b")}, 2, ""},
		{"co-funded single project", []TargetedProject{project("p1", "2020-01-01", "2020-12-31", "a", "b")}, 2, ""},
		{"same donor twice", []TargetedProject{project("p1", "2020-01-01", "2020-12-31", "a"), project("p2", "2020-01-01", "2020-12-31", "a")}, 2, ""},
		{"same donor set twice", []TargetedProject{project("p1", "2020-01-01", "2020-12-31", "a", "b"), project("p2", "2020-01-01", "2020-12-31", "a", "b")}, 2, ""},
		{"different donor sets", []TargetedProject{project("p1", "2020-01-01", "2020-12-31", "a", "b"), project("p2", "2020-03-01", "2020-03-31", "a")}, 2, "[2020-03-01 2020-03-31 2]"},
		{"open end runs to asOf", []TargetedProject{project("p1", "2025-01-01", "", "a"), project("p2", "2025-06-01", "2026-12-31", "b")}, 2, "[2025-06-01 2025-06-30 2]"},
		{"open end starting after asOf", []TargetedProject{project("p1", "2025-07-01", "", "a"), project("p2", "2025-06-01", "2026-12-31", "b")}, 2, ""},
		{"no start date", []TargetedProject{project("p1", "", "2020-12-31", "a"), project("p2", "2020-01-01", "2020-12-31", "b")}, 2, ""},
		{"no donor", []TargetedProject{project("p1", "2020-01-01", "2020-12-31"), project("p2", "2020-01-01", "2020-12-31", "b")}, 2, ""},
		{"windows merge across a change of projects", []TargetedProject{
			project("p1", "2020-01-01", "2020-12-31", "a"), project("p2", "2020-06-01", "2020-08-31", "b"), project("p3", "2020-09-01", "2020-10-31", "c"),
		}, 2, "[2020-06-01 2020-10-31 3]"},
		{"a gap splits windows", []TargetedProject{
			project("p1", "2020-01-01", "2020-12-31", "a"), project("p2", "2020-06-01", "2020-07-31", "b"), project("p3", "2020-09-01", "2020-10-31", "c"),
		}, 2, "[2020-06-01 2020-07-31 2][2020-09-01 2020-10-31 2]"},
		{"three donors needed", []TargetedProject{
			project("p1", "2020-01-01", "2020-12-31", "a"), project("p2", "2020-06-01", "2020-12-31", "b"), project("p3", "2020-09-01", "2021-10-31", "c"),
		}, 3, "[2020-09-01 2020-12-31 3]"},
	}
	for _, c := range cases {
		got := windowsOf(Overlaps(c.facts, OverlapQuery{MinDonors: c.min, AsOf: asOf, First: 100}))
		if got != c.want {
			t.Errorf("%s: windows %q, want %q", c.name, got, c.want)
		}
	}
}

func TestOverlapPeriodCutsWindows(t *testing.T) {
	from, to := day("2020-07-01"), day("2020-07-31")
	r := Overlaps([]TargetedProject{project("p1", "2020-01-01", "2020-12-31", "a"), project("p2", "2020-06-01", "2021-06-30", "b")},
		OverlapQuery{MinDonors: 2, AsOf: day("2025-01-01"), From: &from, To: &to, First: 100})
	if got := windowsOf(r); got != "[2020-07-01 2020-07-31 2]" {
		t.Fatalf("windows %q", got)
	}
	if r.Windows[0].Days != 31 {
		t.Fatalf("days %d, want 31", r.Windows[0].Days)
	}
}

func TestDays(t *testing.T) {
	if got := day("2024-02-29").AddYears(1).String(); got != "2025-02-28" {
		t.Errorf("29 February plus a year is %s, want 28 February (ISO 8601, SQL and spreadsheets)", got)
	}
	if got := day("2024-02-29").AddYears(4).String(); got != "2028-02-29" {
		t.Errorf("29 February plus four years is %s", got)
	}
	if got := day("2016-01-01").AddYears(3).String(); got != "2019-01-01" {
		t.Errorf("plus three years is %s", got)
	}
	if _, err := ParseDay("2025-02-30"); err == nil {
		t.Error("30 February parsed")
	}
}
