package store

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/apperr"
)

// filterOp says how one field of a GraphQL `...Where` input becomes a Cypher predicate.
type filterOp int

const (
	opString   filterOp = iota // StringFilter on expr
	opDate                     // DateFilter on expr
	opDecimal                  // DecimalFilter on expr
	opIn                       // expr is one of a list of values
	opAnyIn                    // the list property expr holds one of a list of values
	opKeys                     // a node reached by pattern has one of a list of keys
	opCodes                    // a country reached by pattern (or n itself when pattern is "") has one of a list of ISO codes
	opSome                     // a node reached by pattern matches a nested filter of kind
	opNone                     // no node reached by pattern matches a nested filter of kind
	opActiveOn                 // a project runs on a date
	opCites                    // the list property expr (a node's sourceIds) holds one source key
)

// filter is one filterable field. In expr, {n} stands for the filtered node and {m} for the
// related node of a pattern.
type filter struct {
	op   filterOp
	expr string
	kind string
}

// projectStart is a project's start date (actual, else planned), which the dataset writes keep in
// its indexed property `start` (migration 6); projectEnd is its end date.
const projectStart, projectEnd = "{n}.start", "coalesce({n}.actualEnd, {n}.plannedEnd)"

// filters lists, per node kind, every field of its GraphQL `...Where` input (AND, OR and NOT
// aside): those over its properties and, from the catalogue, those that follow a relationship.
// A test checks this table against the schema.
var filters = withCatalogue(withCites(propertyFilters), fromCatalogue.filters)

// citingKinds are the kinds whose `...Where` input has `cites`: every kind whose nodes state
// facts with sources (sources themselves cite none).
var citingKinds = []string{KindCountry, KindRegionalProcess, KindInstrument, KindOrganisation, KindProject, KindThematicArea, KindPriority}

// withCites adds the `cites` filter (the node's own sources name a source) to the citing kinds.
func withCites(table map[string]map[string]filter) map[string]map[string]filter {
	for _, kind := range citingKinds {
		table[kind]["cites"] = filter{op: opCites, expr: "{n}.sourceIds"}
	}
	return table
}

// propertyFilters are the filter fields over a node's own properties.
var propertyFilters = map[string]map[string]filter{
	KindCountry: {
		"keys":       {opIn, "{n}.id", ""},
		"codes":      {opCodes, "", ""},
		"name":       {opString, "{n}.name", ""},
		"region":     {opString, "{n}.region", ""},
		"subregion":  {opString, "{n}.subregion", ""},
		"euRelation": {opIn, "{n}.euRelation", ""},
	},
	KindRegionalProcess: {
		"keys":      {opIn, "{n}.id", ""},
		"name":      {opString, "{n}.name", ""},
		"shortName": {opString, "{n}.shortName", ""},
		"launched":  {opDate, "{n}.launched", ""},
	},
	KindInstrument: {
		"keys":      {opIn, "{n}.id", ""},
		"name":      {opString, "{n}.name", ""},
		"shortName": {opString, "{n}.shortName", ""},
		"kind":      {opIn, "{n}.kind", ""},
		"started":   {opDate, "{n}.started", ""},
		"ended":     {opDate, "{n}.ended", ""},
	},
	KindOrganisation: {
		"keys":      {opIn, "{n}.id", ""},
		"name":      {opString, "{n}.name", ""},
		"shortName": {opString, "{n}.shortName", ""},
		"kind":      {opIn, "{n}.kind", ""},
	},
	KindProject: {
		"keys":           {opIn, "{n}.id", ""},
		"title":          {opString, "{n}.title", ""},
		"iatiIdentifier": {opString, "{n}.iatiIdentifier", ""},
		"datasets":       {opAnyIn, "{n}.datasets", ""},
		"status":         {opIn, "{n}.status", ""},
		"scope":          {opIn, "{n}.scope", ""},
		"start":          {opDate, projectStart, ""},
		"end":            {opDate, projectEnd, ""},
		"activeOn":       {opActiveOn, "", ""},
		"budget":         {opDecimal, "{n}.budget", ""},
		"budgetCurrency": {opIn, "{n}.budgetCurrency", ""},
	},
	KindThematicArea: {
		"keys":     {opIn, "{n}.id", ""},
		"name":     {opString, "{n}.name", ""},
		"dacCodes": {opAnyIn, "{n}.dacCodes", ""},
	},
	KindPriority: {
		"keys":   {opIn, "{n}.id", ""},
		"stated": {opDate, "{n}.stated", ""},
	},
	KindSource: {
		"keys":      {opIn, "{n}.id", ""},
		"title":     {opString, "{n}.title", ""},
		"publisher": {opString, "{n}.publisher", ""},
	},
	KindClaim: {},
}

