package graph

import (
	"strings"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// maxPageSize bounds every list argument `first`.
const maxPageSize = 300

// pageSize checks a `first` argument; the schema gives it a default, so nil means a client sent null.
func pageSize(first *int) (int, error) {
	if first == nil {
		return 0, apperr.BadInput("argument first must be a number from 1 to %d, not null", maxPageSize)
	}
	if *first < 1 || *first > maxPageSize {
		return 0, apperr.BadInput("argument first must be from 1 to %d, got %d", maxPageSize, *first)
	}
	return *first, nil
}

// countryCode normalises an ISO 3166-1 alpha-2 or alpha-3 code to upper case.
func countryCode(arg, code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if len(c) < 2 || len(c) > 3 || strings.IndexFunc(c, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return "", apperr.BadInput("argument %s must be an ISO 3166-1 alpha-2 or alpha-3 code such as SN or SEN, got %q", arg, code)
	}
	return c, nil
}

// searchKinds maps the schema's SearchKind values to node kinds in the graph.
var searchKinds = map[model.SearchKind]string{
	model.SearchKindCountry:         store.KindCountry,
	model.SearchKindRegionalProcess: store.KindRegionalProcess,
	model.SearchKindInstrument:      store.KindInstrument,
	model.SearchKindOrganisation:    store.KindOrganisation,
	model.SearchKindProject:         store.KindProject,
	model.SearchKindThematicArea:    store.KindThematicArea,
}

// maxSearchText bounds the text of a search.
const maxSearchText = 200

// searchArgs checks the arguments of `search`.
func searchArgs(text string, types []model.SearchKind, first *int) (string, []string, int, error) {
	t := strings.TrimSpace(text)
	if t == "" || len([]rune(t)) > maxSearchText {
		return "", nil, 0, apperr.BadInput("argument text must have 1 to %d characters", maxSearchText)
	}
	n, err := pageSize(first)
	if err != nil {
		return "", nil, 0, err
	}
	kinds := make([]string, 0, len(types))
	for _, k := range types {
		kinds = append(kinds, searchKinds[k])
	}
	return t, kinds, n, nil
}
