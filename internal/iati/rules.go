package iati

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The rules an activity is checked against, as three tables: how many of an element a parent
// holds (countRules), what an attribute or an element's text must be (valueRules), and the
// checks that look at several elements at once (activityChecks). RULES.md lists them with
// their messages.

// countRule: a parent element holds between min and max children of one name (max 0: any
// number). A violation is an error.
type countRule struct {
	parent   string // path below iati-activity; "" is iati-activity itself
	child    string
	min, max int
}

var countRules = []countRule{
	{"", "iati-identifier", 1, 1},
	{"", "reporting-org", 1, 1},
	{"", "title", 1, 1},
	{"title", "narrative", 1, 0},
	{"", "participating-org", 1, 0},
	{"", "activity-status", 1, 1},
	{"", "activity-date", 1, 0},
	{"", "activity-scope", 0, 1},
	{"budget", "period-start", 1, 1},
	{"budget", "period-end", 1, 1},
	{"budget", "value", 1, 1},
	{"transaction", "transaction-type", 1, 1},
	{"transaction", "transaction-date", 1, 1},
	{"transaction", "value", 1, 1},
	{"transaction", "provider-org", 0, 1},
	{"transaction", "receiver-org", 0, 1},
	{"transaction", "recipient-country", 0, 1},
	{"transaction", "recipient-region", 0, 1},
}

// valueRule: an attribute (or, with attr "", the text) of every element at a path is required
// and/or of a type, and/or a code of a list. A missing required attribute or a badly typed
// value is an error; a code not on its list is a notice (an error with Options.StrictCodes).
type valueRule struct {
	element  string // path below iati-activity; "" is iati-activity itself
	attr     string // "" for the element's text
	required bool
	kind     valueKind
	codes    *codeRule // nil when the value is not a code
}

// codeRule names the list a code belongs to and what the import does with a code not on it.
type codeRule struct {
	list   func(e *element) (list, vocabulary string) // list "" when the code is not checked
	effect string
}

// onList checks codes against one list.
func onList(list, effect string) *codeRule {
	return &codeRule{list: func(*element) (string, string) { return list, "" }, effect: effect}
}

// sectorList: vocabulary 1 (the default) is the DAC 5-digit Sector list, 2 the DAC 3-digit
// SectorCategory list; other vocabularies are not shipped and their codes are not checked.
func sectorList(e *element) (string, string) {
	switch vocabulary := vocabularyOf(e); vocabulary {
	case "1":
		return "Sector", vocabulary
	case "2":
		return "SectorCategory", vocabulary
	default:
		return "", vocabulary
	}
}

// regionList: vocabulary 1 (the default) is the OECD DAC Region list; others are not shipped.
func regionList(e *element) (string, string) {
	if vocabulary := vocabularyOf(e); vocabulary == "1" {
		return "Region", vocabulary
	}
	return "", ""
}

// vocabularyOf returns the element's vocabulary, "1" when it states none.
func vocabularyOf(e *element) string {
	if v := e.get("vocabulary"); v != "" {
		return v
	}
	return "1"
}

const (
	keptAsUnmappedOrgType  = "the organisation's type is kept as an unmapped code"
	keptAsUnmappedCurrency = "the amount is kept in this currency as written and not converted"
)

