package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// Funding dimensions, as in the GraphQL enum FundingDimension.
const (
	DimDonor      = "DONOR"
	DimInstrument = "INSTRUMENT"
	DimCountry    = "COUNTRY"
	DimTheme      = "THEME"
	DimYear       = "YEAR"
)

// dimension is how one grouping dimension enters the aggregation: an optional match that binds
// it, and the expression of its value.
type dimension struct {
	match string
	value string
}

var dimensions = map[string]dimension{
	DimDonor:      {"", "d.id"},
	DimInstrument: {"OPTIONAL MATCH " + forwards(relFinancedBy, KindProject).pattern("p", "", "i"), "i.id"},
	DimCountry:    {"OPTIONAL MATCH " + forwards(relTargets, KindProject).pattern("p", "t", "c"), "c.id"},
	DimTheme:      {"OPTIONAL MATCH " + forwards(relAddresses, KindProject).pattern("p", "", "t"), "t.id"},
	DimYear:       {"", "toInteger(left(coalesce(p.actualStart, p.plannedStart), 4))"},
}

// columns of the group rows, in a fixed order.
var dimensionColumns = []struct{ dim, column string }{
	{DimDonor, "donor"}, {DimInstrument, "instrument"}, {DimCountry, "country"}, {DimTheme, "theme"}, {DimYear, "year"},
}

// FundingQuery asks for funding grouped by some dimensions.
type FundingQuery struct {
	GroupBy    []string
	Where      map[string]any // ProjectWhere
	DonorWhere map[string]any // OrganisationWhere; nil keeps projects without a donor
	OrderBy    string         // TOTAL_DESC, PROJECT_COUNT_DESC or KEYS
	First      int
	// GroupsOnly: neither the overall totals nor the project count is wanted, so their
	// statement is not sent.
	GroupsOnly bool
	// ByShare counts a project targeting several countries by its shares in COUNTRY groups
	// (allocation BY_SHARE); otherwise in full in each.
	ByShare bool
}

// shareWeight is the part of a project's funding a COUNTRY group counts with allocation
// BY_SHARE: the target's stated share, else the part the stated shares leave (none when they
// reach 100) split evenly among the targets without one.
var shareWeight = "CASE WHEN c IS NULL THEN 1.0 WHEN t.share IS NOT NULL THEN t.share / 100.0 ELSE " +
	"(CASE WHEN " + statedShares + " >= 100.0 THEN 0.0 ELSE 100.0 - " + statedShares + " END) / 100.0 / " +
	"size([" + forwards(relTargets, KindProject).pattern("p", "y", "") + " WHERE y.share IS NULL | 1]) END"

var statedShares = "reduce(s = 0.0, x IN [" + forwards(relTargets, KindProject).pattern("p", "y", "") +
	" WHERE y.share IS NOT NULL | y.share] | s + x)"

// regionalProject is true for a project that targets several countries.
var regionalProject = "COUNT { " + forwards(relTargets, KindProject).pattern("p", "", "") + " } > 1"

