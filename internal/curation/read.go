package curation

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// ChangeSetModel is the GraphQL view of a change set.
func ChangeSetModel(cs *store.ChangeSet) *model.ChangeSet {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	out := &model.ChangeSet{ID: cs.ID, Author: cs.Author, CreatedAt: cs.CreatedAt.UTC().Format(time.RFC3339Nano),
		ChangedAt: cs.ChangedAt.UTC().Format(time.RFC3339Nano), Comment: cs.Comment, Status: model.ChangeSetStatus(cs.Status),
		Dataset: cs.Dataset, Source: opt(cs.Source), Reviewer: opt(cs.Reviewer), ReviewComment: opt(cs.ReviewComment),
		RevertOf: opt(cs.RevertOf), RevertedBy: opt(cs.RevertedBy), LoadSummary: opt(cs.Summary), Changes: []*model.Change{}}
	for _, o := range cs.Operations {
		c := &model.Change{Operation: o.Op, BeforeVersion: opt(o.BeforeVersion), Properties: propertyChanges(o.Before, o.After)}
		if o.ID != "" {
			c.Node, c.Kind = opt(o.ID), opt(o.Kind)
		} else {
			c.RelationshipType, c.From, c.To = opt(o.Type), opt(o.From), opt(o.To)
		}
		out.Changes = append(out.Changes, c)
	}
	return out
}

// propertyChanges lists, by name, the properties whose values differ before and after.
func propertyChanges(before, after map[string]any) []*model.PropertyChange {
	names := map[string]bool{}
	for k := range before {
		names[k] = true
	}
	for k := range after {
		names[k] = true
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	out := []*model.PropertyChange{}
	for _, k := range sorted {
		b, a := jsonOf(before, k), jsonOf(after, k)
		if (b == nil) == (a == nil) && (b == nil || *b == *a) {
			continue
		}
		out = append(out, &model.PropertyChange{Name: k, Before: b, After: a})
	}
	return out
}

func jsonOf(m map[string]any, k string) *string {
	v, ok := m[k]
	if !ok || v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	s := string(b)
	return &s
}

// DefaultPage and MaxPage bound the pages of history and changes.
const (
	DefaultPage = 20
	MaxPage     = 100
)

func pageSize(first *int) (int, error) {
	if first == nil {
		return DefaultPage, nil
	}
	if *first < 1 || *first > MaxPage {
		return 0, apperr.BadInput("argument first: want 1 to %d, got %d", MaxPage, *first)
	}
	return *first, nil
}

// cursor of a change set in a page: the time the page is ordered by and its id.
func cursorOf(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("cs1:" + at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

func parseCursor(after *string) (time.Time, string, error) {
	if after == nil {
		return time.Time{}, "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*after)
	at, id, ok := strings.Cut(strings.TrimPrefix(string(raw), "cs1:"), "|")
	t, perr := time.Parse(time.RFC3339Nano, at)
	if err != nil || !ok || !strings.HasPrefix(string(raw), "cs1:") || perr != nil {
		return time.Time{}, "", apperr.BadInput("argument after: not a cursor of this list")
	}
	return t, id, nil
}

func connectionOf(page store.ChangeSetPage, at func(*store.ChangeSet) time.Time) *model.ChangeSetConnection {
	out := &model.ChangeSetConnection{Edges: []*model.ChangeSetEdge{}, PageInfo: &model.PageInfo{HasNextPage: page.HasNext}}
	for _, cs := range page.ChangeSets {
		out.Edges = append(out.Edges, &model.ChangeSetEdge{Cursor: cursorOf(at(cs), cs.ID), Node: ChangeSetModel(cs)})
	}
	if n := len(out.Edges); n > 0 {
		out.PageInfo.StartCursor, out.PageInfo.EndCursor = &out.Edges[0].Cursor, &out.Edges[n-1].Cursor
	}
	return out
}

// History lists the change sets that touched a node, newest first.
func (s *Service) History(ctx context.Context, id string, first *int, after *string) (*model.ChangeSetConnection, error) {
	n, err := pageSize(first)
	if err != nil {
		return nil, err
	}
	at, csID, err := parseCursor(after)
	if err != nil {
		return nil, err
	}
	page, err := s.Store.History(ctx, nodeID(id), n, at, csID)
	if err != nil {
		return nil, err
	}
	return connectionOf(page, func(cs *store.ChangeSet) time.Time { return cs.CreatedAt }), nil
}

// Changes lists the change sets whose status changed after since, oldest change first.
func (s *Service) Changes(ctx context.Context, since string, first *int, after *string) (*model.ChangeSetConnection, error) {
	t, err := time.Parse(time.RFC3339Nano, since)
	if err != nil {
		return nil, apperr.BadInput("argument since: want an RFC 3339 time such as 2026-12-01T00:00:00Z, got %q", since)
	}
	n, err := pageSize(first)
	if err != nil {
		return nil, err
	}
	at, csID, err := parseCursor(after)
	if err != nil {
		return nil, err
	}
	page, err := s.Store.Changes(ctx, t, n, at, csID)
	if err != nil {
		return nil, err
	}
	return connectionOf(page, func(cs *store.ChangeSet) time.Time { return cs.ChangedAt }), nil
}

// ChangeSet returns one change set, nil when none has the id.
func (s *Service) ChangeSet(ctx context.Context, id string) (*model.ChangeSet, error) {
	cs, err := s.Store.ChangeSetByID(ctx, id)
	if err != nil || cs == nil {
		return nil, err
	}
	return ChangeSetModel(cs), nil
}
