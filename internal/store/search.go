package store

import (
	"context"
	"strings"
	"unicode"
)

// SearchHit is one node found by Search, with its relevance score.
type SearchHit struct {
	ID    string
	Kind  string
	Score float64
}

// Search finds nodes whose name, short name, title, aliases or description match all the words
// of text (each word also matches as a prefix), best first. kinds, when not empty, keeps only
// those node kinds.
func (s *Store) Search(ctx context.Context, text string, kinds []string, first int) ([]SearchHit, error) {
	query := luceneQuery(text)
	if query == "" {
		return []SearchHit{}, nil
	}
	var kindParam any
	if len(kinds) > 0 {
		kindParam = kinds
	}
	recs, err := s.read(ctx, "search", map[string]any{"query": query, "kinds": kindParam, "first": first})
	if err != nil {
		return nil, err
	}
	out := make([]SearchHit, 0, len(recs))
	for _, r := range recs {
		id, _ := r.Get("id")
		kind, _ := r.Get("kind")
		score, _ := r.Get("score")
		hit := SearchHit{}
		hit.ID, _ = id.(string)
		hit.Kind, _ = kind.(string)
		hit.Score, _ = score.(float64)
		out = append(out, hit)
	}
	return out, nil
}

// luceneQuery turns free text into a Lucene query in which every word must match, either
// exactly or as a prefix. Lucene operators in the text are treated as plain characters, so no
// input can change the query's structure.
func luceneQuery(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	parts := make([]string, 0, len(words))
	for _, w := range words {
		w = strings.ToLower(w)
		parts = append(parts, "+("+w+" OR "+w+"*)")
	}
	return strings.Join(parts, " ")
}