// FundingSummary groups the fundings of the matching projects; see the schema for the rules.
func (s *Store) FundingSummary(ctx context.Context, q FundingQuery) (*model.FundingSummary, error) {
	var err error
	if q.Where, err = s.ResolveWhere(ctx, KindProject, q.Where, "where"); err != nil {
		return nil, err
	}
	if q.DonorWhere, err = s.ResolveWhere(ctx, KindOrganisation, q.DonorWhere, "donorWhere"); err != nil {
		return nil, err
	}
	params := map[string]any{"first": int64(q.First)}
	base, err := fundingBase(newCompiler(params), q)
	if err != nil {
		return nil, err
	}
	var matches []string
	values := map[string]string{}
	for _, d := range q.GroupBy {
		dim, ok := dimensions[d]
		if !ok {
			return nil, fmt.Errorf("funding summary: unknown dimension %q", d)
		}
		if dim.match != "" {
			matches = append(matches, dim.match)
		}
		values[d] = dim.value
	}
	var projections, keys []string
	for _, c := range dimensionColumns {
		v, ok := values[c.dim]
		if !ok {
			v = "null"
		}
		projections = append(projections, v+" AS "+c.column)
	}
	for _, d := range q.GroupBy {
		for _, c := range dimensionColumns {
			if c.dim == d {
				keys = append(keys, c.column+" IS NULL", c.column)
			}
		}
	}
	allKeys := "currency IS NULL, currency"
	if len(keys) > 0 {
		allKeys = strings.Join(keys, ", ") + ", " + allKeys
	}
	var order string
	switch q.OrderBy {
	case "PROJECT_COUNT_DESC":
		order = "projects DESC, " + allKeys
	case "KEYS":
		order = allKeys
	default:
		order = "total IS NULL, total DESC, " + allKeys
	}
	weight := "1.0"
	if q.ByShare && values[DimCountry] != "" {
		weight = shareWeight
	}
	cypher := strings.NewReplacer(
		"__BASE__", base,
		"__WEIGHT__", weight,
		"__REGIONAL__", regionalProject,
		"__MATCHES__", strings.Join(matches, "\n"),
		"__DIMENSIONS__", strings.Join(projections, ", "),
		"__ORDER__", order,
	).Replace(statement("funding_groups"))
	out := &model.FundingSummary{Groups: []*model.FundingGroup{}, Totals: []*model.Money{}}
	// The totals do not depend on the groups: both statements run at once.
	totalsDone := make(chan error, 1)
	if q.GroupsOnly {
		totalsDone <- nil
	} else {
		go func() { totalsDone <- s.fundingTotals(ctx, q, out) }()
	}
	recs, err := s.readAnalysis(ctx, "funding_groups", cypher, params)
	if totalsErr := <-totalsDone; err == nil {
		err = totalsErr
	}
	if err != nil {
		return nil, err
	}
	if len(recs) == 1 {
		count, _ := recs[0].Get("groupCount")
		out.GroupCount = toInt(count)
		groups, _ := recs[0].Get("groups")
		list, _ := groups.([]any)
		for _, g := range list {
			out.Groups = append(out.Groups, fundingGroup(asMap(g)))
		}
	}
	return out, nil
}

// fundingTotals reads the overall totals per currency and the project count of a funding query
// into out.
func (s *Store) fundingTotals(ctx context.Context, q FundingQuery, out *model.FundingSummary) error {
	params := map[string]any{}
	base, err := fundingBase(newCompiler(params), q)
	if err != nil {
		return err
	}
	recs, err := s.readQuery(ctx, "funding_totals", strings.ReplaceAll(statement("funding_totals"), "__BASE__", base), params)
	if err != nil {
		return err
	}
	for _, r := range recs {
		projects, _ := r.Get("projects")
		out.ProjectCount = toInt(projects)
		currency, _ := r.Get("currency")
		total, _ := r.Get("total")
		if c, ok := currency.(string); ok {
			t, _ := total.(float64)
			out.Totals = append(out.Totals, &model.Money{Amount: t, Currency: c})
		}
	}
	return nil
}

// fundingBase matches the projects (p) of a funding query and their fundings (f, from donor d).
func fundingBase(c *compiler, q FundingQuery) (string, error) {
	where, err := c.where(KindProject, "p", q.Where, "where")
	if err != nil {
		return "", err
	}
	base := "MATCH (p:" + KindProject + ")\nWHERE " + where + "\n"
	fundings := backwards(relFunds, KindProject).pattern("p", "f", "d")
	if q.DonorWhere == nil {
		return base + "OPTIONAL MATCH " + fundings, nil
	}
	donorWhere, err := c.where(KindOrganisation, "d", q.DonorWhere, "donorWhere")
	if err != nil {
		return "", err
	}
	return base + "MATCH " + fundings + "\nWHERE " + donorWhere, nil
}

func fundingGroup(m map[string]any) *model.FundingGroup {
	g := &model.FundingGroup{
		DonorKey:             optString(m["donor"]),
		InstrumentKey:        optString(m["instrument"]),
		CountryKey:           optString(m["country"]),
		ThemeKey:             optString(m["theme"]),
		Currency:             optString(m["currency"]),
		FundingCount:         toInt(m["fundings"]),
		ProjectCount:         toInt(m["projects"]),
		RegionalProjectCount: toInt(m["regional"]),
	}
	if y, ok := m["year"].(int64); ok {
		year := int(y)
		g.Year = &year
	}
	if t, ok := m["total"].(float64); ok {
		g.Total = &t
	}
	return g
}

func optString(v any) *string {
	if s, ok := v.(string); ok {
		return &s
	}
	return nil
}
