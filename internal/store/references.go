package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/dataset"
)

// References are checked before a filter is compiled: every key, ISO code or name written in a
// `where` input (and in the look-ups by key) is resolved to the node it means, or refused with
// NOT_FOUND naming the argument and the closest matches, so that a typo never reads as "nothing
// found". A reference may be written as a key (`country:ET`), a key without its prefix where the
// kind is known (`rabat` for a process), an ISO alpha-2 or alpha-3 code (countries), or an exact
// name, short name or alias, compared as dataset.NameKey, when one node of the kind has it, or
// the node's global id.

// keyPrefixes are the key prefixes of each kind.
var keyPrefixes = map[string]string{
	KindCountry: "country:", KindRegionalProcess: "process:", KindInstrument: "instrument:",
	KindOrganisation: "org:", KindThematicArea: "theme:", KindProject: "project:", KindSource: "source:",
	KindPriority: "priority:", KindClaim: "claim:",
}

// namedKinds are the kinds held in memory with their names (a source's name is its title); the
// others (projects, priorities, claims) are many and are checked by key against Neo4j.
var namedKinds = []string{KindCountry, KindRegionalProcess, KindInstrument, KindOrganisation, KindThematicArea, KindSource}

// referenceTTL is how long the names of the graph are reused before they are read again.
const referenceTTL = 30 * time.Second

type referenceEntry struct {
	key, kind, name, iso2 string
}

// referenceIndex is the graph's nodes of the named kinds, by key, name and code.
type referenceIndex struct {
	byKey  map[string]referenceEntry
	byName map[string]map[string][]string // kind -> NameKey -> keys
	byCode map[string]string              // ISO alpha-2 and alpha-3 -> key
	names  map[string][][2]string         // kind -> (NameKey, key) pairs, for suggestions
	read   time.Time
}

type referenceCache struct {
	mu    sync.Mutex
	index *referenceIndex
}

func (s *Store) referenceIndex(ctx context.Context) (*referenceIndex, error) {
	s.refs.mu.Lock()
	defer s.refs.mu.Unlock()
	return s.freshReferenceIndex(ctx)
}

// referenceIndexUnlessBusy is referenceIndex for shortcuts that have a way round it: while
// another request reads the index, it answers nil at once rather than wait for that read.
func (s *Store) referenceIndexUnlessBusy(ctx context.Context) *referenceIndex {
	if !s.refs.mu.TryLock() {
		return nil
	}
	defer s.refs.mu.Unlock()
	ix, err := s.freshReferenceIndex(ctx)
	if err != nil {
		return nil
	}
	return ix
}

// freshReferenceIndex returns the index held if it is fresh, else reads it; s.refs.mu is held.
func (s *Store) freshReferenceIndex(ctx context.Context) (*referenceIndex, error) {
	if s.refs.index != nil && time.Since(s.refs.index.read) < referenceTTL {
		return s.refs.index, nil
	}
	recs, err := s.read(ctx, "reference_index", nil)
	if err != nil {
		return nil, err
	}
	ix := &referenceIndex{byKey: map[string]referenceEntry{}, byName: map[string]map[string][]string{},
		byCode: map[string]string{}, names: map[string][][2]string{}, read: time.Now()}
	for _, r := range recs {
		m := r.AsMap()
		p := &props{m: m}
		e := referenceEntry{key: p.str("id"), kind: p.str("kind"), name: p.str("name"), iso2: p.str("iso2")}
		ix.byKey[e.key] = e
		if ix.byName[e.kind] == nil {
			ix.byName[e.kind] = map[string][]string{}
		}
		names := append([]string{e.name, p.str("shortName")}, p.strList("aliases")...)
		seen := map[string]bool{}
		for _, n := range names {
			k := dataset.NameKey(n)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			ix.byName[e.kind][k] = append(ix.byName[e.kind][k], e.key)
			ix.names[e.kind] = append(ix.names[e.kind], [2]string{k, e.key})
		}
		ix.names[e.kind] = append(ix.names[e.kind], [2]string{dataset.NameKey(strings.TrimPrefix(e.key, keyPrefixes[e.kind])), e.key})
		for _, c := range []string{e.iso2, p.str("iso3")} {
			if c != "" {
				ix.byCode[c] = e.key
			}
		}
	}
	s.refs.index = ix
	return ix, nil
}

// unresolved is a reference that names no node, with what it might have meant.
type unresolved struct {
	path, value, kinds string
	ambiguous          []string // keys of the several nodes an exact name names
	suggestions        []string
}

