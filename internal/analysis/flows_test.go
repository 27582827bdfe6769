package analysis

import (
	"math"
	"testing"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// Every level of a flow carries the whole amount, whatever the splits.
func TestFlowsConserveAmounts(t *testing.T) {
	f := []FlowFunding{
		{Donor: FlowRef{Key: "org:a"}, Project: FlowRef{Key: "p1"}, Amount: num(900), Currency: str("EUR"),
			Instruments: []FlowRef{{Key: "i1"}, {Key: "i2"}}, Countries: []FlowRef{{Key: "c1", Share: num(20)}, {Key: "c2", Share: num(60)}},
			Themes: []FlowRef{{Key: "t1"}, {Key: "t2"}, {Key: "t3"}}},
		{Donor: FlowRef{Key: "org:b"}, Project: FlowRef{Key: "p2"}, Amount: num(100), Currency: str("EUR"),
			Countries: []FlowRef{{Key: "c1", Share: num(50)}, {Key: "c2"}}},
	}
	levels := FlowLevels
	r := Flows(f, levels, 1000)
	rank := map[string]model.FlowLevel{}
	for _, n := range r.Nodes {
		rank[n.Key] = n.Level
	}
	sums := map[model.FlowLevel]float64{}
	for _, l := range r.Links {
		sums[rank[l.Source]] += l.Amount
	}
	for _, level := range levels[:len(levels)-1] {
		if math.Abs(sums[level]-1000) > 1e-9 {
			t.Errorf("links out of %s carry %v, want 1000", level, sums[level])
		}
	}
	// c1 gets 900*20/80 + 100/2 (a missing share splits evenly).
	c1 := 0.0
	for _, l := range r.Links {
		if l.Target == "c1" {
			c1 += l.Amount
		}
	}
	if math.Abs(c1-(225+50)) > 1e-9 {
		t.Errorf("c1 receives %v, want 275", c1)
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

func TestShareParts(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name   string
		n      int
		shares []*float64
		want   []float64
	}{
		{"none stated: even", 4, []*float64{nil, nil, nil, nil}, []float64{0.25, 0.25, 0.25, 0.25}},
		{"all stated: by share", 2, []*float64{f(60), f(40)}, []float64{0.6, 0.4}},
		{"all stated, not 100: scaled", 2, []*float64{f(30), f(30)}, []float64{0.5, 0.5}},
		{"some stated: the rest split", 3, []*float64{f(50), nil, nil}, []float64{0.5, 0.25, 0.25}},
		{"stated reach 100: the others nothing", 3, []*float64{f(70), f(40), nil}, []float64{70.0 / 110, 40.0 / 110, 0}},
		{"no shares at all (not a country level)", 3, nil, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
	} {
		got := shareParts(c.n, c.shares)
		sum := 0.0
		for i := range got {
			sum += got[i]
			if math.Abs(got[i]-c.want[i]) > 1e-9 {
				t.Errorf("%s: parts %v, want %v", c.name, got, c.want)
				break
			}
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("%s: parts add up to %v", c.name, sum)
		}
	}
}
