package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"regexp"
	"sort"
	"strings"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/iati"
)

// Rules says how one publisher's activities become graph facts where the IATI mapping leaves a
// choice to the publisher's conventions.
type Rules struct {
	// SectorName names a sector code of a vocabulary ("1" DAC 5-digit, "2" DAC 3-digit) for the
	// themes made of codes no curated theme claims alone; nil gives "DAC sector <code>".
	SectorName func(vocabulary, code string) string
	// TagTheme maps a tag to a theme the dataset states (id and name), or "" when the tag is kept
	// as a code only.
	TagTheme func(t iati.Tag) (id, name string)
	// Window picks the instrument an activity is financed through when a funding participant is
	// an instrument (a fund and its windows); nil keeps the instrument named.
	Window func(a *iati.Activity, instrument string) string
	// FundManager is the organisation that funds, with the activity's money, what an instrument
	// finances (the Fund's trustee); "" makes no funding relationship for an instrument.
	FundManager string
	// FundingFromBudget puts an activity's total budget on the fund manager's funding relationship
	// (exports that carry budgets only, of a fund's own activities); other funders named get none.
	FundingFromBudget bool
	// Counted says whether an activity's money counts on its own funding relationships; nil
	// counts every activity that no activity of the file names as its parent (a parent's money
	// is its children's, counted there).
	Counted func(a *iati.Activity) bool
	// DeriveStatusAsOf, when the activity states no status, derives it from its end date as of
	// that date (CLOSED when it ended before, IMPLEMENTATION otherwise), marked statusDerived.
	DeriveStatusAsOf string
}

// fileSource describes the file being imported, the Source every fact cites.
type fileSource struct {
	id, title, file, publisher, checksum, importedAt string
}

func (f fileSource) node() dataset.Node {
	return dataset.Node{Kind: dataset.KindSource, Preserve: []string{"importedAt"}, Props: map[string]any{
		"id": f.id, "title": f.title, "file": f.file, "publisher": f.publisher, "checksum": f.checksum,
		"importedAt": f.importedAt,
	}}
}

// mapper turns activities into nodes and relationships, resolving references as it goes.
type mapper struct {
	dir         *Directory
	datasetName string
	rules       Rules
	source      fileSource
	report      *Report
	// projects gives the project of every activity identifier of the file;
	// parents are the identifiers some activity of the file names as a parent (or lists its
	// children), whose money is counted on their children.
	projects *fileProjects
	parents  idSet
	// newOrgs are organisations the import creates, with every name they were given.
	newOrgs map[string]*dataset.Node
	// pendingRelated holds links to activities further on in the file, written once every
	// project is; links to activities already written go out with their activity.
	pendingRelated []dataset.Rel
	pendingRefs    []dataset.Node
	seenRelated    idSet
	// written are the activities mapped so far (hashed identifiers).
	written idSet
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug is the tail of an id made of free text: letters without diacritics in lower case and
// digits, every run of other characters one dash.
func slug(s string) string {
	s = strings.Trim(notSlug.ReplaceAllString(dataset.NameKey(s), "-"), "-")
	if len(s) > 120 {
		s = strings.Trim(s[:120], "-")
	}
	return s
}

// idTail is the tail of an id made of s: its slug when that loses nothing but case, otherwise
// the slug followed by a short hash of s, so that two texts that slug alike (punctuation,
// accents, scripts without Latin letters, truncation) never share an id.
func idTail(s string) string {
	t := slug(s)
	if t != "" && t == strings.ToLower(strings.TrimSpace(s)) {
		return t
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(s)))
	h := hex.EncodeToString(sum[:4])
	if t == "" {
		return h
	}
	return t + "-" + h
}

// idSet holds hashed activity identifiers (upper case, FNV-64a): a file may hold tens of
// thousands, and an import keeps a few sets of them.
type idSet map[uint64]struct{}

func idHash(identifier string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(strings.ToUpper(strings.TrimSpace(identifier))))
	return h.Sum64()
}

// fileProjects gives the projects of the activities of one file.
type fileProjects struct {
	dir     *Directory
	dataset string
	inFile  map[uint64]string // hashed identifiers of the file's activities (to their versions)
}

func (f *fileProjects) has(identifier string) bool {
	if f == nil || identifier == "" {
		return false
	}
	_, ok := f.inFile[idHash(identifier)]
	return ok
}

func (f *fileProjects) of(identifier string) string {
	return projectID(f.dir, identifier, f.dataset, 0)
}

