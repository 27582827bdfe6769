package graph

import (
	"context"
	"fmt"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Conversions from relationships to the schema's edge types.

func processPillar(l store.Link) *model.ProcessPillar {
	return &model.ProcessPillar{ProcessID: l.From, ThemeID: l.To, Pillar: l.Str("pillar"), Sources: l.Sources}
}

func projectTheme(l store.Link) *model.ProjectTheme {
	return &model.ProjectTheme{ProjectID: l.From, ThemeID: l.To, Sources: l.Sources}
}

func projectSupport(l store.Link) *model.ProjectSupport {
	return &model.ProjectSupport{ProjectID: l.From, SupportedID: l.To, Sources: l.Sources}
}

func projectFollowUp(l store.Link) *model.ProjectFollowUp {
	return &model.ProjectFollowUp{ProjectID: l.From, FollowsUpID: l.To, Sources: l.Sources}
}

func instrumentParty(l store.Link) *model.InstrumentParty {
	return &model.InstrumentParty{InstrumentID: l.From, PartyID: l.To, Role: model.PartyRole(l.Str("role")), Sources: l.Sources}
}

func instrumentContribution(l store.Link) *model.InstrumentContribution {
	return &model.InstrumentContribution{ContributorID: l.From, InstrumentID: l.To, Sources: l.Sources}
}

// claimsOf loads the claims made about a node.
func claimsOf(ctx context.Context, id string) ([]*model.Claim, error) {
	return loadLinked[model.Claim](ctx, dataset.RelHasClaim, store.Outgoing, id)
}

// prioritiesOf loads the priorities a country or process stated.
func prioritiesOf(ctx context.Context, id string) ([]*model.Priority, error) {
	return loadLinked[model.Priority](ctx, dataset.RelStates, store.Outgoing, id)
}

// loadUnion loads a node that a union-typed field points to (a Member, PriorityHolder,
// Supportable or SearchResult); a missing node or one of a kind outside the union is a broken graph.
func loadUnion[U any](ctx context.Context, id string) (U, error) {
	var zero U
	v, ok, err := loadersFrom(ctx).nodes.Load(ctx, id)
	if err != nil {
		return zero, err
	}
	if u, is := v.(U); ok && is {
		return u, nil
	}
	return zero, fmt.Errorf("node %s is missing or a %T, which does not fit %T", id, v, (*U)(nil))
}