func (u unresolved) String() string {
	switch {
	case len(u.ambiguous) > 0:
		return fmt.Sprintf("%s: %q is the name of several %s nodes (%s); give a key", u.path, u.value, u.kinds, strings.Join(u.ambiguous, ", "))
	case len(u.suggestions) > 0:
		return fmt.Sprintf("%s: no %s %q; did you mean %s?", u.path, u.kinds, u.value, strings.Join(u.suggestions, " or "))
	}
	return fmt.Sprintf("%s: no %s %q", u.path, u.kinds, u.value)
}

// resolver resolves the references of one request; the keys of the kinds not held in memory are
// checked together once the walk is done.
type resolver struct {
	ix       *referenceIndex
	problems []unresolved
	// pending are references to kinds checked against Neo4j: the keys they may mean, by kind.
	pending []pendingKey
}

type pendingKey struct {
	path, value, kind string
	set               func(key string)
}

// resolve returns the key a reference to one of kinds means ("" when none: a problem is noted,
// or the check is pending and set is called with the key).
func (r *resolver) resolve(kinds []string, value, path string, set func(string)) string {
	v := strings.TrimSpace(value)
	if key, err := model.KeyOfGlobalID(v); err == nil {
		v = key // a node's global id, as `id` gives it
	}
	var named []string
	for _, kind := range kinds {
		if !slices.Contains(namedKinds, kind) {
			r.pending = append(r.pending, pendingKey{path: path, value: value, kind: kind, set: set})
			return v
		}
		named = append(named, kind)
	}
	for _, kind := range named {
		if e, ok := r.ix.byKey[v]; ok && e.kind == kind {
			return v
		}
		if e, ok := r.ix.byKey[keyPrefixes[kind]+v]; ok && e.kind == kind {
			return e.key
		}
		if kind == KindCountry {
			if key, ok := r.ix.byCode[strings.ToUpper(v)]; ok {
				return key
			}
		}
	}
	var ambiguous []string
	for _, kind := range named {
		keys := r.ix.byName[kind][dataset.NameKey(v)]
		if len(keys) == 1 && len(ambiguous) == 0 {
			return keys[0]
		}
		ambiguous = append(ambiguous, keys...)
	}
	u := unresolved{path: path, value: value, kinds: kindWords(named)}
	if len(ambiguous) > 1 {
		sort.Strings(ambiguous)
		u.ambiguous = ambiguous
	} else {
		u.suggestions = r.suggest(named, v)
	}
	r.problems = append(r.problems, u)
	return ""
}