// projectID is the project an activity becomes: the one already carrying its identifier (a
// curated project, or one imported before), or project:iati-<identifier>.
func projectID(dir *Directory, identifier, file string, position int) string {
	if identifier == "" {
		// file is the dataset's name here: the publisher and the file name.
		return fmt.Sprintf("project:iati-%s-%d", idTail(file), position)
	}
	if id := dir.Project(identifier); id != "" {
		return id
	}
	return "project:iati-" + idTail(identifier)
}

func (m *mapper) sources(locator string) map[string]any {
	return map[string]any{"sourceIds": []string{m.source.id}, "sourceLocators": []string{locator},
		"sourceStatuses": []string{"VERIFIED"}}
}

func withSources(props, src map[string]any) map[string]any {
	for k, v := range src {
		props[k] = v
	}
	return props
}

var activityStatuses = map[string]string{"1": "PIPELINE", "2": "IMPLEMENTATION", "3": "FINALISATION",
	"4": "CLOSED", "5": "CANCELLED", "6": "SUSPENDED"}

var activityScopes = map[string]string{"1": "GLOBAL", "2": "REGIONAL", "3": "REGIONAL", "4": "NATIONAL",
	"5": "NATIONAL", "6": "NATIONAL", "7": "NATIONAL", "8": "NATIONAL"}

var organisationKinds = map[string]string{"10": "GOVERNMENT", "11": "GOVERNMENT", "15": "GOVERNMENT_AGENCY",
	"21": "NGO", "22": "NGO", "23": "NGO", "24": "NGO", "40": "INTERNATIONAL_ORGANISATION", "60": "NGO"}

var implementationRoles = map[string]string{"2": "ACCOUNTABLE", "3": "EXTENDING", "4": "IMPLEMENTING"}

// preferred picks the narrative to show: English, then the activity's language, then the first.
func preferred(ns []iati.Narrative, lang string) (iati.Narrative, []string) {
	if len(ns) == 0 {
		return iati.Narrative{}, nil
	}
	best := 0
	for i, n := range ns {
		if n.Lang == "en" || (n.Lang == "" && lang == "en") {
			best = i
			break
		}
	}
	var others []string
	for i, n := range ns {
		if i != best && strings.TrimSpace(n.Text) != "" {
			others = append(others, n.Lang+": "+strings.TrimSpace(n.Text))
		}
	}
	return ns[best], others
}

func narrativeLang(n iati.Narrative, fallback string) string {
	if n.Lang != "" {
		return n.Lang
	}
	return fallback
}

