package analysis

import (
	"testing"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

func hundredths(n int64) *int64 { return &n }

// Every level of a flow carries the whole amount with BY_SHARE, whatever the splits (up to the
// rounding of each part to the hundredth); with FULL a regional project reaches each country whole.
func TestFlowsConserveAmounts(t *testing.T) {
	f := []FlowFunding{
		{Donor: FlowRef{Key: "org:a"}, Project: FlowRef{Key: "p1"}, Hundredths: hundredths(90000), Currency: str("EUR"),
			Instruments: []FlowRef{{Key: "i1"}, {Key: "i2"}}, Countries: []FlowRef{{Key: "c1", SharePart: Part{2000, 8000}}, {Key: "c2", SharePart: Part{6000, 8000}}},
			Themes: []FlowRef{{Key: "t1"}, {Key: "t2"}, {Key: "t3"}}},
		{Donor: FlowRef{Key: "org:b"}, Project: FlowRef{Key: "p2"}, Hundredths: hundredths(10000), Currency: str("EUR"),
			Countries: []FlowRef{{Key: "c1", SharePart: Part{5000, 10000}}, {Key: "c2", SharePart: Part{5000, 10000}}}},
	}
	levels := FlowLevels
	sums := func(r *model.FundingFlows) (map[model.FlowLevel]int64, map[string]int64) {
		rank := map[string]model.FlowLevel{}
		for _, n := range r.Nodes {
			rank[n.Key] = n.Level
		}
		bySource, byTarget := map[model.FlowLevel]int64{}, map[string]int64{}
		for _, l := range r.Links {
			h, ok := l.Amount.Hundredths()
			if !ok {
				t.Fatalf("link amount %s", l.Amount)
			}
			bySource[rank[l.Source]] += h
			if rank[l.Source] == model.FlowLevelProject {
				byTarget[l.Target] += h
			}
		}
		return bySource, byTarget
	}
	r := Flows(f, levels, 1000, true)
	bySource, byCountry := sums(r)
	for _, level := range levels[:len(levels)-1] {
		// Parts are rounded per funding and link: 900 over 2 instruments, 2 countries and 3
		// themes leaves at most a hundredth per link off.
		if d := bySource[level] - 100000; d < -12 || d > 12 {
			t.Errorf("links out of %s carry %d hundredths, want 100000 within the rounding", level, bySource[level])
		}
	}
	// c1 gets 900*20/80 + 100/2.
	if byCountry["c1"] != 27500 {
		t.Errorf("BY_SHARE: c1 receives %d hundredths, want 27500", byCountry["c1"])
	}
	if r.Totals[0].Amount.String() != "1000" {
		t.Errorf("totals %s, want 1000", r.Totals[0].Amount)
	}
	if len(r.RegionalProjects) != 4 || r.RegionalProjects[0].ProjectKey != "p1" || r.RegionalProjects[0].Part != 0.25 {
		t.Errorf("regional projects %+v, want p1 and p2 in c1 and c2, p1 in c1 a quarter", r.RegionalProjects)
	}
	full := Flows(f, levels, 1000, false)
	_, byCountry = sums(full)
	if byCountry["c1"] != 100000 || byCountry["c2"] != 100000 {
		t.Errorf("FULL: c1 and c2 receive %d and %d hundredths, want the whole 100000 each", byCountry["c1"], byCountry["c2"])
	}
	if full.RegionalProjects[0].Part != 1 {
		t.Errorf("FULL: regional part %v, want 1", full.RegionalProjects[0].Part)
	}
}

// A part of an amount is rounded to the hundredth, half away from zero, in exact arithmetic.
func TestPartOf(t *testing.T) {
	for _, c := range []struct {
		part       Part
		amount     int64
		want       int64
		definition string
	}{
		{Whole, 12345, 12345, "the whole"},
		{Part{1, 3}, 10000, 3333, "a third of 100.00"},
		{Part{2, 3}, 10000, 6667, "two thirds of 100.00"},
		{Part{1, 2}, 1, 1, "half of 0.01, away from zero"},
		{Part{1, 2}, -1, -1, "half of -0.01, away from zero"},
		{Part{1, 4}, 10, 3, "a quarter of 0.10 (2.5 hundredths)"},
		{Part{0, 1}, 500, 0, "nothing"},
		{Part{3333, 10000}, 900000000000000, 299970000000000, "large amounts stay exact"},
	} {
		if got := c.part.Of(c.amount); got != c.want {
			t.Errorf("%s: %d/%d of %d = %d, want %d", c.definition, c.part.Num, c.part.Den, c.amount, got, c.want)
		}
	}
}

func TestFlowLevelsOrder(t *testing.T) {
	for _, c := range []struct {
		levels []model.FlowLevel
		ok     bool
	}{
		{[]model.FlowLevel{model.FlowLevelDonor, model.FlowLevelTheme}, true},
		{[]model.FlowLevel{model.FlowLevelDonor}, false},
		{[]model.FlowLevel{model.FlowLevelProject, model.FlowLevelDonor}, false},
		{[]model.FlowLevel{model.FlowLevelDonor, model.FlowLevelDonor}, false},
	} {
		if err := CheckLevels(c.levels); (err == nil) != c.ok {
			t.Errorf("%v: error %v", c.levels, err)
		}
	}
}