var valueRules = []valueRule{
	{element: "", attr: "hierarchy", kind: kindInt},
	{element: "", attr: "last-updated-datetime", kind: kindDateTime},
	{element: "", attr: "humanitarian", kind: kindBool},
	{element: "", attr: "default-currency", codes: onList("Currency", "amounts without their own currency are kept in it as written")},

	{element: "reporting-org", attr: "ref", required: true},
	{element: "reporting-org", attr: "type", required: true, codes: onList("OrganisationType", keptAsUnmappedOrgType)},
	{element: "reporting-org", attr: "secondary-reporter", kind: kindBool},

	{element: "participating-org", attr: "role", required: true, codes: onList("OrganisationRole", "the organisation is linked to the project with an unmapped role")},
	{element: "participating-org", attr: "type", codes: onList("OrganisationType", keptAsUnmappedOrgType)},

	{element: "activity-status", attr: "code", required: true, codes: onList("ActivityStatus", "the project's status is kept as an unmapped code")},
	{element: "activity-scope", attr: "code", required: true, codes: onList("ActivityScope", "the project's scope is kept as an unmapped code")},

	{element: "activity-date", attr: "type", required: true, codes: onList("ActivityDateType", "the date is kept with an unmapped type")},
	{element: "activity-date", attr: "iso-date", required: true, kind: kindDate},

	{element: "recipient-country", attr: "code", required: true, codes: onList("Country", "the country is kept on the project as an unmapped code")},
	{element: "recipient-country", attr: "percentage", kind: kindPercentage},
	{element: "recipient-region", attr: "code", required: true, codes: &codeRule{list: regionList, effect: "the region is kept on the project as an unmapped code"}},
	{element: "recipient-region", attr: "vocabulary", codes: onList("RegionVocabulary", "the region is kept with an unmapped vocabulary and its code is not checked")},
	{element: "recipient-region", attr: "percentage", kind: kindPercentage},

	{element: "sector", attr: "code", required: true, codes: &codeRule{list: sectorList, effect: "the sector is kept on the project as an unmapped code"}},
	{element: "sector", attr: "vocabulary", codes: onList("SectorVocabulary", "the sector is kept with an unmapped vocabulary and its code is not checked")},
	{element: "sector", attr: "percentage", kind: kindPercentage},

	{element: "tag", attr: "code", required: true},
	{element: "tag", attr: "vocabulary", required: true, codes: onList("TagVocabulary", "the tag is kept with an unmapped vocabulary")},
	{element: "policy-marker", attr: "code", required: true},

	{element: "budget", attr: "type", codes: onList("BudgetType", "the budget is kept with an unmapped type")},
	{element: "budget/period-start", attr: "iso-date", required: true, kind: kindDate},
	{element: "budget/period-end", attr: "iso-date", required: true, kind: kindDate},
	{element: "budget/value", attr: "", kind: kindDecimal},
	{element: "budget/value", attr: "value-date", required: true, kind: kindDate},
	{element: "budget/value", attr: "currency", codes: onList("Currency", keptAsUnmappedCurrency)},

	{element: "transaction", attr: "humanitarian", kind: kindBool},
	{element: "transaction/transaction-type", attr: "code", required: true, codes: onList("TransactionType", "the transaction is kept with an unmapped type: it is neither a commitment nor a disbursement")},
	{element: "transaction/transaction-date", attr: "iso-date", required: true, kind: kindDate},
	{element: "transaction/value", attr: "", kind: kindDecimal},
	{element: "transaction/value", attr: "value-date", required: true, kind: kindDate},
	{element: "transaction/value", attr: "currency", codes: onList("Currency", keptAsUnmappedCurrency)},
	{element: "transaction/provider-org", attr: "type", codes: onList("OrganisationType", keptAsUnmappedOrgType)},
	{element: "transaction/receiver-org", attr: "type", codes: onList("OrganisationType", keptAsUnmappedOrgType)},
	{element: "transaction/sector", attr: "code", required: true},
	{element: "transaction/recipient-country", attr: "code", required: true},
	{element: "transaction/recipient-region", attr: "code", required: true},

	{element: "related-activity", attr: "ref", required: true},
	{element: "related-activity", attr: "type", required: true, codes: onList("RelatedActivityType", "the link between the projects is kept with an unmapped type")},
}

// activityCheck is a rule over several elements of an activity.
type activityCheck struct {
	rule  string
	check func(s *scanner, a *element)
}

var activityChecks = []activityCheck{
	{"identifier", checkIdentifier},
	{"description", checkDescription},
	{"unnamed-organisation", checkOrganisationNames},
	{"currency", checkCurrencies},
	{"recipient-percentages", checkRecipientPercentages},
	{"sector-percentages", checkSectorPercentages},
}