// activity maps one activity. position is its place in the file (1-based).
func (m *mapper) activity(a *iati.Activity, position int) (nodes []dataset.Node, rels []dataset.Rel) {
	pid := projectID(m.dir, a.Identifier, m.datasetName, position)
	ident := a.Identifier
	if ident == "" {
		ident = fmt.Sprintf("activity %d", position)
	}
	at := func(path string) map[string]any { return m.sources(ident + ": " + path) }

	props := map[string]any{"id": pid}
	if a.Identifier != "" {
		props["iatiIdentifier"] = a.Identifier
	}
	title, otherTitles := preferred(a.Titles, a.DefaultLang)
	props["title"] = strings.TrimSpace(title.Text)
	if props["title"] == "" {
		props["title"] = ident
		m.report.notice(a.File, a.Line, "title", "the activity has no title text: its identifier is shown instead")
	}
	if l := narrativeLang(title, a.DefaultLang); l != "" {
		props["titleLang"] = l
	}
	if len(otherTitles) > 0 {
		props["otherTitles"] = otherTitles
	}
	var descs []iati.Narrative
	for _, d := range a.Descriptions {
		if d.Type == "" || d.Type == "1" {
			descs = append(descs, d.Narratives...)
		}
	}
	if desc, others := preferred(descs, a.DefaultLang); strings.TrimSpace(desc.Text) != "" {
		props["description"] = strings.TrimSpace(desc.Text)
		if l := narrativeLang(desc, a.DefaultLang); l != "" {
			props["descriptionLang"] = l
		}
		if len(others) > 0 {
			props["otherDescriptions"] = others
		}
	}
	m.status(a, props)
	for _, d := range a.Dates {
		if p := map[string]string{"1": "plannedStart", "2": "actualStart", "3": "plannedEnd", "4": "actualEnd"}[d.Type]; p != "" && d.ISODate != "" {
			props[p] = d.ISODate
		}
	}
	if a.LastUpdated != "" {
		props["lastUpdated"] = a.LastUpdated
	}
	if a.Humanitarian != nil {
		props["humanitarian"] = *a.Humanitarian
	}
	props["hierarchy"] = int64(a.Hierarchy)
	if a.ReportingOrg.Ref != "" {
		props["reportingOrg"] = a.ReportingOrg.Ref
	} else if n, _ := preferred(a.ReportingOrg.Names, a.DefaultLang); n.Text != "" {
		props["reportingOrg"] = n.Text
	}
	m.budget(a, props)
	for _, t := range a.Tags {
		appendString(props, "tags", t.Vocabulary+":"+t.Code)
	}
	for _, p := range a.PolicyMarkers {
		appendString(props, "policyMarkers", p.Vocabulary+":"+p.Code+":"+p.Significance)
	}

	// Recipients: countries become TARGETS with the stated percentage; regions have no node of
	// their own and stay on the project.
	for _, c := range a.Countries {
		id := m.dir.Country(c.Code)
		if id == "" {
			appendString(props, "unresolvedRecipients", c.Code)
			m.report.unresolvedCountry(c.Code)
			m.report.notice(a.File, c.Line, "recipient-country/@code", fmt.Sprintf("%q is no country of the graph: it is kept on the project (unresolvedRecipients), with no TARGETS", c.Code))
			continue
		}
		tp := at("recipient-country " + c.Code)
		if c.Percentage != nil {
			tp["share"] = *c.Percentage
		}
		nodes = append(nodes, ref(dataset.KindCountry, id))
		rels = append(rels, dataset.Rel{Type: dataset.RelTargets, From: pid, To: id, Props: tp})
	}
	for _, r := range a.Regions {
		s := r.Vocabulary + ":" + r.Code
		if r.Percentage != nil {
			s += fmt.Sprintf(" (%g%%)", *r.Percentage)
		}
		appendString(props, "recipientRegions", s)
	}
	if _, ok := props["scope"]; !ok {
		switch {
		case len(a.Countries) > 1 || len(a.Regions) > 0:
			props["scope"] = "REGIONAL"
		case len(a.Countries) == 1:
			props["scope"] = "NATIONAL"
		default:
			props["scope"] = "GLOBAL"
		}
		props["scopeDerived"] = true
	}

	// Sectors: DAC codes become themes, through the one curated theme that lists a code, or a
	// theme of the code itself; other vocabularies stay on the project as codes.
	themes := map[string]bool{}
	for _, s := range a.Sectors {
		appendString(props, "sectorCodes", s.Vocabulary+":"+s.Code)
		if s.Vocabulary != "1" && s.Vocabulary != "2" {
			appendString(props, "unmappedSectors", s.Vocabulary+":"+s.Code)
			m.report.unmappedSector(s.Vocabulary + ":" + s.Code)
			continue
		}
		tid := ""
		if curated := m.dir.ThemesOfDAC(s.Code); len(curated) == 1 {
			tid = curated[0]
			nodes = append(nodes, ref(dataset.KindThematicArea, tid))
		} else {
			tid = "theme:dac-" + s.Code
			name := "DAC sector " + s.Code
			if m.rules.SectorName != nil {
				if n := m.rules.SectorName(s.Vocabulary, s.Code); n != "" {
					name = n
				}
			}
			nodes = append(nodes, dataset.Node{Kind: dataset.KindThematicArea, Props: withSources(map[string]any{
				"id": tid, "name": name, "dacCodes": []string{s.Code},
				"description": "OECD DAC purpose code " + s.Code + ", as publishers report it (no curated theme claims this code alone).",
			}, at("sector "+s.Code))})
		}
		if !themes[tid] {
			themes[tid] = true
			rels = append(rels, dataset.Rel{Type: dataset.RelAddresses, From: pid, To: tid, Props: at("sector " + s.Code)})
		}
	}
	for _, t := range a.Tags {
		if m.rules.TagTheme == nil {
			break
		}
		tid, name := m.rules.TagTheme(t)
		if tid == "" || themes[tid] {
			continue
		}
		themes[tid] = true
		nodes = append(nodes, dataset.Node{Kind: dataset.KindThematicArea, Props: withSources(map[string]any{
			"id": tid, "name": name, "description": "Priority area " + t.Code + " of the publisher's own tag vocabulary.",
		}, at("tag "+t.Code))})
		rels = append(rels, dataset.Rel{Type: dataset.RelAddresses, From: pid, To: tid, Props: at("tag " + t.Code)})
	}

	n, r := m.participants(a, pid, props, at)
	nodes, rels = append(nodes, n...), append(rels, r...)
	linked, named := m.related(a, pid, props, at)
	rels, nodes = append(rels, linked...), append(nodes, named...)

	project := dataset.Node{Kind: dataset.KindProject, Version: a.LastUpdated, Props: withSources(props, at("iati-activity"))}
	return append([]dataset.Node{project}, nodes...), rels
}