// order is one sortable field: an expression over {n}; {currency} stands for the currency
// parameter of funding totals.
type order struct {
	expr          string
	needsCurrency bool
}

// fundingSum sorts by a sum of amounts in whole hundredths (integers, exact whatever the order
// of the additions, so a cursor finds the same value again).
func fundingSum(path string) order {
	return order{expr: "reduce(s = 0, x IN [" + path + " WHERE f.currency = {currency} | " + hundredths("f.amount") + "] | s + x)", needsCurrency: true}
}

// orders lists, per node kind, the values of its GraphQL `...OrderField` enum: its properties
// and, from the catalogue, counts of related nodes and funding totals. A test checks this table
// against the schema.
var orders = withCatalogue(propertyOrders, fromCatalogue.orders)

// propertyOrders are the sort fields over a node's own properties.
var propertyOrders = map[string]map[string]order{
	KindCountry: {
		"NAME":   {expr: "{n}.name"},
		"ISO2":   {expr: "{n}.iso2"},
		"REGION": {expr: "{n}.region"},
	},
	KindRegionalProcess: {
		"NAME":       {expr: "{n}.name"},
		"SHORT_NAME": {expr: "{n}.shortName"},
		"LAUNCHED":   {expr: "{n}.launched"},
	},
	KindInstrument: {
		"NAME":    {expr: "{n}.name"},
		"STARTED": {expr: "{n}.started"},
	},
	KindOrganisation: {
		"NAME": {expr: "{n}.name"},
		// PROJECT_COUNT means what it means on the other kinds: the projects the node takes part
		// in, here funded or carried out, each once.
		"PROJECT_COUNT": {expr: "COUNT { MATCH ({n})-[:" + relFunds + "|" + relImplements + "]->(p:" + KindProject + ") RETURN DISTINCT p }"},
	},
	KindProject: {
		"TITLE": {expr: "{n}.title"},
		"START": {expr: projectStart},
		"END":   {expr: projectEnd},
	},
	KindThematicArea: {
		"NAME": {expr: "{n}.name"},
	},
}

// defaultOrders are the sort keys of each kind when a request gives none; "" is for lists that
// mix kinds. Every list ends with the key, so equal sort values never make pages overlap.
var defaultOrders = map[string][]sortKey{
	KindCountry:         {{expr: "{n}.name"}},
	KindRegionalProcess: {{expr: "{n}.launched"}, {expr: "{n}.shortName"}},
	KindInstrument:      {{expr: "{n}.name"}},
	KindOrganisation:    {{expr: "{n}.name"}},
	KindProject:         {{expr: projectStart, desc: true}, {expr: "{n}.title"}},
	KindThematicArea:    {{expr: "{n}.name"}},
	KindPriority:        {},
	KindClaim:           {{expr: "{n}.property"}, {expr: "{n}.asOf"}},
	KindSource:          {},
	"":                  {{expr: "coalesce({n}.name, {n}.title)"}},
}

type sortKey struct {
	expr string
	desc bool
}

// compiler turns filters and sort keys into Cypher text and parameters. Values never enter the
// text: each becomes a parameter named w0, w1...
type compiler struct {
	params map[string]any
	vars   int
	// limit names the parameter of a page's size: "limit" unless set (the lists nested in a
	// statement each have their own).
	limit string
}

func newCompiler(params map[string]any) *compiler {
	return &compiler{params: params}
}

