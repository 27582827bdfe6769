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
	// WithoutRegional: no group's regional project count is wanted, so none is counted (each
	// is 0); counting them looks at every funded project's targets.
	WithoutRegional bool
	// ByShare counts a project targeting several countries by its shares in COUNTRY groups
	// (allocation BY_SHARE); otherwise in full in each.
	ByShare bool
}

// hundredths is the Cypher expression of a stored amount in whole hundredths of its currency
// unit, the integers every sum adds (Cypher sums integers exactly). The stored number is the
// double nearest the stated decimal, so rounding it times 100 gives the stated hundredths
// exactly for any amount stated to the hundredth below 2^53/100; finer digits are rounded. Null
// stays null.
func hundredths(amount string) string { return "toInteger(round(" + amount + " * 100))" }

// partOfHundredths is the Cypher expression of the part w ({num, den}, integers) of an amount
// in hundredths, rounded to the hundredth half away from zero, in integer arithmetic; the same
// rule as analysis.Part.Of.
func partOfHundredths(units, w string) string {
	return "sign(" + units + ") * ((2 * abs(" + units + ") * " + w + ".num + " + w + ".den) / (2 * " + w + ".den))"
}

// wholePart counts a funding in full.
const wholePart = "{num: 1, den: 1}"

// sharePart is the part ({num, den}, integers) of project p's funding that the country of its
// TARGETS relationship t counts with allocation BY_SHARE, the rule the schema states on
// FundingAllocation: shares are taken in hundredths of a percent; a stated share counts share/100,
// the rest is split evenly among the targets without one, and when every target has a share or
// the shares reach 100 they are scaled to their sum; no share stated (or all 0): even split.
// The whole funding when t is null (no target country). fundingSummary, the analytics facts and
// the flows all read this one expression.
var sharePart = func() string {
	shares := "[" + forwards(relTargets, KindProject).pattern("p", "y", "") + " | " + shareUnits("y.share") + "]"
	stated := "reduce(a = 0, x IN ss | a + coalesce(x, 0))"
	unstated := "size([x IN ss WHERE x IS NULL])"
	mine := shareUnits("t.share")
	return "CASE WHEN t IS NULL THEN " + wholePart + " ELSE [ss IN [" + shares + "] | CASE" +
		" WHEN " + unstated + " = 0 OR " + stated + " >= 10000 THEN CASE" +
		" WHEN " + stated + " = 0 THEN {num: 1, den: size(ss)}" +
		" WHEN t.share IS NULL THEN {num: 0, den: 1}" +
		" ELSE {num: " + mine + ", den: " + stated + "} END" +
		" WHEN t.share IS NULL THEN {num: 10000 - " + stated + ", den: 10000 * " + unstated + "}" +
		" ELSE {num: " + mine + ", den: 10000} END][0] END"
}()

// shareUnits is a share (a percentage) in hundredths of a percent, as an integer.
func shareUnits(share string) string { return "toInteger(round(" + share + " * 100))" }

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
	cypher, params, err := fundingGroupsStatement(q)
	if err != nil {
		return nil, err
	}
	out := &model.FundingSummary{Groups: []*model.FundingGroup{}, Totals: []*model.Money{}, Allocation: model.FundingAllocationFull}
	if q.ByShare {
		out.Allocation = model.FundingAllocationByShare
	}
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

// FundingStatements are the statements and parameters FundingSummary sends for a query whose
// filters are resolved already (the groups, then the totals), for tests of their query plans.
func FundingStatements(q FundingQuery) (groups, totals string, groupParams, totalParams map[string]any, err error) {
	if groups, groupParams, err = fundingGroupsStatement(q); err != nil {
		return "", "", nil, nil, err
	}
	totals, totalParams, err = fundingTotalsStatement(q)
	return groups, totals, groupParams, totalParams, err
}

// fundingGroupsStatement is the statement of a funding query's groups.
func fundingGroupsStatement(q FundingQuery) (string, map[string]any, error) {
	params := map[string]any{"first": int64(q.First)}
	base, err := fundingBase(newCompiler(params), q)
	if err != nil {
		return "", nil, err
	}
	var matches []string
	values := map[string]string{}
	for _, d := range q.GroupBy {
		dim, ok := dimensions[d]
		if !ok {
			return "", nil, fmt.Errorf("funding summary: unknown dimension %q", d)
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
	weight := wholePart
	if q.ByShare && values[DimCountry] != "" {
		weight = sharePart
	}
	// A funding counted in full needs no weight: the group collects the fundings themselves.
	funding, part := "{f: f, w: w}", partOfHundredths(hundredths("coalesce(x.f.amount, 0)"), "x.w")
	if weight == wholePart {
		funding, part = "f", hundredths("coalesce(x.amount, 0)")
	}
	regional := "count(DISTINCT CASE WHEN " + regionalProject + " THEN p END)"
	if q.WithoutRegional {
		regional = "0"
	}
	cypher := strings.NewReplacer(
		"__BASE__", base,
		"__WEIGHT__", weight,
		"__FUNDING__", funding,
		"__PART__", part,
		"__REGIONAL__", regional,
		"__MATCHES__", strings.Join(matches, "\n"),
		"__DIMENSIONS__", strings.Join(projections, ", "),
		"__ORDER__", order,
	).Replace(statement("funding_groups"))
	return cypher, params, nil
}

// fundingTotals reads the overall totals per currency and the project count of a funding query
// into out.
func (s *Store) fundingTotals(ctx context.Context, q FundingQuery, out *model.FundingSummary) error {
	cypher, params, err := fundingTotalsStatement(q)
	if err != nil {
		return err
	}
	recs, err := s.readQuery(ctx, "funding_totals", cypher, params)
	if err != nil {
		return err
	}
	for _, r := range recs {
		projects, _ := r.Get("projects")
		out.ProjectCount = toInt(projects)
		currency, _ := r.Get("currency")
		total, _ := r.Get("total")
		if c, ok := currency.(string); ok {
			t, _ := total.(int64)
			out.Totals = append(out.Totals, &model.Money{Amount: model.DecimalFromHundredths(t), Currency: c})
		}
	}
	return nil
}

// fundingTotalsStatement is the statement of a funding query's overall totals.
func fundingTotalsStatement(q FundingQuery) (string, map[string]any, error) {
	params := map[string]any{}
	base, err := fundingBase(newCompiler(params), q)
	if err != nil {
		return "", nil, err
	}
	return strings.NewReplacer("__BASE__", base, "__HUNDREDTHS__", hundredths("amount")).Replace(statement("funding_totals")), params, nil
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
	// With the Entity label the planner can start from the donors a filter names by key (a
	// seek in the unique id index) instead of testing every organisation.
	return base + "MATCH " + fundings + "\nWHERE d:Entity AND " + donorWhere, nil
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
	if t, ok := m["total"].(int64); ok {
		d := model.DecimalFromHundredths(t)
		g.Total = &d
	}
	return g
}

func optString(v any) *string {
	if s, ok := v.(string); ok {
		return &s
	}
	return nil
}