func ref(kind, id string) dataset.Node {
	return dataset.Node{Kind: kind, Ref: true, Props: map[string]any{"id": id}}
}

func appendString(props map[string]any, key, v string) {
	l, _ := props[key].([]string)
	props[key] = append(l, v)
}

func (m *mapper) status(a *iati.Activity, props map[string]any) {
	if s, ok := activityStatuses[a.Status]; ok {
		props["status"] = s
	} else {
		end := ""
		for _, d := range a.Dates {
			if (d.Type == "4" || (d.Type == "3" && end == "")) && d.ISODate != "" {
				end = d.ISODate
			}
		}
		props["status"] = "IMPLEMENTATION"
		if m.rules.DeriveStatusAsOf != "" && end != "" && end < m.rules.DeriveStatusAsOf {
			props["status"] = "CLOSED"
		}
		props["statusDerived"] = true
		if a.Status != "" {
			m.report.notice(a.File, a.Line, "activity-status/@code", fmt.Sprintf("%q is no activity status: the status is derived from the dates", a.Status))
		}
	}
	if s, ok := activityScopes[a.Scope]; ok {
		props["scope"] = s
	}
}

// budget sets the project's budget: the revised budget of each period where there is one, the
// original otherwise, summed over the periods when all are in one currency.
func (m *mapper) budget(a *iati.Activity, props map[string]any) {
	if len(a.Budgets) == 0 {
		return
	}
	periods := map[string]iati.Budget{}
	for _, b := range a.Budgets {
		k := b.PeriodStart + "/" + b.PeriodEnd
		if prev, ok := periods[k]; !ok || (b.Type == "2" && prev.Type != "2") {
			periods[k] = b
		}
	}
	// Summed as exact decimals; the graph stores the float64 nearest the sum.
	total, currency, asOf := model.Decimal{}, "", ""
	for _, k := range sortedNames(periods) {
		b := periods[k]
		c := b.Value.Currency
		if c == "" {
			c = a.DefaultCurrency
		}
		if currency != "" && c != currency {
			m.report.notice(a.File, b.Line, "budget/value/@currency", "budgets in several currencies are never summed: the project has no total budget")
			return
		}
		currency = c
		total = total.Add(model.DecimalFromFloat(b.Value.Amount))
		if b.Value.ValueDate > asOf {
			asOf = b.Value.ValueDate
		}
	}
	props["budget"] = total.Float64()
	if currency != "" {
		props["budgetCurrency"] = currency
	}
	if asOf != "" {
		props["budgetAsOf"] = asOf
	}
}

// money sums transactions of one type from one provider (or, with one funder only, those that
// name no provider), when they share a currency, as exact decimals (the result is the float64
// nearest the sum); mixed says they did not (nothing is summed).
func money(a *iati.Activity, txType string, provider func(*iati.OrgRef) bool) (amount float64, currency, asOf string, ok, mixed bool) {
	sum := model.Decimal{}
	for _, t := range a.Transactions {
		if t.Type != txType || !provider(t.Provider) {
			continue
		}
		c := t.Value.Currency
		if c == "" {
			c = a.DefaultCurrency
		}
		if currency != "" && c != currency {
			return 0, "", "", false, true
		}
		currency, sum, ok = c, sum.Add(model.DecimalFromFloat(t.Value.Amount)), true
		if d := t.Value.ValueDate; d > asOf {
			asOf = d
		}
	}
	return sum.Float64(), currency, asOf, ok && currency != "", false
}

