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
