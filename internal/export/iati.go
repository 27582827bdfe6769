// Package export writes the graph's projects in formats partners' tools read, streamed.
package export

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/partnership-graph/partnership-graph/internal/iati"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Defaults of IATIOptions: the graph itself as the publisher of projects no IATI file reported.
const (
	DefaultReportingOrgRef  = "XX-PARTNERSHIP-GRAPH"
	DefaultReportingOrgName = "Partnership Graph"
	DefaultReportingOrgType = "90" // OrganisationType "Other"
)

// IATIOptions tune an IATI export.
type IATIOptions struct {
	// ReportingOrgRef, ReportingOrgName and ReportingOrgType are the reporting-org of projects
	// that were not imported from an IATI file (the curated seed); defaults above.
	ReportingOrgRef, ReportingOrgName, ReportingOrgType string
	// IdentifierPrefix makes the iati-identifier of a project without one: prefix, a dash and
	// the project's key without "project:" ("XX-PARTNERSHIP-GRAPH-bmm-1"). Default: ReportingOrgRef.
	IdentifierPrefix string
	// Now is the file's generated-datetime (default: the current time).
	Now func() time.Time
	// Omitted, when set, hears of every matching project the file leaves out, with the reason
	// (the schema requires an element the graph holds no fact for). The file names them too, in
	// XML comments.
	Omitted func(projectKey, reason string)
}

