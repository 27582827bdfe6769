package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/analysis"
	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Bounds of the analytics arguments.
const (
	maxWindowYears   = 20
	maxFlowLinks     = 500
	maxDepth         = 3
	maxNeighbours    = 500
	maxHops          = 6
	maxPathsReturned = 100
)

// nodeArg turns an argument naming a node (global id, key, or for countries an ISO code) into the
// node's key; "" when the argument is absent. kind "" accepts any kind. A node that does not exist,
// or is of another kind, is NOT_FOUND.
func (r *Resolver) nodeArg(ctx context.Context, arg string, value *string, kind string) (string, error) {
	if value == nil {
		return "", nil
	}
	v := strings.TrimSpace(*value)
	var key string
	switch {
	case strings.Contains(v, ":"):
		key = v
	case (kind == store.KindCountry || kind == "") && isCountryCode(v):
		c, err := r.Store.CountryByCode(ctx, v)
		if err != nil {
			return "", err
		}
		if c == nil {
			return "", apperr.Missing("argument %s: no country has the ISO code %q", arg, v)
		}
		return c.Key, nil
	default:
		k, err := model.KeyOfGlobalID(v)
		if err != nil {
			return "", apperr.BadInput("argument %s: %q is neither a global id (from `id`) nor a key (from `key`)", arg, *value)
		}
		key = k
	}
	n, err := loadNode[model.Node](ctx, key)
	if err != nil {
		return "", err
	}
	if n == nil || (kind != "" && typeName(n) != kind) { // store kinds are the GraphQL type names
		what := "node"
		if kind != "" {
			what = kind
		}
		return "", apperr.Missing("argument %s: no %s has the key %q", arg, what, key)
	}
	return key, nil
}

// isCountryCode tells whether v looks like an ISO 3166-1 alpha-2 or alpha-3 code.
func isCountryCode(v string) bool {
	if len(v) < 2 || len(v) > 3 {
		return false
	}
	for _, r := range v {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// dayArg reads an optional ISO date argument.
func dayArg(arg string, value *string) (*analysis.Day, error) {
	if value == nil {
		return nil, nil
	}
	d, err := analysis.ParseDay(strings.TrimSpace(*value))
	if err != nil {
		return nil, apperr.BadInput("argument %s: %v", arg, err)
	}
	return &d, nil
}

// asOfArg reads asOf, today (UTC) when absent.
func asOfArg(value *string) (analysis.Day, error) {
	d, err := dayArg("asOf", value)
	if err != nil || d == nil {
		return analysis.Today(), err
	}
	return *d, nil
}

// period is a checked DateRange, as days and as ISO text for the store.
type period struct {
	from, to         *analysis.Day
	fromText, toText *string
}

func periodArg(p *model.DateRange) (period, error) {
	if p == nil {
		return period{}, nil
	}
	from, err := dayArg("period.from", p.From)
	if err != nil {
		return period{}, err
	}
	to, err := dayArg("period.to", p.To)
	if err != nil {
		return period{}, err
	}
	if from != nil && to != nil && *from > *to {
		return period{}, apperr.BadInput("argument period: from (%s) is after to (%s)", from, to)
	}
	out := period{from: from, to: to}
	if from != nil {
		s := from.String()
		out.fromText = &s
	}
	if to != nil {
		s := to.String()
		out.toText = &s
	}
	return out, nil
}

// schemaDefault is the default the schema gives an argument of the field being resolved. An
// argument sent as an explicit null takes it too, so every default is stated once, in the schema.
func schemaDefault(ctx context.Context, arg string) any {
	a := graphql.GetFieldContext(ctx).Field.Definition.Arguments.ForName(arg)
	if a == nil || a.DefaultValue == nil {
		return nil
	}
	v, err := a.DefaultValue.Value(nil)
	if err != nil {
		return nil
	}
	return normalise(v)
}

// intArg checks an integer argument (the schema's default when absent) against its bounds.
func intArg(ctx context.Context, arg string, value *int, low, high int) (int, error) {
	var n int
	if value != nil {
		n = *value
	} else if def, ok := schemaDefault(ctx, arg).(int64); ok {
		n = int(def)
	} else {
		return 0, apperr.BadInput("argument %s is required", arg)
	}
	if n < low || n > high {
		return 0, apperr.BadInput("argument %s must be from %d to %d, got %d", arg, low, high, n)
	}
	return n, nil
}

// boolArg reads a boolean argument, the schema's default when absent.
func boolArg(ctx context.Context, arg string, value *bool) bool {
	if value != nil {
		return *value
	}
	def, _ := schemaDefault(ctx, arg).(bool)
	return def
}

// allocationArg reads the `allocation` argument, the schema's default when absent.
func allocationArg(ctx context.Context, value *model.FundingAllocation) model.FundingAllocation {
	if value != nil {
		return *value
	}
	def, _ := schemaDefault(ctx, "allocation").(string)
	return model.FundingAllocation(def)
}

// enumsArg reads a list of enum values, the schema's default when absent.
func enumsArg[E ~string](ctx context.Context, arg string, value []E) []E {
	if value != nil {
		return value
	}
	list, _ := schemaDefault(ctx, arg).([]any)
	out := make([]E, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, E(s))
		}
	}
	return out
}

