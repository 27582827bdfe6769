package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// NodesByID returns the nodes with the given ids as *model.Country, *model.RegionalProcess,
// *model.Instrument, *model.Organisation, *model.Project or *model.Source, keyed by id.
func (s *Store) NodesByID(ctx context.Context, ids []string) (map[string]any, error) {
	recs, err := s.read(ctx, "nodes_by_id", map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(recs))
	for _, r := range recs {
		key, _ := r.Get("key")
		kind, _ := r.Get("kind")
		m, ref := propsOf(r), refsOfRecord(r)
		var node any
		switch kind {
		case KindCountry:
			node, err = mapCountry(m, ref)
		case KindRegionalProcess:
			node, err = mapRegionalProcess(m, ref)
		case KindInstrument:
			node, err = mapInstrument(m, ref)
		case KindOrganisation:
			node, err = mapOrganisation(m, ref)
		case KindProject:
			node, err = mapProject(m, ref)
		case KindSource:
			node, err = mapSource(m, ref)
		case KindThematicArea:
			node, err = mapThematicArea(m, ref)
		case KindPriority:
			node, err = mapPriority(m, ref)
		case KindClaim:
			node, err = mapClaim(m, ref)
		default:
			err = fmt.Errorf("node %v has unknown kind %v", key, kind)
		}
		if err != nil {
			return nil, fmt.Errorf("nodes by id: %w", err)
		}
		out[key.(string)] = node
	}
	return out, nil
}

// CountryByCode returns the country with that ISO alpha-2 or alpha-3 code (upper case), or nil.
func (s *Store) CountryByCode(ctx context.Context, code string) (*model.Country, error) {
	list, err := readNodes(s, ctx, "country_by_code", map[string]any{"code": code}, mapCountry)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// CountryFilter narrows Countries; nil fields do not filter.
type CountryFilter struct {
	Region     *string
	EURelation *model.EURelation
	First      int
}

// Countries lists countries by name.
func (s *Store) Countries(ctx context.Context, f CountryFilter) ([]*model.Country, error) {
	return readNodes(s, ctx, "countries", map[string]any{
		"region": ptrValue(f.Region), "euRelation": enumValue(f.EURelation), "first": f.First,
	}, mapCountry)
}

// RegionalProcesses lists all processes by launch date.
func (s *Store) RegionalProcesses(ctx context.Context) ([]*model.RegionalProcess, error) {
	return readNodes(s, ctx, "regional_processes", nil, mapRegionalProcess)
}

// Instruments lists instruments by name, optionally of one kind.
func (s *Store) Instruments(ctx context.Context, kind *model.InstrumentKind) ([]*model.Instrument, error) {
	return readNodes(s, ctx, "instruments", map[string]any{"kind": enumValue(kind)}, mapInstrument)
}

// Organisations lists organisations by name, optionally of one kind.
func (s *Store) Organisations(ctx context.Context, kind *model.OrganisationKind) ([]*model.Organisation, error) {
	return readNodes(s, ctx, "organisations", map[string]any{"kind": enumValue(kind)}, mapOrganisation)
}

// ProjectFilter narrows Projects; nil fields do not filter.
type ProjectFilter struct {
	CountryCode *string
	Status      *model.ProjectStatus
	First       int
}

// Projects lists projects, latest start first.
func (s *Store) Projects(ctx context.Context, f ProjectFilter) ([]*model.Project, error) {
	return readNodes(s, ctx, "projects", map[string]any{
		"country": ptrValue(f.CountryCode), "status": enumValue(f.Status), "first": f.First,
	}, mapProject)
}

// Donors lists the organisations that fund at least one project.
func (s *Store) Donors(ctx context.Context) ([]*model.Donor, error) {
	recs, err := s.read(ctx, "donors", nil)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Donor, 0, len(recs))
	for _, r := range recs {
		id, _ := r.Get("id")
		n, _ := r.Get("projects")
		out = append(out, &model.Donor{ID: id.(string), ProjectCount: int(n.(int64))})
	}
	return out, nil
}

// KindCounts counts the nodes of each kind.
func (s *Store) KindCounts(ctx context.Context) ([]*model.KindCount, error) {
	recs, err := s.read(ctx, "kind_counts", nil)
	if err != nil {
		return nil, err
	}
	out := make([]*model.KindCount, 0, len(recs))
	for _, r := range recs {
		kind, _ := r.Get("kind")
		n, _ := r.Get("count")
		k, _ := kind.(string)
		out = append(out, &model.KindCount{Kind: k, Count: int(n.(int64))})
	}
	return out, nil
}

// ThematicAreas lists the thematic vocabulary by name.
func (s *Store) ThematicAreas(ctx context.Context) ([]*model.ThematicArea, error) {
	return readNodes(s, ctx, "thematic_areas", nil, mapThematicArea)
}

// Priorities lists every stated priority.
func (s *Store) Priorities(ctx context.Context) ([]*model.Priority, error) {
	return readNodes(s, ctx, "priorities", nil, mapPriority)
}

// Sources lists every source document.
func (s *Store) Sources(ctx context.Context) ([]*model.Source, error) {
	return readNodes(s, ctx, "sources", nil, mapSource)
}