func (c *compiler) param(v any) string {
	name := fmt.Sprintf("w%d", len(c.params))
	for _, taken := c.params[name]; taken; _, taken = c.params[name] {
		name += "_"
	}
	c.params[name] = v
	return "$" + name
}

func (c *compiler) newVar() string {
	c.vars++
	return fmt.Sprintf("m%d", c.vars)
}

// where compiles a filter on the node bound to variable n; path names the argument in errors.
// The filter is normalised first (see condition), so the text is linear in the size of the
// input, and filters that say the same thing in different nestings or orders of AND and OR get
// the same text and parameters, which lets Neo4j reuse its plan.
func (c *compiler) where(kind, n string, w map[string]any, path string) (string, error) {
	table, ok := filters[kind]
	if !ok {
		return "", fmt.Errorf("where: no filters for kind %q", kind)
	}
	cond, err := conditionOf(table, kind, w, path)
	if err != nil {
		return "", err
	}
	text, connective, err := c.condition(table, n, cond)
	if err != nil {
		return "", err
	}
	if connective == opOr {
		// Callers join the filter to more conditions with AND.
		return "(" + text + ")", nil
	}
	return text, nil
}

// Connectives of normalised conditions; a leaf has none.
const (
	opAnd = "AND"
	opOr  = "OR"
	opNot = "NOT"
)

// cond is a filter in normal form: a leaf (one field of a `...Where` input and its value), or
// the AND, OR or NOT of conditions. No AND holds an AND and no OR an OR (they are flattened),
// no NOT holds a NOT, no AND or OR holds a single condition, and the parts of an AND or OR come
// in a fixed order. An AND of nothing is true, an OR of nothing false.
type cond struct {
	connective string // opAnd, opOr, opNot, or "" for a leaf
	parts      []*cond
	field      string // a leaf's field
	value      any    // a leaf's value
	path       string // a leaf's argument path, for errors
	rank       string // where it sorts among the parts of an AND or OR
}

// conditionOf reads a `...Where` input (the AND of its fields) into a normalised condition.
func conditionOf(table map[string]filter, kind string, w map[string]any, path string) (*cond, error) {
	and := &cond{connective: opAnd}
	for _, field := range sortedKeys(w) {
		v := w[field]
		if v == nil {
			continue
		}
		fieldPath := path + "." + field
		switch field {
		case opAnd, opOr:
			list, _ := v.([]any)
			group := &cond{connective: field}
			for i, e := range list {
				part, err := conditionOf(table, kind, asMap(e), fmt.Sprintf("%s[%d]", fieldPath, i))
				if err != nil {
					return nil, err
				}
				group.parts = append(group.parts, part)
			}
			and.parts = append(and.parts, normalised(group))
		case opNot:
			inner, err := conditionOf(table, kind, asMap(v), fieldPath)
			if err != nil {
				return nil, err
			}
			and.parts = append(and.parts, normalised(&cond{connective: opNot, parts: []*cond{inner}}))
		default:
			if _, ok := table[field]; !ok {
				return nil, fmt.Errorf("where: kind %s has no filter %q", kind, field)
			}
			and.parts = append(and.parts, &cond{field: field, value: v, path: fieldPath, rank: field})
		}
	}
	return normalised(and), nil
}

// constant tells whether a condition is an AND of nothing (true) or an OR of nothing (false).
func (x *cond) constant(connective string) bool {
	return x.connective == connective && len(x.parts) == 0
}

// normalised puts one condition, whose parts are normalised already, in normal form.
func normalised(x *cond) *cond {
	switch x.connective {
	case opNot:
		inner := x.parts[0]
		switch {
		case inner.connective == opNot:
			return inner.parts[0]
		case inner.constant(opAnd):
			return &cond{connective: opOr}
		case inner.constant(opOr):
			return &cond{connective: opAnd}
		}
		x.rank = opNot + " " + inner.rank
		return x
	case opAnd, opOr:
		var parts []*cond
		for _, p := range x.parts {
			switch {
			case p.constant(x.connective): // true changes no AND, false no OR
			case p.connective == x.connective:
				parts = append(parts, p.parts...)
			default:
				parts = append(parts, p)
			}
		}
		// Parts of equal rank keep their order; they differ only in their values.
		sort.SliceStable(parts, func(i, j int) bool { return parts[i].rank < parts[j].rank })
		if len(parts) == 1 {
			return parts[0]
		}
		x.parts = parts
		if len(parts) > 0 {
			x.rank = x.connective + " " + parts[0].rank
		}
		return x
	}
	return x
}

