package store

import (
	"slices"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
)

// Search ranks its hits in three tiers, then by full-text score, then by key:
//  1. the whole text is a node's name, short name, title or alias;
//  2. the text is the start of one of them;
//  3. every word of the text matches a word of the node (full-text score only).
// Names are compared as dataset.NameKey compares them (case and diacritics ignored, every run of
// other characters one space), with the keys stored on each node (NameKeysProperty). The full-text index folds case and diacritics itself
// (standard-folding analyzer); the words of a prefix or fuzzy query bypass the analyzer, so the
// query folds them the same way first.

// fuzzyMinLetters is the length from which a word also matches words one edit away.
const fuzzyMinLetters = 5

// stopWords are the words the index's analyzer drops (Lucene's English stop words): the index
// holds no term for them, so a query may not require them.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("a an and are as at be but by for if in into is it no not of on or " +
		"such that the their then there these they this to was will with") {
		stopWords[w] = true
	}
}

// letterFolds are the letters the analyzer folds to plain Latin letters that canonical
// decomposition leaves whole.
var letterFolds = strings.NewReplacer("æ", "ae", "ø", "o", "ß", "ss", "ł", "l", "đ", "d", "ð", "d",
	"œ", "oe", "þ", "th", "ı", "i", "ŋ", "n")

// searchWords are the words of a search text, folded as the index folds its terms: lower case,
// without diacritics. Anything but letters and digits separates words, so no character of the
// text can reach a query as syntax.
func searchWords(text string) []string {
	return strings.Fields(letterFolds.Replace(dataset.NameKey(text)))
}

// luceneQuery turns free text into a Lucene query in which every word must match, exactly, as a
// prefix, or (five letters or more) with one typo. Stop words, which the index does not hold, may
// match as a prefix but are not required. Lucene operators in the text are plain separators, so no
// input can change the query's structure.
func luceneQuery(text string) string {
	words := searchWords(text)
	parts := make([]string, 0, len(words))
	for _, w := range words {
		alternatives := w + " OR " + w + "*"
		if len([]rune(w)) >= fuzzyMinLetters {
			alternatives += " OR " + w + "~1"
		}
		if stopWords[w] {
			parts = append(parts, "("+alternatives+")")
		} else {
			parts = append(parts, "+("+alternatives+")")
		}
	}
	return strings.Join(parts, " ")
}

// NameKeysProperty is the node property holding the names, short name, title and aliases of the node
// as dataset.NameKey folds them (nameKeys): search ranks exact and prefix matches by comparing
// strings with it, not by matching patterns against every name. Every statement that writes a
// node's values writes it (withNameKeys), and migration 10 filled it in on the nodes written
// before. Derived, it is never stated, compared or exported.
const NameKeysProperty = "nameKeys"

// nameKeys are the distinct non-empty NameKeys of the name, short name, title and aliases in a
// node's property map, in that order; nil when it has none.
func nameKeys(props map[string]any) []string {
	var names []string
	for _, p := range []string{"name", "shortName", "title"} {
		if s, ok := props[p].(string); ok {
			names = append(names, s)
		}
	}
	switch aliases := props["aliases"].(type) {
	case []string:
		names = append(names, aliases...)
	case []any:
		for _, a := range aliases {
			if s, ok := a.(string); ok {
				names = append(names, s)
			}
		}
	}
	var keys []string
	for _, n := range names {
		if k := dataset.NameKey(n); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// withNameKeys returns a copy of a node's property map with its name keys (NameKeysProperty) in
// place of any it held.
func withNameKeys(props map[string]any) map[string]any {
	out := make(map[string]any, len(props)+1)
	for k, v := range props {
		out[k] = v
	}
	delete(out, NameKeysProperty)
	if keys := nameKeys(props); keys != nil {
		out[NameKeysProperty] = keys
	}
	return out
}

// withNameKeysAll is withNameKeys for each of rows.
func withNameKeysAll(rows []map[string]any) []map[string]any {
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[i] = withNameKeys(r)
	}
	return out
}