// activityPath names an element (and attribute) below iati-activity.
func activityPath(element, attribute string) string {
	path := "iati-activity"
	if element != "" {
		path += "/" + element
	}
	if attribute != "" {
		path += "/@" + attribute
	}
	return path
}

func (r countRule) apply(s *scanner, a *element) {
	for _, parent := range a.all(r.parent) {
		var first *element
		n := 0
		for _, c := range parent.children {
			if c.name != r.child {
				continue
			}
			n++
			if n == 1 {
				first = c
			}
			if r.max > 0 && n == r.max+1 {
				s.problem(Error, "count", c.line, activityPath(joinPath(r.parent, r.child), ""),
					fmt.Sprintf("repeated: %s holds %s (the first is at line %d)", elementName(r.parent), r.allowed(), first.line))
			}
		}
		if n < r.min {
			s.problem(Error, "count", parent.line, activityPath(joinPath(r.parent, r.child), ""),
				fmt.Sprintf("missing: %s holds %s", elementName(r.parent), r.allowed()))
		}
	}
}

func joinPath(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "/" + child
}

// elementName is the last step of a path below iati-activity.
func elementName(path string) string {
	if path == "" {
		return "an iati-activity"
	}
	return "a " + path[strings.LastIndex(path, "/")+1:]
}

// allowed says how many children the rule allows.
func (r countRule) allowed() string {
	switch {
	case r.min == r.max:
		return "exactly " + number(r.min) + " " + r.child
	case r.max == 0:
		return "at least " + number(r.min) + " " + r.child
	case r.min == 0:
		return "at most " + number(r.max) + " " + r.child
	default:
		return "from " + number(r.min) + " to " + number(r.max) + " " + r.child
	}
}

func number(n int) string {
	if n == 1 {
		return "one"
	}
	return strconv.Itoa(n)
}

func (r valueRule) apply(s *scanner, a *element) {
	for _, e := range a.all(r.element) {
		var value string
		if r.attr == "" {
			value = e.trimmedText()
		} else {
			var present bool
			value, present = e.attr(r.attr)
			if !present {
				if r.required {
					s.problem(Error, "required", e.line, activityPath(r.element, r.attr), "missing: the attribute is required")
				}
				continue
			}
		}
		path := activityPath(r.element, r.attr)
		if msg := r.kind.invalid(value); msg != "" {
			s.problem(Error, "type", e.line, path, msg)
			continue
		}
		if r.codes != nil {
			s.checkCode(r.codes, e, value, path)
		}
	}
}

func (s *scanner) checkCode(rule *codeRule, e *element, code, path string) {
	list, vocabulary := rule.list(e)
	if list == "" {
		return
	}
	of := ""
	if vocabulary != "" {
		of = " (vocabulary " + vocabulary + ")"
	}
	item, ok := s.codes.Lookup(list, code)
	switch {
	case !ok && s.opts.StrictCodes:
		s.problem(Error, "code-list", e.line, path, fmt.Sprintf("%q is not on the %s code list%s (codes are strict)", code, list, of))
	case !ok:
		s.problem(Notice, "code-list", e.line, path, fmt.Sprintf("%q is not on the %s code list%s: %s", code, list, of, rule.effect))
	case item.Withdrawn:
		s.problem(Notice, "withdrawn-code", e.line, path, fmt.Sprintf("%q (%s) is withdrawn from the %s code list%s: it is kept as written", code, item.Name, list, of))
	}
}

// checkIdentifier: an empty identifier is a notice; an identifier already seen in the file is
// an error (the second activity would silently replace the first).
func checkIdentifier(s *scanner, a *element) {
	id := a.child("iati-identifier")
	if id == nil {
		return // reported by the count rules
	}
	text := id.trimmedText()
	if text == "" {
		s.problem(Notice, "identifier", id.line, activityPath("iati-identifier", ""),
			"the activity has no identifier: it is keyed by the file name and its position and a later version cannot replace it")
		return
	}
	if first, seen := s.seeIdentifier(text, id.line); seen {
		s.problem(Error, "duplicate-identifier", id.line, activityPath("iati-identifier", ""),
			fmt.Sprintf("%q is already the identifier of the activity at line %d", text, first))
	}
}