// condition writes a normalised condition on n, and the connective its text ends up joined by
// at the top ("" when the text is one term), so that the caller knows when to bracket it.
func (c *compiler) condition(table map[string]filter, n string, x *cond) (string, string, error) {
	switch x.connective {
	case "":
		text, err := c.field(table[x.field], n, x.value, x.path)
		return text, "", err
	case opNot:
		inner, _, err := c.condition(table, n, x.parts[0])
		return "NOT (" + inner + ")", "", err
	}
	empty, joiner := "true", " AND "
	if x.connective == opOr {
		empty, joiner = "false", " OR "
	}
	terms := make([]string, 0, len(x.parts))
	for _, p := range x.parts {
		text, connective, err := c.condition(table, n, p)
		if err != nil {
			return "", "", err
		}
		if text == empty {
			continue // a field whose conditions are all left out
		}
		if connective != "" {
			text = "(" + text + ")"
		}
		terms = append(terms, text)
	}
	switch len(terms) {
	case 0:
		return empty, "", nil
	case 1:
		return terms[0], "", nil
	}
	return strings.Join(terms, joiner), x.connective, nil
}

func (c *compiler) field(f filter, n string, v any, path string) (string, error) {
	expr := strings.ReplaceAll(f.expr, "{n}", n)
	switch f.op {
	case opString:
		return c.stringFilter(expr, asMap(v))
	case opDate:
		return c.dateFilter(expr, asMap(v), path)
	case opDecimal:
		return c.decimalFilter(expr, asMap(v), path)
	case opIn:
		return expr + " IN " + c.param(v), nil
	case opAnyIn:
		return "any(x IN coalesce(" + expr + ", []) WHERE x IN " + c.param(v) + ")", nil
	case opCites:
		// coalesce: a node without sources cites nothing, also under NOT.
		return c.param(v) + " IN coalesce(" + expr + ", [])", nil
	case opKeys:
		m := c.newVar()
		return "EXISTS { MATCH " + strings.ReplaceAll(expr, "{m}", m) + " WHERE " + m + ".id IN " + c.param(v) + " }", nil
	case opCodes:
		codes := upperStrings(v)
		p := c.param(codes)
		if expr == "" {
			return "(" + n + ".iso2 IN " + p + " OR " + n + ".iso3 IN " + p + ")", nil
		}
		m := c.newVar()
		return "EXISTS { MATCH " + strings.ReplaceAll(expr, "{m}", m) + " WHERE " + m + ".iso2 IN " + p + " OR " + m + ".iso3 IN " + p + " }", nil
	case opSome, opNone:
		m := c.newVar()
		inner, err := c.where(f.kind, m, asMap(v), path)
		if err != nil {
			return "", err
		}
		sub := "EXISTS { MATCH " + strings.ReplaceAll(expr, "{m}", m) + " WHERE " + inner + " }"
		if f.op == opNone {
			return "NOT " + sub, nil
		}
		return sub, nil
	case opActiveOn:
		day, err := isoDate(v, path)
		if err != nil {
			return "", err
		}
		p := c.param(day)
		start := strings.ReplaceAll(projectStart, "{n}", n)
		end := strings.ReplaceAll(projectEnd, "{n}", n)
		return "(" + start + " <= " + p + " AND (" + end + " IS NULL OR " + end + " >= " + p + "))", nil
	}
	return "", fmt.Errorf("where: unknown filter op %d", f.op)
}