// participants maps participating organisations: funders to FUNDS (an instrument named as a
// funder to FINANCED_BY, and FUNDS from its manager), the other roles to IMPLEMENTS.
func (m *mapper) participants(a *iati.Activity, pid string, props map[string]any, at func(string) map[string]any) (nodes []dataset.Node, rels []dataset.Rel) {
	funders := 0
	for _, p := range a.Participants {
		if p.Role == "1" {
			funders++
		}
	}
	_, isParent := m.parents[idHash(a.Identifier)]
	counted := !isParent
	if m.rules.Counted != nil {
		counted = m.rules.Counted(a)
	}
	if !counted {
		props["amountsOnChildren"] = true
	}
	seen := map[string]bool{}
	// A fund that reports its own activities finances every one of them.
	if instr := m.dir.Instrument(narrativeTexts(a.ReportingOrg.Names)); instr != "" {
		n, r := m.fund(a, pid, instr, "reporting-org", counted, props, seen, at)
		nodes, rels = append(nodes, n...), append(rels, r...)
	}
	for i, p := range a.Participants {
		path := fmt.Sprintf("participating-org[%d] role %s", i+1, p.Role)
		names := make([]string, 0, len(p.Names))
		for _, n := range p.Names {
			if t := strings.TrimSpace(n.Text); t != "" {
				names = append(names, t)
			}
		}
		if p.Role == "1" && m.dir.Instrument(names) != "" {
			n, r := m.fund(a, pid, m.dir.Instrument(names), path, counted, props, seen, at)
			nodes, rels = append(nodes, n...), append(rels, r...)
			continue
		}
		oid, _ := m.dir.Organisation(p.Ref, names)
		if oid == "" {
			oid = m.newOrganisation(a, p, names)
			if oid == "" {
				m.report.notice(a.File, p.Line, "participating-org", "an organisation with neither identifier nor name: left out")
				continue
			}
		} else if m.newOrgs[oid] != nil {
			m.newOrgs[oid].Props["aliases"] = mergeNames(m.newOrgs[oid], names)
			m.report.unresolvedOrganisation(p.Ref, "", oid)
		} else if m.dir.OwnedBy(oid) == m.datasetName {
			// Made by an earlier run of this import: still unresolved, and restated as before.
			oid = m.newOrganisation(a, p, names)
		}
		if n := m.newOrgs[oid]; n != nil {
			nodes = append(nodes, *n)
		} else {
			nodes = append(nodes, ref(dataset.KindOrganisation, oid))
		}
		switch p.Role {
		case "1":
			if seen["funds "+oid] {
				continue
			}
			seen["funds "+oid] = true
			fp := at(path)
			if counted {
				mine := func(o *iati.OrgRef) bool {
					if o == nil || (o.Ref == "" && len(o.Names) == 0) {
						return funders == 1
					}
					id, _ := m.dir.Organisation(o.Ref, narrativeTexts(o.Names))
					return id == oid
				}
				amt, cur, asOf, ok, mixed := money(a, "2", mine)
				if ok {
					fp["amount"], fp["currency"] = amt, cur
					if asOf != "" {
						fp["amountAsOf"] = asOf
					}
				}
				disbursed, dcur, _, dok, dmixed := money(a, "3", mine)
				if dok {
					fp["disbursed"], fp["disbursedCurrency"] = disbursed, dcur
				}
				if mixed || dmixed {
					m.report.notice(a.File, p.Line, "transaction/value/@currency", fmt.Sprintf(
						"the transactions from %s are in several currencies, which are never summed: its funding carries no amount", oid))
				}
			}
			rels = append(rels, dataset.Rel{Type: dataset.RelFunds, From: oid, To: pid, Props: fp})
		case "2", "3", "4":
			role := implementationRoles[p.Role]
			if seen[role+" "+oid] {
				continue
			}
			seen[role+" "+oid] = true
			ip := at(path)
			ip["role"], ip["lead"] = role, false
			rels = append(rels, dataset.Rel{Type: dataset.RelImplements, From: oid, To: pid, Props: ip})
		default:
			m.report.notice(a.File, p.Line, "participating-org/@role", fmt.Sprintf("role %q is no organisation role: the organisation is left out", p.Role))
		}
	}
	return nodes, rels
}

// fund links an activity to the instrument that finances it (the window the rules pick) and,
// with a fund manager, funds it from the manager with the activity's money.
func (m *mapper) fund(a *iati.Activity, pid, instr, path string, counted bool, props map[string]any, seen map[string]bool,
	at func(string) map[string]any) (nodes []dataset.Node, rels []dataset.Rel) {
	if m.rules.Window != nil {
		instr = m.rules.Window(a, instr)
	}
	if !seen["instrument "+instr] {
		seen["instrument "+instr] = true
		nodes = append(nodes, ref(dataset.KindInstrument, instr))
		rels = append(rels, dataset.Rel{Type: dataset.RelFinancedBy, From: pid, To: instr, Props: at(path)})
	}
	if m.rules.FundManager == "" || seen["funds "+m.rules.FundManager] {
		return nodes, rels
	}
	seen["funds "+m.rules.FundManager] = true
	fp := at(path + " (funds managed by " + m.rules.FundManager + ")")
	fp["sourceStatuses"] = []string{"WEAK"}
	if counted && m.rules.FundingFromBudget {
		if b, ok := props["budget"].(float64); ok {
			fp["amount"], fp["currency"] = b, props["budgetCurrency"]
			if d, ok := props["budgetAsOf"]; ok {
				fp["amountAsOf"] = d
			}
		}
	}
	nodes = append(nodes, ref(dataset.KindOrganisation, m.rules.FundManager))
	rels = append(rels, dataset.Rel{Type: dataset.RelFunds, From: m.rules.FundManager, To: pid, Props: fp})
	return nodes, rels
}