func (o IATIOptions) withDefaults() IATIOptions {
	if o.ReportingOrgRef == "" {
		o.ReportingOrgRef = DefaultReportingOrgRef
	}
	if o.ReportingOrgName == "" {
		o.ReportingOrgName = DefaultReportingOrgName
	}
	if o.ReportingOrgType == "" {
		o.ReportingOrgType = DefaultReportingOrgType
	}
	if o.IdentifierPrefix == "" {
		o.IdentifierPrefix = o.ReportingOrgRef
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// WriteIATI streams the projects in scope (a ProjectWhere, and what changed since) to w as one IATI 2.03
// iati-activities document, one iati-activity per project, each written as it is read. It is the
// inverse of the IATI import's mapping (README, "Imported data"); every code is checked against
// the shipped code lists and one that is not on its list is left out, never replaced:
//
//   - iati-identifier: iatiIdentifier, else IdentifierPrefix-<key without "project:">;
//   - reporting-org: reportingOrg (an identifier as ref, named and typed after the participant
//     with that identifier, else with an empty type the graph does not know; a name, as the EUTF
//     export gives, as the narrative with an empty ref), else the ReportingOrg options;
//   - title, description (type 1): the text in xml:lang titleLang/descriptionLang, then
//     otherTitles/otherDescriptions ("lang: text"); no description is an empty narrative;
//   - activity-status from status; activity-date 1-4 from plannedStart, actualStart, plannedEnd,
//     actualEnd; activity-scope 1/2/4 from GLOBAL/REGIONAL/NATIONAL unless scopeDerived;
//   - participating-org role 1 per FUNDS (ref iatiIdentifier, type iatiType, the name) and per
//     FINANCED_BY instrument (its name); roles 2/3/4 per IMPLEMENTS role;
//   - recipient-country per TARGETS (percentage from share) and per unresolvedRecipients code;
//     recipient-region from recipientRegions; sector from sectorCodes; tag from tags;
//     policy-marker from policyMarkers; humanitarian, hierarchy, last-updated-datetime;
//   - budget: one, budget in budgetCurrency, value-date budgetAsOf (else the period's start),
//     over the project's start to end;
//   - transaction 2 (commitment) per funding amount and 3 (disbursement) per disbursed amount,
//     provider-org the funder, dated amountAsOf (else the project's first date: the graph keeps
//     no date of a disbursement);
//   - related-activity 1 per PART_OF parent, 2 per child, then relatedActivities.
//
// The schema requires an activity date and a participating organisation: a project without
// either is left out (named in an XML comment and to opts.Omitted), since neither can be made up.
func WriteIATI(ctx context.Context, w io.Writer, st *store.Store, scope store.ExportScope, opts IATIOptions) error {
	opts = opts.withDefaults()
	codes, err := iati.LoadCodes()
	if err != nil {
		return fmt.Errorf("iati export: %w", err)
	}
	out := bufio.NewWriterSize(w, 64<<10)
	header := fmt.Sprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\" generated-datetime=\"%s\">\n",
		opts.Now().UTC().Format(time.RFC3339))
	if _, err := out.WriteString(header); err != nil {
		return fmt.Errorf("iati export: %w", err)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("iati export: %w", err)
	}
	n := 0
	flushEvery(w, n)
	enc := xml.NewEncoder(out)
	enc.Indent("  ", "  ")
	b := activityBuilder{codes: codes, opts: opts}
	err = st.ExportProjects(ctx, scope, func(p *store.ExportedProject) error {
		act, reason := b.activity(p)
		if act == nil {
			key := text(p.Project["id"])
			if opts.Omitted != nil {
				opts.Omitted(key, reason)
			}
			_, err := fmt.Fprintf(out, "\n  <!-- %s -->", commentSafe(key+" left out: "+reason))
			return err
		}
		if err := enc.Encode(act); err != nil {
			return err
		}
		if err := enc.Flush(); err != nil {
			return err
		}
		n++
		defer flushEvery(w, n)
		return out.Flush()
	})
	if err != nil {
		return fmt.Errorf("iati export: %w", err)
	}
	if _, err := out.WriteString("\n</iati-activities>\n"); err != nil {
		return fmt.Errorf("iati export: %w", err)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("iati export: %w", err)
	}
	return nil
}

// commentSafe keeps a text from ending an XML comment early.
func commentSafe(s string) string {
	return strings.ReplaceAll(s, "--", "- -")
}

// The elements written, in the order of the 2.03 schema's sequences.

type activityXML struct {
	XMLName       xml.Name          `xml:"iati-activity"`
	LastUpdated   string            `xml:"last-updated-datetime,attr,omitempty"`
	Humanitarian  string            `xml:"humanitarian,attr,omitempty"`
	Hierarchy     string            `xml:"hierarchy,attr,omitempty"`
	Identifier    string            `xml:"iati-identifier"`
	ReportingOrg  reportingOrgXML   `xml:"reporting-org"`
	Title         narrativesXML     `xml:"title"`
	Descriptions  []descriptionXML  `xml:"description"`
	Participants  []participantXML  `xml:"participating-org"`
	Status        codeXML           `xml:"activity-status"`
	Dates         []dateXML         `xml:"activity-date"`
	Scope         *codeXML          `xml:"activity-scope"`
	Countries     []recipientXML    `xml:"recipient-country"`
	Regions       []recipientXML    `xml:"recipient-region"`
	Sectors       []sectorXML       `xml:"sector"`
	Tags          []tagXML          `xml:"tag"`
	PolicyMarkers []policyMarkerXML `xml:"policy-marker"`
	Budget        *budgetXML        `xml:"budget"`
	Transactions  []transactionXML  `xml:"transaction"`
	Related       []relatedXML      `xml:"related-activity"`
}

type narrativeXML struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

type narrativesXML struct {
	Narratives []narrativeXML `xml:"narrative"`
}

type reportingOrgXML struct {
	Ref        string         `xml:"ref,attr"`
	Type       string         `xml:"type,attr"`
	Narratives []narrativeXML `xml:"narrative"`
}

type descriptionXML struct {
	Type       string         `xml:"type,attr,omitempty"`
	Narratives []narrativeXML `xml:"narrative"`
}

type participantXML struct {
	Ref        string         `xml:"ref,attr,omitempty"`
	Type       string         `xml:"type,attr,omitempty"`
	Role       string         `xml:"role,attr"`
	Narratives []narrativeXML `xml:"narrative"`
}

type codeXML struct {
	Code string `xml:"code,attr"`
}

type dateXML struct {
	Type    string `xml:"type,attr"`
	ISODate string `xml:"iso-date,attr"`
}

type recipientXML struct {
	Code       string `xml:"code,attr"`
	Vocabulary string `xml:"vocabulary,attr,omitempty"`
	Percentage string `xml:"percentage,attr,omitempty"`
}

type sectorXML struct {
	Vocabulary string `xml:"vocabulary,attr,omitempty"`
	Code       string `xml:"code,attr"`
}

type tagXML struct {
	Code       string `xml:"code,attr"`
	Vocabulary string `xml:"vocabulary,attr"`
}

type policyMarkerXML struct {
	Vocabulary   string `xml:"vocabulary,attr,omitempty"`
	Code         string `xml:"code,attr"`
	Significance string `xml:"significance,attr,omitempty"`
}

type isoDateXML struct {
	ISODate string `xml:"iso-date,attr"`
}

type valueXML struct {
	Currency  string `xml:"currency,attr"`
	ValueDate string `xml:"value-date,attr"`
	Amount    string `xml:",chardata"`
}

type budgetXML struct {
	PeriodStart isoDateXML `xml:"period-start"`
	PeriodEnd   isoDateXML `xml:"period-end"`
	Value       valueXML   `xml:"value"`
}

type transactionXML struct {
	Type     codeXML    `xml:"transaction-type"`
	Date     isoDateXML `xml:"transaction-date"`
	Value    valueXML   `xml:"value"`
	Provider *orgXML    `xml:"provider-org"`
}

type orgXML struct {
	Ref        string         `xml:"ref,attr,omitempty"`
	Type       string         `xml:"type,attr,omitempty"`
	Narratives []narrativeXML `xml:"narrative"`
}

type relatedXML struct {
	Ref  string `xml:"ref,attr"`
	Type string `xml:"type,attr"`
}

// activityBuilder maps one exported project to an iati-activity.
type activityBuilder struct {
	codes *iati.Codes
	opts  IATIOptions
}

var (
	statusCodes = map[string]string{"PIPELINE": "1", "IMPLEMENTATION": "2", "FINALISATION": "3", "CLOSED": "4",
		"CANCELLED": "5", "SUSPENDED": "6"}
	// scopeCodes are the ActivityScope codes the importer reads back as each scope.
	scopeCodes = map[string]string{"GLOBAL": "1", "REGIONAL": "2", "NATIONAL": "4"}
	// implementerRoles are the OrganisationRole codes of the IMPLEMENTS roles.
	implementerRoles = map[string]string{"ACCOUNTABLE": "2", "EXTENDING": "3", "IMPLEMENTING": "4"}
	// dateTypes are the ActivityDateType codes of the project's dates, in code order.
	dateTypes = []struct{ prop, code string }{{"plannedStart", "1"}, {"actualStart", "2"}, {"plannedEnd", "3"}, {"actualEnd", "4"}}
	// organisationIdentifier tells an IATI organisation identifier (XM-DAC-41122) from a name.
	organisationIdentifier = regexp.MustCompile(`^[A-Za-z0-9]{2,}(-[A-Za-z0-9._]+)+$`)
	// regionEntry reads an entry of recipientRegions: "vocabulary:code" with an optional " (P%)".
	regionEntry = regexp.MustCompile(`^([^:]*):(\S+?)(?: \(([0-9.]+)%\))?$`)
)

// activity maps p, or says why it cannot be written without inventing a fact the schema requires.
func (b activityBuilder) activity(p *store.ExportedProject) (*activityXML, string) {
	props := p.Project
	key := text(props["id"])
	a := &activityXML{
		LastUpdated: text(props["lastUpdated"]),
		Identifier:  text(props["iatiIdentifier"]),
	}
	if a.Identifier == "" {
		a.Identifier = b.opts.IdentifierPrefix + "-" + strings.TrimPrefix(key, "project:")
	}
	if h, ok := props["humanitarian"].(bool); ok {
		a.Humanitarian = map[bool]string{true: "1", false: "0"}[h]
	}
	if h, ok := number(props["hierarchy"]); ok {
		a.Hierarchy = strconv.Itoa(int(h))
	}

	code, ok := statusCodes[text(props["status"])]
	if !ok || !b.codes.Has("ActivityStatus", code) {
		return nil, "no activity status"
	}
	a.Status = codeXML{Code: code}
	for _, d := range dateTypes {
		if v := date(props[d.prop]); v != "" {
			a.Dates = append(a.Dates, dateXML{Type: d.code, ISODate: v})
		}
	}
	if len(a.Dates) == 0 {
		return nil, "no activity date (the schema requires one)"
	}

	a.ReportingOrg = b.reportingOrg(p)
	a.Title = narrativesXML{Narratives: narratives(text(props["title"]), text(props["titleLang"]), strings_(props["otherTitles"]))}
	desc := narratives(text(props["description"]), text(props["descriptionLang"]), strings_(props["otherDescriptions"]))
	if len(desc) == 0 {
		// The schema requires a description; an empty narrative states none, as the graph does.
		desc = []narrativeXML{{}}
	}
	a.Descriptions = []descriptionXML{{Type: "1", Narratives: desc}}

	a.Participants, a.Transactions = b.participants(p)
	if len(a.Participants) == 0 {
		return nil, "no participating organisation (the schema requires one)"
	}

	if scope, ok := scopeCodes[text(props["scope"])]; ok && props["scopeDerived"] != true && b.codes.Has("ActivityScope", scope) {
		a.Scope = &codeXML{Code: scope}
	}
	a.Countries = b.countries(p)
	a.Regions = b.regions(props)
	a.Sectors = b.sectors(props)
	for _, t := range strings_(props["tags"]) {
		vocab, code, found := strings.Cut(t, ":")
		if found && code != "" && b.codes.Has("TagVocabulary", vocab) {
			a.Tags = append(a.Tags, tagXML{Code: code, Vocabulary: vocab})
		}
	}
	for _, m := range strings_(props["policyMarkers"]) {
		parts := strings.SplitN(m, ":", 3)
		if len(parts) == 3 && parts[1] != "" {
			a.PolicyMarkers = append(a.PolicyMarkers, policyMarkerXML{Vocabulary: parts[0], Code: parts[1], Significance: parts[2]})
		}
	}
	a.Budget = b.budget(props)
	a.Related = b.related(p)
	return a, ""
}

// reportingOrg is the organisation that reported the project's IATI activity, or the export's
// publisher for a project no file reported. A reportingOrg that is a name, not an identifier
// (the EUTF export names its fund only), is written as the name with an empty ref.
func (b activityBuilder) reportingOrg(p *store.ExportedProject) reportingOrgXML {
	reported := text(p.Project["reportingOrg"])
	if reported == "" {
		return reportingOrgXML{Ref: b.opts.ReportingOrgRef, Type: b.organisationType(b.opts.ReportingOrgType),
			Narratives: []narrativeXML{{Text: b.opts.ReportingOrgName}}}
	}
	if !organisationIdentifier.MatchString(reported) {
		return reportingOrgXML{Narratives: []narrativeXML{{Text: reported}}}
	}
	org := reportingOrgXML{Ref: reported, Narratives: []narrativeXML{{Text: reported}}}
	if reported == b.opts.ReportingOrgRef {
		org.Type, org.Narratives[0].Text = b.organisationType(b.opts.ReportingOrgType), b.opts.ReportingOrgName
	}
	// The graph keeps the reporting organisation's identifier only; its name and type are those
	// of the participant with that identifier, when there is one.
	for _, l := range append(append([]store.ExportedLink{}, p.Funders...), p.Implementers...) {
		if text(l.Org["iatiIdentifier"]) == reported {
			if n := text(l.Org["name"]); n != "" {
				org.Narratives[0].Text = n
			}
			if t := b.organisationType(text(l.Org["iatiType"])); t != "" {
				org.Type = t
			}
			break
		}
	}
	return org
}

func (b activityBuilder) organisationType(code string) string {
	if b.codes.Has("OrganisationType", code) {
		return code
	}
	return ""
}

// organisation names an organisation as IATI does: its identifier, type and name.
func (b activityBuilder) organisation(org map[string]any) orgXML {
	o := orgXML{Ref: text(org["iatiIdentifier"]), Type: b.organisationType(text(org["iatiType"]))}
	if n := text(org["name"]); n != "" {
		o.Narratives = []narrativeXML{{Text: n}}
	}
	return o
}

// participants are the funders (role 1, with a commitment and a disbursement per funder that
// has amounts), the instruments that finance the project (role 1, named), and the implementers.
func (b activityBuilder) participants(p *store.ExportedProject) ([]participantXML, []transactionXML) {
	var parts []participantXML
	var txs []transactionXML
	funders := sortedLinks(p.Funders)
	fallbackDate := firstDate(p.Project, "actualStart", "plannedStart", "actualEnd", "plannedEnd")
	for _, f := range funders {
		org := b.organisation(f.Org)
		parts = append(parts, participantXML{Ref: org.Ref, Type: org.Type, Role: "1", Narratives: org.Narratives})
		asOf := date(f.Rel["amountAsOf"])
		if asOf == "" {
			asOf = fallbackDate
		}
		provider := org
		if v, ok := b.value(f.Rel["amount"], f.Rel["currency"], asOf); ok {
			txs = append(txs, transactionXML{Type: codeXML{Code: "2"}, Date: isoDateXML{ISODate: asOf}, Value: v, Provider: &provider})
		}
		if v, ok := b.value(f.Rel["disbursed"], f.Rel["disbursedCurrency"], asOf); ok {
			txs = append(txs, transactionXML{Type: codeXML{Code: "3"}, Date: isoDateXML{ISODate: asOf}, Value: v, Provider: &provider})
		}
	}
	instruments := append([]map[string]any{}, p.Instruments...)
	sort.Slice(instruments, func(i, j int) bool { return text(instruments[i]["id"]) < text(instruments[j]["id"]) })
	for _, ins := range instruments {
		if n := text(ins["name"]); n != "" {
			parts = append(parts, participantXML{Role: "1", Narratives: []narrativeXML{{Text: n}}})
		}
	}
	for _, l := range sortedLinks(p.Implementers) {
		role := implementerRoles[text(l.Rel["role"])]
		if role == "" || !b.codes.Has("OrganisationRole", role) {
			continue
		}
		org := b.organisation(l.Org)
		parts = append(parts, participantXML{Ref: org.Ref, Type: org.Type, Role: role, Narratives: org.Narratives})
	}
	return parts, txs
}

// value is an amount with a currency on the Currency list and a date, or nothing.
func (b activityBuilder) value(amount, currency any, valueDate string) (valueXML, bool) {
	n, ok := number(amount)
	c := text(currency)
	if !ok || valueDate == "" || !b.codes.Has("Currency", c) {
		return valueXML{}, false
	}
	return valueXML{Currency: c, ValueDate: valueDate, Amount: decimal(n)}, true
}

// countries are the TARGETS countries with their shares, then the recipients that are no
// country of the graph (kept without a share).
func (b activityBuilder) countries(p *store.ExportedProject) []recipientXML {
	var out []recipientXML
	seen := map[string]bool{}
	for _, c := range p.Countries {
		code := strings.ToUpper(text(c["iso2"]))
		if !b.codes.Has("Country", code) || seen[code] {
			continue
		}
		seen[code] = true
		r := recipientXML{Code: code}
		if rel, _ := c["rel"].(map[string]any); rel != nil {
			if share, ok := number(rel["share"]); ok {
				r.Percentage = decimal(share)
			}
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	for _, code := range strings_(p.Project["unresolvedRecipients"]) {
		if b.codes.Has("Country", code) && !seen[code] {
			seen[code] = true
			out = append(out, recipientXML{Code: code})
		}
	}
	return out
}

func (b activityBuilder) regions(props map[string]any) []recipientXML {
	var out []recipientXML
	for _, entry := range strings_(props["recipientRegions"]) {
		m := regionEntry.FindStringSubmatch(entry)
		if m == nil {
			continue
		}
		vocab, code, pct := m[1], m[2], m[3]
		if !b.codes.Has("RegionVocabulary", vocab) || (vocab == "1" && !b.codes.Has("Region", code)) {
			continue
		}
		out = append(out, recipientXML{Code: code, Vocabulary: vocab, Percentage: pct})
	}
	return out
}

func (b activityBuilder) sectors(props map[string]any) []sectorXML {
	var out []sectorXML
	for _, entry := range strings_(props["sectorCodes"]) {
		vocab, code, found := strings.Cut(entry, ":")
		if !found || code == "" || !b.codes.Has("SectorVocabulary", vocab) {
			continue
		}
		if (vocab == "1" && !b.codes.Has("Sector", code)) || (vocab == "2" && !b.codes.Has("SectorCategory", code)) {
			continue
		}
		out = append(out, sectorXML{Vocabulary: vocab, Code: code})
	}
	return out
}

// budget is the project's budget as one element: its period runs from the project's start to
// its end (actual dates over planned ones), a missing end taken from the other one or the value
// date; the value date is budgetAsOf, else the period's start.
func (b activityBuilder) budget(props map[string]any) *budgetXML {
	start := firstDate(props, "actualStart", "plannedStart")
	end := firstDate(props, "actualEnd", "plannedEnd")
	asOf := date(props["budgetAsOf"])
	if start == "" {
		start = firstNonEmpty(asOf, end)
	}
	if end == "" {
		end = firstNonEmpty(asOf, start)
	}
	if end < start {
		start, end = end, start
	}
	if asOf == "" {
		asOf = start
	}
	v, ok := b.value(props["budget"], props["budgetCurrency"], asOf)
	if !ok || start == "" {
		return nil
	}
	return &budgetXML{PeriodStart: isoDateXML{ISODate: start}, PeriodEnd: isoDateXML{ISODate: end}, Value: v}
}

// related are the parents (type 1) and children (type 2) by PART_OF, named by their IATI
// identifiers (or the identifier the export makes for them), then the links the import kept
// unresolved.
func (b activityBuilder) related(p *store.ExportedProject) []relatedXML {
	var out []relatedXML
	seen := map[string]bool{}
	add := func(typ string, others []map[string]any) {
		var refs []string
		for _, o := range others {
			ref := text(o["iatiIdentifier"])
			if ref == "" {
				ref = b.opts.IdentifierPrefix + "-" + strings.TrimPrefix(text(o["id"]), "project:")
			}
			refs = append(refs, ref)
		}
		sort.Strings(refs)
		for _, ref := range refs {
			if !seen[typ+" "+ref] && b.codes.Has("RelatedActivityType", typ) {
				seen[typ+" "+ref] = true
				out = append(out, relatedXML{Ref: ref, Type: typ})
			}
		}
	}
	add("1", p.Parents)
	add("2", p.Children)
	for _, entry := range strings_(p.Project["relatedActivities"]) {
		typ, ref, found := strings.Cut(entry, ":")
		if found && ref != "" && !seen[typ+" "+ref] && b.codes.Has("RelatedActivityType", typ) {
			seen[typ+" "+ref] = true
			out = append(out, relatedXML{Ref: ref, Type: typ})
		}
	}
	return out
}

// narratives are the main text in its language followed by the others ("lang: text").
func narratives(main, lang string, others []string) []narrativeXML {
	if strings.TrimSpace(main) == "" {
		return nil
	}
	out := []narrativeXML{{Lang: lang, Text: main}}
	for _, o := range others {
		l, t, found := strings.Cut(o, ": ")
		if !found {
			l, t = "", o
		}
		out = append(out, narrativeXML{Lang: l, Text: t})
	}
	return out
}

func sortedLinks(links []store.ExportedLink) []store.ExportedLink {
	out := append([]store.ExportedLink{}, links...)
	sort.SliceStable(out, func(i, j int) bool {
		ki, kj := text(out[i].Org["id"])+" "+text(out[i].Rel["role"]), text(out[j].Org["id"])+" "+text(out[j].Rel["role"])
		return ki < kj
	})
	return out
}

func firstDate(props map[string]any, names ...string) string {
	for _, n := range names {
		if d := date(props[n]); d != "" {
			return d
		}
	}
	return ""
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// text is a string property, "" for anything else.
func text(v any) string {
	s, _ := v.(string)
	return s
}

// strings_ is a list-of-strings property.
func strings_(v any) []string {
	switch l := v.(type) {
	case []string:
		return l
	case []any:
		out := make([]string, 0, len(l))
		for _, it := range l {
			if s, ok := it.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	}
	return 0, false
}

// decimal writes a number as xsd:decimal (no exponent), as short as it reads back exactly.
func decimal(n float64) string {
	return strconv.FormatFloat(n, 'f', -1, 64)
}

// date is a date property as YYYY-MM-DD (stored as text or as a Neo4j date).
func date(v any) string {
	switch d := v.(type) {
	case string:
		if len(d) >= 10 {
			if _, err := time.Parse("2006-01-02", d[:10]); err == nil {
				return d[:10]
			}
		}
	case dbtype.Date:
		return d.Time().Format("2006-01-02")
	case time.Time:
		return d.Format("2006-01-02")
	}
	return ""
}