func (c *compiler) stringFilter(expr string, m map[string]any) (string, error) {
	var parts []string
	for _, k := range sortedKeys(m) {
		v := m[k]
		if v == nil {
			continue
		}
		switch k {
		case "equals":
			parts = append(parts, expr+" = "+c.param(v))
		case "in":
			parts = append(parts, expr+" IN "+c.param(v))
		case "contains":
			parts = append(parts, "toLower("+expr+") CONTAINS "+c.param(strings.ToLower(fmt.Sprint(v))))
		case "startsWith":
			parts = append(parts, "toLower("+expr+") STARTS WITH "+c.param(strings.ToLower(fmt.Sprint(v))))
		default:
			return "", fmt.Errorf("where: unknown string condition %q", k)
		}
	}
	return joinAnd(parts), nil
}

func (c *compiler) dateFilter(expr string, m map[string]any, path string) (string, error) {
	var parts []string
	for _, k := range sortedKeys(m) {
		v := m[k]
		if v == nil {
			continue
		}
		switch k {
		case "onOrAfter", "onOrBefore":
			day, err := isoDate(v, path+"."+k)
			if err != nil {
				return "", err
			}
			cmp := " >= "
			if k == "onOrBefore" {
				cmp = " <= "
			}
			parts = append(parts, expr+cmp+c.param(day))
		case "exists":
			parts = append(parts, existence(expr, v))
		default:
			return "", fmt.Errorf("where: unknown date condition %q", k)
		}
	}
	return joinAnd(parts), nil
}

// decimalFilter compares a stored number with Decimal bounds. The bound is passed as the float64
// nearest it, which is the number the graph stores for the same text, so the comparison is
// exact for every amount written with at most 15 significant digits.
func (c *compiler) decimalFilter(expr string, m map[string]any, path string) (string, error) {
	var parts []string
	for _, k := range sortedKeys(m) {
		v := m[k]
		if v == nil {
			continue
		}
		switch k {
		case "gte", "lte":
			d, ok := v.(model.Decimal)
			if !ok {
				if err := d.UnmarshalGQL(v); err != nil {
					return "", apperr.BadInput("%s.%s: %v", path, k, err)
				}
			}
			cmp := " >= "
			if k == "lte" {
				cmp = " <= "
			}
			parts = append(parts, expr+cmp+c.param(d.Float64()))
		case "exists":
			parts = append(parts, existence(expr, v))
		default:
			return "", fmt.Errorf("where: unknown decimal condition %q", k)
		}
	}
	return joinAnd(parts), nil
}

func existence(expr string, v any) string {
	if b, _ := v.(bool); b {
		return expr + " IS NOT NULL"
	}
	return expr + " IS NULL"
}

// sorts resolves sort keys (GraphQL `...Order` inputs) for kind, or the kind's default order
// when there are none, with {n} replaced by n; every list also ends with the key (n.id), which
// the sort keys leave out. spec names the order for cursors.
func (c *compiler) sorts(kind, n string, keys []any, path string) (out []sortKey, spec string, err error) {
	specs := []string{"kind:" + kind} // a cursor of one kind's list is refused by another's
	if len(keys) == 0 {
		out = append(out, defaultOrders[kind]...)
		specs = append(specs, "default:"+kind)
	}
	for i, k := range keys {
		m := asMap(k)
		field, _ := m["field"].(string)
		o, ok := orders[kind][field]
		if !ok {
			return nil, "", fmt.Errorf("order: kind %s has no order field %q", kind, field)
		}
		currency, _ := m["currency"].(string)
		expr := o.expr
		switch {
		case o.needsCurrency && currency == "":
			return nil, "", apperr.BadInput("%s[%d]: sorting by %s needs a currency, for example \"EUR\"", path, i, field)
		case !o.needsCurrency && currency != "":
			return nil, "", apperr.BadInput("%s[%d]: currency applies only to FUNDING_TOTAL, not %s", path, i, field)
		case o.needsCurrency:
			expr = strings.ReplaceAll(expr, "{currency}", c.param(strings.ToUpper(currency)))
		}
		desc := m["direction"] == "DESC"
		out = append(out, sortKey{expr: expr, desc: desc})
		spec := fmt.Sprintf("%s:%v:%s", field, desc, strings.ToUpper(currency))
		if o.needsCurrency {
			// Funding sums are kept in hundredths: a cursor made when they were units is refused.
			spec += ":hundredths"
		}
		specs = append(specs, spec)
	}
	for i := range out {
		out[i].expr = strings.ReplaceAll(out[i].expr, "{n}", n)
	}
	return out, strings.Join(specs, ","), nil
}