// checkDescription: the Standard requires a description; the graph does not need one.
func checkDescription(s *scanner, a *element) {
	if a.child("description") == nil {
		s.problem(Notice, "description", a.line, activityPath("description", ""),
			"missing: the project is imported without a description")
	}
}

// checkOrganisationNames: an organisation is linked by its ref, or else by its name.
func checkOrganisationNames(s *scanner, a *element) {
	if org := a.child("reporting-org"); org != nil && org.child("narrative") == nil && org.get("ref") != "" {
		s.problem(Notice, "unnamed-organisation", org.line, activityPath("reporting-org", ""),
			"the reporting organisation has no name: it is known by its ref only")
	}
	for _, path := range []string{"participating-org", "transaction/provider-org", "transaction/receiver-org"} {
		for _, org := range a.all(path) {
			if org.get("ref") == "" && !hasText(org) {
				s.problem(Notice, "unnamed-organisation", org.line, activityPath(path, ""),
					"the organisation has neither a ref nor a name: it is not linked to the project")
			}
		}
	}
}

// hasText reports whether an element has a non-empty narrative.
func hasText(e *element) bool {
	for _, n := range e.children {
		if n.name == "narrative" && n.trimmedText() != "" {
			return true
		}
	}
	return false
}

// checkCurrencies: an amount needs a currency, its own or the activity's default.
func checkCurrencies(s *scanner, a *element) {
	if a.get("default-currency") != "" {
		return
	}
	for _, path := range []string{"budget/value", "transaction/value"} {
		for _, v := range a.all(path) {
			if v.get("currency") == "" {
				s.problem(Notice, "currency", v.line, activityPath(path, "currency"),
					"missing, and the activity has no default-currency: the amount is kept without currency and never summed")
			}
		}
	}
}

// checkRecipientPercentages: the percentages of recipient-country and recipient-region
// together sum to 100 when any is given.
func checkRecipientPercentages(s *scanner, a *element) {
	recipients := append(a.all("recipient-country"), a.all("recipient-region")...)
	checkShares(s, recipients, "recipient-percentages", "recipient-country and recipient-region percentages")
}

// checkSectorPercentages: within each sector vocabulary, percentages sum to 100 when any is
// given.
func checkSectorPercentages(s *scanner, a *element) {
	byVocabulary := map[string][]*element{}
	var order []string
	for _, sector := range a.all("sector") {
		v := vocabularyOf(sector)
		if _, ok := byVocabulary[v]; !ok {
			order = append(order, v)
		}
		byVocabulary[v] = append(byVocabulary[v], sector)
	}
	for _, v := range order {
		checkShares(s, byVocabulary[v], "sector-percentages", "sector percentages of vocabulary "+v)
	}
}

// shareTolerance is how far from 100 a sum of percentages may be (rounding in the file).
const shareTolerance = 0.01

func checkShares(s *scanner, elements []*element, rule, what string) {
	var sum float64
	var first *element
	given, missing := 0, 0
	for _, e := range elements {
		raw, ok := e.attr("percentage")
		if !ok {
			missing++
			continue
		}
		p, valid := parseDecimal(raw)
		if !valid {
			return // a type error already reported
		}
		if first == nil {
			first = e
		}
		given++
		sum += p
	}
	if given == 0 {
		return
	}
	path := activityPath(first.name, "percentage")
	if missing > 0 {
		s.problem(Notice, rule, first.line, path,
			fmt.Sprintf("%s are given for %d of %d elements: the shares are kept as written and the others have none", what, given, given+missing))
		return
	}
	if math.Abs(sum-100) > shareTolerance {
		s.problem(Notice, rule, first.line, path,
			fmt.Sprintf("%s sum to %s, not 100: the shares are kept as written, not rescaled", what, strconv.FormatFloat(math.Round(sum*1e6)/1e6, 'f', -1, 64)))
	}
}
