package store_test

import (
	"context"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestFundingAllocationByShare funds a regional project with one stated share and two unstated
// ones, and a national one: FULL counts the regional funding whole in each country, BY_SHARE by
// the stated share and the rest split evenly; overall totals are the same either way.
func TestFundingAllocationByShare(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	d := smallCurated()
	for _, c := range []string{"ML", "NE"} {
		d.Nodes = append(d.Nodes, dataset.Node{Kind: dataset.KindCountry, Props: sourced(map[string]any{"id": "country:" + c, "iso2": c, "iso3": c + "X", "name": c, "region": "Africa", "euRelation": "OTHER"}, "source:curated-doc")})
	}
	d.Nodes = append(d.Nodes, dataset.Node{Kind: dataset.KindProject, Props: sourced(map[string]any{"id": "project:regional", "title": "Regional", "status": "CLOSED", "scope": "REGIONAL"}, "source:curated-doc")})
	d.Rels = append(d.Rels,
		dataset.Rel{Type: dataset.RelTargets, From: "project:regional", To: "country:SN", Props: sourced(map[string]any{"share": 50.0}, "source:curated-doc")},
		dataset.Rel{Type: dataset.RelTargets, From: "project:regional", To: "country:ML", Props: sourced(map[string]any{}, "source:curated-doc")},
		dataset.Rel{Type: dataset.RelTargets, From: "project:regional", To: "country:NE", Props: sourced(map[string]any{}, "source:curated-doc")},
		dataset.Rel{Type: dataset.RelFunds, From: "org:iom", To: "project:regional", Props: sourced(map[string]any{"amount": 100.0, "currency": "EUR"}, "source:curated-doc")},
		dataset.Rel{Type: dataset.RelFunds, From: "org:iom", To: "project:p1", Props: sourced(map[string]any{"amount": 10.0, "currency": "EUR"}, "source:curated-doc")},
	)
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, d); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		byShare bool
		want    map[string]float64
	}{
		{false, map[string]float64{"country:SN": 110, "country:ML": 100, "country:NE": 100}},
		{true, map[string]float64{"country:SN": 60, "country:ML": 25, "country:NE": 25}},
	} {
		sum, err := st.FundingSummary(ctx, store.FundingQuery{GroupBy: []string{store.DimCountry}, First: 10, ByShare: c.byShare})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, g := range sum.Groups {
			if g.CountryKey != nil && g.Total != nil {
				got[*g.CountryKey] = *g.Total
				if *g.CountryKey == "country:ML" && g.RegionalProjectCount != 1 {
					t.Errorf("Mali's group counts %d regional projects, want 1", g.RegionalProjectCount)
				}
			}
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("byShare %v: %s = %v, want %v (all: %v)", c.byShare, k, got[k], v, got)
			}
		}
		if len(sum.Totals) != 1 || sum.Totals[0].Amount != 110 {
			t.Errorf("byShare %v: totals = %+v, want 110 EUR once", c.byShare, sum.Totals)
		}
	}
}