// orderText writes ORDER BY keys: missing values last in both directions, then the key; reversed
// (for `last`) every direction flips, so the rows come in the opposite order.
func orderText(sorts []sortKey, n string, reversed bool) string {
	dir := func(desc bool) string {
		if desc != reversed {
			return " DESC"
		}
		return ""
	}
	parts := make([]string, 0, 2*len(sorts)+1)
	for _, s := range sorts {
		parts = append(parts, "("+s.expr+") IS NULL"+dir(false), s.expr+dir(s.desc))
	}
	return strings.Join(append(parts, n+".id"+dir(false)), ", ")
}

// sortValuesText lists what a cursor keeps of a row: its sort values, then its key.
func sortValuesText(sorts []sortKey, n string) string {
	parts := make([]string, 0, len(sorts)+1)
	for _, s := range sorts {
		parts = append(parts, s.expr)
	}
	return "[" + strings.Join(append(parts, n+".id"), ", ") + "]"
}

// seek is the predicate that keeps the rows strictly after (or, with before, strictly before) the
// row whose sort values and key a cursor holds, in the order of sorts: a lexicographic
// comparison over (missing?, value) per sort key, then the key.
func (c *compiler) seek(sorts []sortKey, n string, values []any, before bool) string {
	type component struct{ eq, beyond string }
	var comps []component
	for i, s := range sorts {
		v := values[i]
		if v == nil {
			// Missing values come last: past a missing one, only rows also missing it, by key.
			if before {
				comps = append(comps, component{eq: "(" + s.expr + ") IS NULL", beyond: "(" + s.expr + ") IS NOT NULL"})
			} else {
				comps = append(comps, component{eq: "(" + s.expr + ") IS NULL", beyond: "false"})
			}
			continue
		}
		p := c.param(v)
		cmp := " > "
		if s.desc != before {
			cmp = " < "
		}
		if before {
			// Before a present value: smaller (in the order) present values; missing ones come after.
			comps = append(comps, component{eq: "(" + s.expr + ") = " + p, beyond: "(" + s.expr + ")" + cmp + p})
		} else {
			// After a present value: larger present values, and every missing one.
			comps = append(comps, component{eq: "(" + s.expr + ") = " + p, beyond: "((" + s.expr + ") IS NULL OR (" + s.expr + ")" + cmp + p + ")"})
		}
	}
	id := c.param(values[len(sorts)])
	idCmp := " > "
	if before {
		idCmp = " < "
	}
	comps = append(comps, component{eq: n + ".id = " + id, beyond: n + ".id" + idCmp + id})
	var alternatives []string
	for i, comp := range comps {
		if comp.beyond == "false" {
			continue
		}
		terms := make([]string, 0, i+1)
		for _, prev := range comps[:i] {
			terms = append(terms, prev.eq)
		}
		alternatives = append(alternatives, "("+strings.Join(append(terms, comp.beyond), " AND ")+")")
	}
	if len(alternatives) == 0 {
		return "false"
	}
	return "(" + strings.Join(alternatives, " OR ") + ")"
}

func isoDate(v any, path string) (string, error) {
	s, _ := v.(string)
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", apperr.BadInput("%s must be an ISO date such as 2016-01-31, got %q", path, s)
	}
	return s, nil
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func upperStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		out = append(out, strings.ToUpper(strings.TrimSpace(fmt.Sprint(e))))
	}
	return out
}

func joinAnd(parts []string) string {
	if len(parts) == 0 {
		return "true"
	}
	return "(" + strings.Join(parts, " AND ") + ")"
}

// FilterFields lists the filter fields of a kind (the `...Where` input without AND, OR, NOT).
func FilterFields(kind string) []string { return sortedKeys(filters[kind]) }

// OrderFields lists the sort fields of a kind (the values of its `...OrderField` enum).
func OrderFields(kind string) []string { return sortedKeys(orders[kind]) }
