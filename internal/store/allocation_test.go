package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/graph/model"
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
		want    map[string]string
	}{
		{false, map[string]string{"country:SN": "110", "country:ML": "100", "country:NE": "100"}},
		{true, map[string]string{"country:SN": "60", "country:ML": "25", "country:NE": "25"}},
	} {
		sum, err := st.FundingSummary(ctx, store.FundingQuery{GroupBy: []string{store.DimCountry}, First: 10, ByShare: c.byShare})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, g := range sum.Groups {
			if g.CountryKey != nil && g.Total != nil {
				got[*g.CountryKey] = g.Total.String()
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
		if len(sum.Totals) != 1 || sum.Totals[0].Amount.String() != "110" {
			t.Errorf("byShare %v: totals = %+v, want 110 EUR once", c.byShare, sum.Totals)
		}
	}
}

// TestSharePartRule checks the one expression of a country's part with allocation BY_SHARE
// (sharePart, which fundingSummary, the analytics and the flows read) on every case the schema
// names, each project funded with 100 EUR, and that parts are rounded to the hundredth, half away
// from zero, per funding.
func TestSharePartRule(t *testing.T) {
	st := testenv.EmptyStore(t)
	ctx := context.Background()
	d := smallCurated()
	for _, c := range []string{"ML", "NE"} {
		d.Nodes = append(d.Nodes, dataset.Node{Kind: dataset.KindCountry, Props: sourced(map[string]any{"id": "country:" + c, "iso2": c, "iso3": c + "X", "name": c, "region": "Africa", "euRelation": "OTHER"}, "source:curated-doc")})
	}
	cases := []struct {
		name   string
		shares []any // per country SN, ML, NE; nil: not stated; leave the list short to target fewer
		want   map[string]string
	}{
		{"none stated: even, each third rounded", []any{nil, nil, nil}, map[string]string{"SN": "33.33", "ML": "33.33", "NE": "33.33"}},
		{"all stated: by share", []any{60.0, 40.0}, map[string]string{"SN": "60", "ML": "40"}},
		{"all stated below 100: scaled to the whole", []any{30.0, 30.0}, map[string]string{"SN": "50", "ML": "50"}},
		{"some stated: the rest split evenly", []any{50.0, nil, nil}, map[string]string{"SN": "50", "ML": "25", "NE": "25"}},
		{"stated reach 100: scaled, the others nothing", []any{70.0, 40.0, nil}, map[string]string{"SN": "63.64", "ML": "36.36", "NE": "0"}},
		{"all stated 0: even", []any{0.0, 0.0}, map[string]string{"SN": "50", "ML": "50"}},
		{"a stated 0 among unstated ones", []any{0.0, nil}, map[string]string{"SN": "0", "ML": "100"}},
		{"shares to the hundredth of a percent", []any{12.345, nil}, map[string]string{"SN": "12.35", "ML": "87.65"}},
		{"one country, no share: whole", []any{nil}, map[string]string{"SN": "100"}},
	}
	countries := []string{"SN", "ML", "NE"}
	for i, c := range cases {
		key := fmt.Sprintf("project:share-%d", i)
		d.Nodes = append(d.Nodes, dataset.Node{Kind: dataset.KindProject, Props: sourced(map[string]any{"id": key, "title": c.name, "status": "CLOSED", "scope": "REGIONAL"}, "source:curated-doc")})
		for j, share := range c.shares {
			props := map[string]any{}
			if share != nil {
				props["share"] = share
			}
			d.Rels = append(d.Rels, dataset.Rel{Type: dataset.RelTargets, From: key, To: "country:" + countries[j], Props: sourced(props, "source:curated-doc")})
		}
		d.Rels = append(d.Rels, dataset.Rel{Type: dataset.RelFunds, From: "org:iom", To: key, Props: sourced(map[string]any{"amount": 100.0, "currency": "EUR"}, "source:curated-doc")})
	}
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, d); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		where := map[string]any{"keys": []any{fmt.Sprintf("project:share-%d", i)}}
		sum, err := st.FundingSummary(ctx, store.FundingQuery{GroupBy: []string{store.DimCountry}, Where: where, First: 10, ByShare: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, g := range sum.Groups {
			if g.CountryKey != nil && g.Total != nil {
				got[strings.TrimPrefix(*g.CountryKey, "country:")] = g.Total.String()
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: country parts %v, want %v", c.name, got, c.want)
		}
		// The analytics read the same parts.
		facts, err := st.TargetedProjects(ctx, store.TargetQuery{Countries: []string{"country:SN"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range facts {
			if f.Project != fmt.Sprintf("project:share-%d", i) {
				continue
			}
			if got := model.DecimalFromHundredths(f.SharePart.Of(*f.Fundings[0].Hundredths)).String(); got != c.want["SN"] {
				t.Errorf("%s: the analytics count %s in SN, fundingSummary %s", c.name, got, c.want["SN"])
			}
			if f.CountryCount != len(c.shares) {
				t.Errorf("%s: country count %d, want %d", c.name, f.CountryCount, len(c.shares))
			}
		}
	}
}