// suggest returns the up to three keys whose names or key tails are closest to v, within an edit
// distance of a third of its length (at least two).
func (r *resolver) suggest(kinds []string, v string) []string {
	target := dataset.NameKey(strings.TrimPrefix(v, prefixOf(v)))
	if target == "" {
		return nil
	}
	limit := max(2, len([]rune(target))/3)
	best := map[string]int{}
	for _, kind := range kinds {
		for _, pair := range r.ix.names[kind] {
			d := editDistance(target, pair[0])
			if d > limit {
				continue
			}
			if prev, ok := best[pair[1]]; !ok || d < prev {
				best[pair[1]] = d
			}
		}
	}
	keys := make([]string, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if best[keys[i]] != best[keys[j]] {
			return best[keys[i]] < best[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > 3 {
		keys = keys[:3]
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%s (%s)", k, r.ix.byKey[k].name)
	}
	return out
}

func prefixOf(v string) string {
	if i := strings.Index(v, ":"); i > 0 {
		return v[:i+1]
	}
	return ""
}

// kindWords names kinds as a person reads them ("country", "organisation or instrument").
func kindWords(kinds []string) string {
	words := map[string]string{KindCountry: "country", KindRegionalProcess: "regional process", KindInstrument: "instrument",
		KindOrganisation: "organisation", KindThematicArea: "thematic area", KindProject: "project", KindSource: "source",
		KindPriority: "priority", KindClaim: "claim"}
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = words[k]
	}
	return strings.Join(out, " or ")
}

// editDistance is the Levenshtein distance between two strings, by runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// ResolveWhere returns a copy of a `where` input of kind with every reference replaced by the
// key (or, for ISO-code filters, the alpha-2 code) it means, or NOT_FOUND listing every
// reference that names no node, with suggestions.
func (s *Store) ResolveWhere(ctx context.Context, kind string, where map[string]any, path string) (map[string]any, error) {
	if len(where) == 0 || !hasReferences(kind, where) {
		return where, nil
	}
	ix, err := s.referenceIndex(ctx)
	if err != nil {
		return nil, err
	}
	r := &resolver{ix: ix}
	out := r.where(kind, where, path)
	if err := s.checkPending(ctx, r); err != nil {
		return nil, err
	}
	if err := r.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ResolveKey resolves a look-up by key of one of kinds (a key, or a key without its prefix, an
// ISO code or a name where the kind is held in memory).
func (s *Store) ResolveKey(ctx context.Context, kinds []string, value, path string) (string, error) {
	ix, err := s.referenceIndex(ctx)
	if err != nil {
		return "", err
	}
	r := &resolver{ix: ix}
	key := r.resolve(kinds, value, path, func(k string) { value = k })
	if err := s.checkPending(ctx, r); err != nil {
		return "", err
	}
	if err := r.err(); err != nil {
		return "", err
	}
	if len(r.pending) > 0 {
		return value, nil
	}
	return key, nil
}

func (r *resolver) err() error {
	if len(r.problems) == 0 {
		return nil
	}
	parts := make([]string, 0, len(r.problems))
	for i, p := range r.problems {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(r.problems)-5))
			break
		}
		parts = append(parts, p.String())
	}
	return apperr.Missing("%s", strings.Join(parts, "; "))
}

// checkPending checks the references to kinds not held in memory against Neo4j, by key and by
// key with the kind's prefix, in one statement.
func (s *Store) checkPending(ctx context.Context, r *resolver) error {
	if len(r.pending) == 0 {
		return nil
	}
	var keys []string
	for _, p := range r.pending {
		v := strings.TrimSpace(p.value)
		keys = append(keys, v, keyPrefixes[p.kind]+v)
	}
	recs, err := s.read(ctx, "reference_keys", map[string]any{"keys": keys})
	if err != nil {
		return err
	}
	kindOf := map[string]string{}
	for _, rec := range recs {
		k, _ := rec.Get("key")
		kind, _ := rec.Get("kind")
		kindOf[fmt.Sprint(k)] = fmt.Sprint(kind)
	}
	for _, p := range r.pending {
		v := strings.TrimSpace(p.value)
		switch {
		case kindOf[v] == p.kind:
			p.set(v)
		case kindOf[keyPrefixes[p.kind]+v] == p.kind:
			p.set(keyPrefixes[p.kind] + v)
		default:
			r.problems = append(r.problems, unresolved{path: p.path, value: p.value, kinds: kindWords([]string{p.kind})})
		}
	}
	return nil
}

// hasReferences says whether a where input holds any field that names nodes.
func hasReferences(kind string, w map[string]any) bool {
	for k, v := range w {
		switch k {
		case "AND", "OR":
			for _, item := range asList(v) {
				if hasReferences(kind, asMap(item)) {
					return true
				}
			}
			continue
		case "NOT":
			if hasReferences(kind, asMap(v)) {
				return true
			}
			continue
		}
		f, ok := filters[kind][k]
		if !ok {
			continue
		}
		switch {
		case f.op == opKeys || f.op == opCodes || f.op == opCites || (f.op == opIn && k == "keys"):
			return true
		case f.op == opSome || f.op == opNone:
			if hasReferences(f.kind, asMap(v)) {
				return true
			}
		}
	}
	return false
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// where resolves the references of one where input.
func (r *resolver) where(kind string, w map[string]any, path string) map[string]any {
	out := make(map[string]any, len(w))
	for k, v := range w {
		out[k] = v
		p := path + "." + k
		switch k {
		case "AND", "OR":
			items := asList(v)
			list := make([]any, len(items))
			for i, item := range items {
				list[i] = r.where(kind, asMap(item), fmt.Sprintf("%s[%d]", p, i))
			}
			out[k] = list
			continue
		case "NOT":
			out[k] = r.where(kind, asMap(v), p)
			continue
		}
		f, ok := filters[kind][k]
		if !ok {
			continue
		}
		switch {
		case f.op == opSome || f.op == opNone:
			if m := asMap(v); m != nil {
				out[k] = r.where(f.kind, m, p)
			}
		case f.op == opCites:
			str, _ := v.(string)
			out[k] = r.resolve([]string{KindSource}, str, p, func(key string) { out[k] = key })
		case f.op == opKeys || f.op == opCodes || (f.op == opIn && k == "keys"):
			kinds := []string{kind}
			if f.op == opKeys {
				kinds = strings.Split(f.kind, "|")
			}
			if f.op == opCodes {
				kinds = []string{KindCountry}
			}
			items := asList(v)
			list := make([]any, len(items))
			for i, item := range items {
				i := i
				str, _ := item.(string)
				key := r.resolve(kinds, str, fmt.Sprintf("%s[%d]", p, i), func(key string) { list[i] = key })
				if f.op == opCodes {
					if e, ok := r.ix.byKey[key]; ok {
						key = e.iso2
					}
				}
				list[i] = key
			}
			out[k] = list
		}
	}
	return out
}