// Direction says which end of a relationship the ids given to Links name.
type Direction bool

const (
	Outgoing Direction = true  // the ids are the relationships' start nodes
	Incoming Direction = false // the ids are the relationships' end nodes
)

// Links returns, per id, the relationships of one type leaving (Outgoing) or reaching (Incoming)
// that node, ordered by the name of the node at the other end.
func (s *Store) Links(ctx context.Context, relType string, dir Direction, ids []string) (map[string][]Link, error) {
	if !writableRelTypes[relType] {
		return nil, fmt.Errorf("links: relationship type %q is not in the model", relType)
	}
	name := "edges_in"
	if dir == Outgoing {
		name = "edges_out"
	}
	q := strings.ReplaceAll(statement(name), "__TYPE__", relType)
	return readEdges(s, ctx, name+":"+relType, q, ids, mapLink)
}

// Edge look-ups, batched by the id of the node they hang from.

func (s *Store) MembershipsByMember(ctx context.Context, ids []string) (map[string][]*model.Membership, error) {
	return readEdges(s, ctx, "memberships_by_member", statement("memberships_by_member"), ids, mapMembership)
}

func (s *Store) MembershipsByProcess(ctx context.Context, ids []string) (map[string][]*model.Membership, error) {
	return readEdges(s, ctx, "memberships_by_process", statement("memberships_by_process"), ids, mapMembership)
}

func (s *Store) FundingsByProject(ctx context.Context, ids []string) (map[string][]*model.Funding, error) {
	return readEdges(s, ctx, "fundings_by_project", statement("fundings_by_project"), ids, mapFunding)
}

func (s *Store) FundingsByDonor(ctx context.Context, ids []string) (map[string][]*model.Funding, error) {
	return readEdges(s, ctx, "fundings_by_donor", statement("fundings_by_donor"), ids, mapFunding)
}

func (s *Store) ImplementationsByProject(ctx context.Context, ids []string) (map[string][]*model.Implementation, error) {
	return readEdges(s, ctx, "implementations_by_project", statement("implementations_by_project"), ids, mapImplementation)
}

func (s *Store) ImplementationsByOrganisation(ctx context.Context, ids []string) (map[string][]*model.Implementation, error) {
	return readEdges(s, ctx, "implementations_by_organisation", statement("implementations_by_organisation"), ids, mapImplementation)
}

func (s *Store) TargetsByProject(ctx context.Context, ids []string) (map[string][]*model.ProjectTarget, error) {
	return readEdges(s, ctx, "targets_by_project", statement("targets_by_project"), ids, mapTarget)
}

func (s *Store) TargetsByCountry(ctx context.Context, ids []string) (map[string][]*model.ProjectTarget, error) {
	return readEdges(s, ctx, "targets_by_country", statement("targets_by_country"), ids, mapTarget)
}

// InstrumentIDsByProject returns, per project id, the ids of the instruments financing it.
func (s *Store) InstrumentIDsByProject(ctx context.Context, ids []string) (map[string][]string, error) {
	return readEdges(s, ctx, "instruments_by_project", statement("instruments_by_project"), ids, func(_, to string, _ map[string]any) (string, error) { return to, nil })
}

// ProjectIDsByInstrument returns, per instrument id, the ids of the projects it finances.
func (s *Store) ProjectIDsByInstrument(ctx context.Context, ids []string) (map[string][]string, error) {
	return readEdges(s, ctx, "projects_by_instrument", statement("projects_by_instrument"), ids, func(from, _ string, _ map[string]any) (string, error) { return from, nil })
}

// readNodes runs a statement returning `props` and `refs` per record and maps each record.
func readNodes[T any](s *Store, ctx context.Context, name string, params map[string]any, mapFn func(map[string]any, refs) (T, error)) ([]T, error) {
	recs, err := s.read(ctx, name, params)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(recs))
	for _, r := range recs {
		v, err := mapFn(propsOf(r), refsOfRecord(r))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, v)
	}
	return out, nil
}

func refsOfRecord(r *neo4j.Record) refs {
	v, _ := r.Get("refs")
	return refsOf(v)
}

// readEdges runs a batched statement returning `key, from, to, props` per record and groups the
// mapped edges by key, keeping the statement's order.
func readEdges[T any](s *Store, ctx context.Context, name, cypher string, ids []string, mapFn func(from, to string, m map[string]any) (T, error)) (map[string][]T, error) {
	recs, err := s.readQuery(ctx, name, cypher, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]T, len(ids))
	for _, r := range recs {
		key, _ := r.Get("key")
		from, _ := r.Get("from")
		to, _ := r.Get("to")
		v, err := mapFn(from.(string), to.(string), propsOf(r))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		k := key.(string)
		out[k] = append(out[k], v)
	}
	return out, nil
}

func propsOf(r *neo4j.Record) map[string]any {
	v, _ := r.Get("props")
	m, _ := v.(map[string]any)
	return m
}

func ptrValue[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func enumValue[E ~string](p *E) any {
	if p == nil {
		return nil
	}
	return string(*p)
}
