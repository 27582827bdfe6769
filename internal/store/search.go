package store

import (
	"strings"
	"unicode"
)

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