// overlappingFunding resolves `overlappingFunding`.
func (r *Resolver) overlappingFunding(ctx context.Context, country, theme *string, p *model.DateRange, minDonors *int, includeRegional *bool, asOf *string, first *int) (*model.FundingOverlapReport, error) {
	q := analysis.OverlapQuery{}
	var err error
	if q.MinDonors, err = intArg(ctx, "minDonors", minDonors, 2, 1000); err != nil {
		return nil, err
	}
	if q.First, err = intArg(ctx, "first", first, 1, maxPageSize); err != nil {
		return nil, err
	}
	if q.AsOf, err = asOfArg(asOf); err != nil {
		return nil, err
	}
	per, err := periodArg(p)
	if err != nil {
		return nil, err
	}
	q.From, q.To = per.from, per.to
	countryKey, err := r.nodeArg(ctx, "country", country, store.KindCountry)
	if err != nil {
		return nil, err
	}
	if q.Theme, err = r.nodeArg(ctx, "theme", theme, store.KindThematicArea); err != nil {
		return nil, err
	}
	tq := store.TargetQuery{Theme: q.Theme, NationalOnly: !boolArg(ctx, "includeRegional", includeRegional), From: per.fromText, To: per.toText}
	if countryKey != "" {
		tq.Countries = []string{countryKey}
	}
	facts, err := r.Store.TargetedProjects(ctx, tq)
	if err != nil {
		return nil, err
	}
	return analysis.Overlaps(facts, q), nil
}

// missingNationalFollowUp resolves `missingNationalFollowUp`.
func (r *Resolver) missingNationalFollowUp(ctx context.Context, process, theme, country *string, windowYears *int, asOf *string, includeEU *bool, statuses []model.FollowUpStatus, first *int) (*model.FollowUpReport, error) {
	q := analysis.FollowUpQuery{Statuses: map[model.FollowUpStatus]bool{}}
	var err error
	if q.WindowYears, err = intArg(ctx, "windowYears", windowYears, 1, maxWindowYears); err != nil {
		return nil, err
	}
	if q.First, err = intArg(ctx, "first", first, 1, maxPageSize); err != nil {
		return nil, err
	}
	if q.AsOf, err = asOfArg(asOf); err != nil {
		return nil, err
	}
	for _, s := range enumsArg(ctx, "statuses", statuses) {
		q.Statuses[s] = true
	}
	sq := store.FollowUpQuery{IncludeEU: boolArg(ctx, "includeEUMemberStates", includeEU)}
	if sq.Process, err = r.nodeArg(ctx, "process", process, store.KindRegionalProcess); err != nil {
		return nil, err
	}
	if sq.Theme, err = r.nodeArg(ctx, "theme", theme, store.KindThematicArea); err != nil {
		return nil, err
	}
	if sq.Country, err = r.nodeArg(ctx, "country", country, store.KindCountry); err != nil {
		return nil, err
	}
	groups, err := r.Store.FollowUpGroups(ctx, sq)
	if err != nil {
		return nil, err
	}
	return analysis.FollowUps(groups, q), nil
}

