package store

import (
	"fmt"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
)

// Search ranks its hits in three tiers, then by full-text score, then by key:
//  1. the whole text is a node's name, short name, title or alias;
//  2. the text is the start of one of them;
//  3. every word of the text matches a word of the node (full-text score only).
// Names are compared as dataset.NameKey compares them (case and diacritics ignored, every run of
// other characters one space). The full-text index folds case and diacritics itself
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

// namePatterns are the regular expressions (Java syntax, as Cypher's =~ reads them) that a name,
// in canonical decomposition, matches when it is the whole text (exact) or starts with it
// (prefix), as dataset.NameKey compares names. Every character of the text is written as a code
// point escape, so the text cannot add regular-expression syntax.
func namePatterns(text string) (exact, prefix string, ok bool) {
	key := dataset.NameKey(text)
	if key == "" {
		return "", "", false
	}
	const separators = `[^\p{L}\p{N}]`
	var b strings.Builder
	b.WriteString(`(?iu)` + separators + `*`)
	for _, r := range key {
		if r == ' ' {
			b.WriteString(separators + `+`)
			continue
		}
		fmt.Fprintf(&b, `\x{%x}\p{M}*`, r)
	}
	body := b.String()
	return body + separators + `*`, body + `(?s:.*)`, true
}
