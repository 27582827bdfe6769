package store

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// NodesByKey returns the nodes with the given keys, keyed by key.
func (s *Store) NodesByKey(ctx context.Context, keys []string) (map[string]model.Node, error) {
	recs, err := s.read(ctx, "nodes_by_key", map[string]any{"keys": keys})
	if err != nil {
		return nil, err
	}
	out := make(map[string]model.Node, len(recs))
	for _, r := range recs {
		key, _ := r.Get("key")
		kind, _ := r.Get("kind")
		k, _ := kind.(string)
		node, err := mapNode(k, propsOf(r), refsOfRecord(r))
		if err != nil {
			return nil, fmt.Errorf("nodes by key: %w", err)
		}
		out[key.(string)] = node
	}
	return out, nil
}

// mapNode maps a node's properties by its kind.
func mapNode(kind string, m map[string]any, ref refs) (model.Node, error) {
	switch kind {
	case KindCountry:
		return mapCountry(m, ref)
	case KindRegionalProcess:
		return mapRegionalProcess(m, ref)
	case KindInstrument:
		return mapInstrument(m, ref)
	case KindOrganisation:
		return mapOrganisation(m, ref)
	case KindProject:
		return mapProject(m, ref)
	case KindSource:
		return mapSource(m, ref)
	case KindThematicArea:
		return mapThematicArea(m, ref)
	case KindPriority:
		return mapPriority(m, ref)
	case KindClaim:
		return mapClaim(m, ref)
	}
	return nil, fmt.Errorf("node %v has unknown kind %q", m["id"], kind)
}

// CountryByCode returns the country with that ISO alpha-2 or alpha-3 code (upper case), or nil.
func (s *Store) CountryByCode(ctx context.Context, code string) (*model.Country, error) {
	list, err := readNodes(s, ctx, "country_by_code", map[string]any{"code": code}, mapCountry)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list[0], nil
}

// CountryKeyByCode is the key of the country with this ISO 3166-1 alpha-2 or alpha-3 code (upper
// case) as the reference index knows it (read at most every referenceTTL, so usually without a
// statement); ok is false when the index has no such country, cannot be read, or is being read
// by another request (a shortcut never waits for another request's read). The index may be that
// old: callers check the node they then read.
func (s *Store) CountryKeyByCode(ctx context.Context, code string) (key string, ok bool) {
	ix := s.referenceIndexUnlessBusy(ctx)
	if ix == nil {
		return "", false
	}
	key, ok = ix.byCode[code]
	if !ok || ix.byKey[key].kind != KindCountry {
		return "", false
	}
	return key, true
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

func propsOf(r *neo4j.Record) map[string]any {
	v, _ := r.Get("props")
	m, _ := v.(map[string]any)
	return m
}
