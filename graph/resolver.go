// Package graph holds the GraphQL layer: the generated executable schema, thin resolvers that
// validate arguments and call the store through per-request loaders, and the error presenter.
package graph

//go:generate go tool gqlgen generate

import (
	"github.com/partnership-graph/partnership-graph/internal/curation"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Resolver is the root of all resolvers; its dependencies are shared by every request.
type Resolver struct {
	Store   *store.Store
	Version string
	// Curation makes and reviews change sets (the mutations, history and changes).
	Curation *curation.Service
	// satisfies lists the type conditions of each object type, for the look-ahead (lists.go).
	satisfies map[string][]string
}