func narrativeTexts(ns []iati.Narrative) []string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, strings.TrimSpace(n.Text))
	}
	return out
}

// newOrganisation creates an organisation no reference resolved: keyed by its IATI identifier
// when it has one, by its name otherwise, and reported as unresolved.
func (m *mapper) newOrganisation(a *iati.Activity, p iati.Participant, names []string) string {
	var id, name string
	switch {
	case p.Ref != "":
		id, name = "org:iati-"+idTail(p.Ref), p.Ref
	case len(names) > 0:
		id, name = "org:named-"+idTail(names[0]), names[0]
	default:
		return ""
	}
	if len(names) > 0 {
		name = names[0]
	}
	kind, ok := organisationKinds[p.Type]
	if !ok {
		kind = "OTHER"
	}
	props := withSources(map[string]any{"id": id, "name": name, "kind": kind},
		m.sources(a.Identifier+": participating-org "+name))
	if p.Ref != "" {
		props["iatiIdentifier"] = p.Ref
	}
	if p.Type != "" {
		props["iatiType"] = p.Type
	}
	n := &dataset.Node{Kind: dataset.KindOrganisation, Props: props}
	if aliases := mergeNames(n, names); len(aliases) > 0 {
		props["aliases"] = aliases
	}
	m.newOrgs[id] = n
	m.dir.addOrganisation(id, m.datasetName, p.Ref, names)
	m.report.unresolvedOrganisation(p.Ref, name, id)
	return id
}

// mergeNames returns the node's aliases with the names it does not answer to yet.
func mergeNames(n *dataset.Node, names []string) []string {
	have := map[string]bool{dataset.NameKey(fmt.Sprint(n.Props["name"])): true}
	aliases, _ := n.Props["aliases"].([]string)
	for _, a := range aliases {
		have[dataset.NameKey(a)] = true
	}
	for _, name := range names {
		if k := dataset.NameKey(name); k != "" && !have[k] {
			have[k] = true
			aliases = append(aliases, name)
		}
	}
	return aliases
}

// related links activities of the file: a child is PART_OF its parent. Links to activities
// outside the file and the graph, and siblings or co-funded activities, stay on the project.
// The other end of each link is named (a reference) by the dataset too, so that its links never
// reach a node it does not assert.
func (m *mapper) related(a *iati.Activity, pid string, props map[string]any, at func(string) map[string]any) (now []dataset.Rel, refs []dataset.Node) {
	if m.written == nil {
		m.written = idSet{}
	}
	m.written[idHash(a.Identifier)] = struct{}{}
	for _, r := range a.Related {
		other := ""
		if m.projects.has(r.Ref) {
			other = m.projects.of(r.Ref)
		} else {
			other = m.dir.Project(r.Ref)
		}
		var child, parent string
		switch r.Type {
		case "1":
			child, parent = pid, other
		case "2":
			child, parent = other, pid
		}
		if other == "" || parent == "" || other == pid {
			appendString(props, "relatedActivities", r.Type+":"+r.Ref)
			continue
		}
		k := child + ">" + parent
		if _, seen := m.seenRelated[idHash(k)]; seen {
			continue
		}
		m.seenRelated[idHash(k)] = struct{}{}
		rel := dataset.Rel{Type: dataset.RelPartOf, From: child, To: parent, Props: at("related-activity " + r.Type + " " + r.Ref)}
		_, written := m.written[idHash(r.Ref)]
		if !m.projects.has(r.Ref) || written {
			now = append(now, rel)
			refs = append(refs, ref(dataset.KindProject, other))
		} else {
			m.pendingRelated = append(m.pendingRelated, rel)
			m.pendingRefs = append(m.pendingRefs, ref(dataset.KindProject, other))
		}
	}
	return now, refs
}

// sortedNames returns a map's keys in order.
func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