// priorityGaps resolves `priorityGaps`.
func (r *Resolver) priorityGaps(ctx context.Context, country *string, p *model.DateRange, includeRegional, includeProcessPriorities *bool, allocation *model.FundingAllocation, first *int) (*model.PriorityGapReport, error) {
	n, err := intArg(ctx, "first", first, 1, maxPageSize)
	if err != nil {
		return nil, err
	}
	per, err := periodArg(p)
	if err != nil {
		return nil, err
	}
	countryKey, err := r.nodeArg(ctx, "country", country, store.KindCountry)
	if err != nil {
		return nil, err
	}
	priorities, err := r.Store.StatedPriorities(ctx, countryKey, boolArg(ctx, "includeProcessPriorities", includeProcessPriorities))
	if err != nil {
		return nil, err
	}
	countries := []string{countryKey}
	if countryKey == "" {
		countries = []string{}
		seen := map[string]bool{}
		for _, sp := range priorities { // ordered by country
			if !seen[sp.Country] {
				seen[sp.Country] = true
				countries = append(countries, sp.Country)
			}
		}
	}
	alloc := allocationArg(ctx, allocation)
	report := &model.PriorityGapReport{Allocation: alloc, CountryCount: len(countries), Countries: []*model.CountryPriorityGaps{}}
	if len(countries) > n {
		countries = countries[:n]
	}
	if len(countries) == 0 {
		return report, nil
	}
	facts, err := r.Store.TargetedProjects(ctx, store.TargetQuery{
		Countries: countries, NationalOnly: !boolArg(ctx, "includeRegional", includeRegional), From: per.fromText, To: per.toText,
	})
	if err != nil {
		return nil, err
	}
	report.Countries = analysis.PriorityGaps(countries, priorities, facts, alloc == model.FundingAllocationByShare)
	return report, nil
}

// donorCoordination resolves `donorCoordination`.
func (r *Resolver) donorCoordination(ctx context.Context, country string, p *model.DateRange, includeRegional *bool, first *int, allocation *model.FundingAllocation) (*model.DonorCoordination, error) {
	n, err := intArg(ctx, "first", first, 1, maxPageSize)
	if err != nil {
		return nil, err
	}
	per, err := periodArg(p)
	if err != nil {
		return nil, err
	}
	countryKey, err := r.nodeArg(ctx, "country", &country, store.KindCountry)
	if err != nil {
		return nil, err
	}
	facts, err := r.Store.TargetedProjects(ctx, store.TargetQuery{
		Countries: []string{countryKey}, NationalOnly: !boolArg(ctx, "includeRegional", includeRegional), From: per.fromText, To: per.toText,
	})
	if err != nil {
		return nil, err
	}
	donors := map[string]bool{}
	var keys []string
	for _, f := range facts {
		for _, fu := range f.Fundings {
			if !donors[fu.Donor] {
				donors[fu.Donor] = true
				keys = append(keys, fu.Donor)
			}
		}
	}
	governments := map[string]analysis.DonorGovernment{}
	if len(keys) > 0 {
		if governments, err = r.Store.DonorGovernments(ctx, keys); err != nil {
			return nil, err
		}
	}
	alloc := allocationArg(ctx, allocation)
	c := analysis.Coordination(countryKey, facts, governments, n, alloc == model.FundingAllocationByShare)
	c.Allocation = alloc
	return c, nil
}

// fundingFlows resolves `fundingFlows`.
func (r *Resolver) fundingFlows(ctx context.Context, country, theme, donor, instrument *string, p *model.DateRange, levels []model.FlowLevel, first *int, allocation *model.FundingAllocation) (*model.FundingFlows, error) {
	n, err := intArg(ctx, "first", first, 1, maxFlowLinks)
	if err != nil {
		return nil, err
	}
	levels = enumsArg(ctx, "levels", levels)
	if err := analysis.CheckLevels(levels); err != nil {
		return nil, apperr.BadInput("argument levels: %v", err)
	}
	per, err := periodArg(p)
	if err != nil {
		return nil, err
	}
	q := store.FlowQuery{From: per.fromText, To: per.toText}
	for _, a := range []struct {
		arg   string
		value *string
		kind  string
		into  *string
	}{
		{"country", country, store.KindCountry, &q.Country},
		{"theme", theme, store.KindThematicArea, &q.Theme},
		{"donor", donor, store.KindOrganisation, &q.Donor},
		{"instrument", instrument, store.KindInstrument, &q.Instrument},
	} {
		if *a.into, err = r.nodeArg(ctx, a.arg, a.value, a.kind); err != nil {
			return nil, err
		}
	}
	fundings, err := r.Store.FlowFundings(ctx, q)
	if err != nil {
		return nil, err
	}
	alloc := allocationArg(ctx, allocation)
	flows := analysis.Flows(fundings, levels, n, alloc == model.FundingAllocationByShare)
	flows.Allocation = alloc
	return flows, nil
}

