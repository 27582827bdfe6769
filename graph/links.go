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

// loadPriorityHolder loads the country or process that stated a priority.
func loadPriorityHolder(ctx context.Context, id string) (model.PriorityHolder, error) {
	v, ok, err := loadersFrom(ctx).nodes.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	switch n := v.(type) {
	case *model.Country:
		return n, nil
	case *model.RegionalProcess:
		return n, nil
	}
	return nil, fmt.Errorf("priority holder %s is missing or a %T (found: %v)", id, v, ok)
}

// loadSupportable loads the process or instrument a project carries out.
func loadSupportable(ctx context.Context, id string) (model.Supportable, error) {
	v, ok, err := loadersFrom(ctx).nodes.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	switch n := v.(type) {
	case *model.RegionalProcess:
		return n, nil
	case *model.Instrument:
		return n, nil
	}
	return nil, fmt.Errorf("supported node %s is missing or a %T (found: %v)", id, v, ok)
}