func typeNames(types []model.RelationshipType) []string {
	if types == nil {
		return nil
	}
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = string(t)
	}
	return out
}

// neighbourhood resolves `neighbourhood`: breadth first, one statement per step, then one for the
// relationships among the nodes found.
func (r *Resolver) neighbourhood(ctx context.Context, id string, depth *int, types []model.RelationshipType, limit *int) (*model.Neighbourhood, error) {
	d, err := intArg(ctx, "depth", depth, 1, maxDepth)
	if err != nil {
		return nil, err
	}
	room, err := intArg(ctx, "limit", limit, 1, maxNeighbours)
	if err != nil {
		return nil, err
	}
	center, err := r.nodeArg(ctx, "id", &id, "")
	if err != nil {
		return nil, err
	}
	out := &model.Neighbourhood{CenterKey: center, Nodes: []*model.NeighbourNode{}}
	visited := []string{center}
	frontier := []string{center}
	names := typeNames(types)
	for step := 1; step <= d && len(frontier) > 0; step++ {
		if room == 0 {
			out.Truncated = true
			break
		}
		next, err := r.Store.Neighbours(ctx, frontier, visited, names, room+1)
		if err != nil {
			return nil, err
		}
		if len(next) > room {
			next, out.Truncated = next[:room], true
		}
		for _, k := range next {
			out.Nodes = append(out.Nodes, &model.NeighbourNode{NodeKey: k, Distance: step})
		}
		room -= len(next)
		visited = append(visited, next...)
		frontier = next
	}
	if out.Edges, err = r.Store.EdgesAmong(ctx, visited, names); err != nil {
		return nil, err
	}
	return out, nil
}

// paths resolves `paths`.
func (r *Resolver) paths(ctx context.Context, from, to string, hops *int, types []model.RelationshipType, first *int) (*model.PathReport, error) {
	h, err := intArg(ctx, "maxHops", hops, 1, maxHops)
	if err != nil {
		return nil, err
	}
	n, err := intArg(ctx, "first", first, 1, maxPathsReturned)
	if err != nil {
		return nil, err
	}
	fromKey, err := r.nodeArg(ctx, "from", &from, "")
	if err != nil {
		return nil, err
	}
	toKey, err := r.nodeArg(ctx, "to", &to, "")
	if err != nil {
		return nil, err
	}
	if fromKey == toKey {
		return nil, apperr.BadInput("arguments from and to name the same node %q", fromKey)
	}
	found, err := r.Store.ShortestPaths(ctx, fromKey, toKey, h, typeNames(types), n)
	if err != nil {
		return nil, err
	}
	out := &model.PathReport{FromKey: fromKey, ToKey: toKey, Paths: found}
	if len(found) > 0 {
		l := found[0].Length
		out.Length = &l
	}
	return out, nil
}

// loadNodes loads the nodes of type T with these keys in one batch, in order; a missing one, or
// one of another kind, is a broken graph.
func loadNodes[T any](ctx context.Context, keys []string) ([]T, error) {
	nodes, err := loadersFrom(ctx).nodes.LoadMany(ctx, keys)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(nodes))
	for _, n := range nodes {
		if v, ok := n.(T); ok {
			out = append(out, v)
		}
	}
	if len(out) != len(keys) {
		return nil, fmt.Errorf("dangling reference among %d nodes %v (missing, or of another kind)", len(keys), keys)
	}
	return out, nil
}
