package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/analysis"
)

// TargetQuery selects the projects targeting countries that an analysis looks at.
type TargetQuery struct {
	Countries    []string // nil: every country
	Theme        string   // "": every theme; used as the anchor when no country is given
	NationalOnly bool
	From, To     *string // the period, ISO dates; undated projects drop out when either is set
}

// Anchors of analysis_targeted_projects: the most selective start the query allows.
// Anchors bind c (country), t (TARGETS) and p (project).
var targetAnchors = map[string]string{
	"countries": "UNWIND $countries AS countryKey\nMATCH " + countryProjects.pattern("c:Entity {id: countryKey}", "t", "p"),
	"theme":     "MATCH " + themeProjects.pattern(":Entity {id: $theme}", "", "p") + projectCountries.hop("t", "c"),
	"all":       "MATCH " + countryProjects.pattern("c:"+KindCountry, "t", "p"),
}

// The steps the analyses take, from the catalogue.
var (
	countryProjects   = backwards(relTargets, KindCountry)
	projectCountries  = forwards(relTargets, KindProject)
	themeProjects     = backwards(relAddresses, KindThematicArea)
	processMembers    = backwards(relMemberOf, KindRegionalProcess).to(KindCountry)
	countryMembership = forwards(relMemberOf, KindCountry)
	processSupporters = backwards(relSupports, KindRegionalProcess)
	donorFundings     = forwards(relFunds, KindOrganisation)
	projectDonors     = backwards(relFunds, KindProject)
	instrumentParts   = backwards(relPartOf, KindInstrument)
	instrumentFunded  = backwards(relFinancedBy, KindInstrument)
)

// TargetedProjects reads the projects targeting the countries of q, one row per (country, project).
func (s *Store) TargetedProjects(ctx context.Context, q TargetQuery) ([]analysis.TargetedProject, error) {
	anchor := "all"
	switch {
	case q.Countries != nil:
		anchor = "countries"
	case q.Theme != "":
		anchor = "theme"
	}
	params := map[string]any{
		"countries": q.Countries, "theme": q.Theme, "nationalOnly": q.NationalOnly, "from": optParam(q.From), "to": optParam(q.To),
	}
	cypher := targetedProjectsCypher(anchor)
	recs, err := s.readAnalysis(ctx, "analysis_targeted_projects", cypher, params)
	if err != nil {
		return nil, err
	}
	out := make([]analysis.TargetedProject, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		p := &props{m: m}
		tp := analysis.TargetedProject{
			Country: p.str("country"), Project: p.str("project"), Start: p.optStr("start"), End: p.optStr("end"),
			Share: p.optFloat("share"), Themes: p.strList("themes"),
			CountryCount: toInt(m["countryCount"]), SharePart: p.part("part"),
		}
		tp.Scope = enum(p, "scope", model.ProjectScope(p.str("scope")))
		list, _ := m["fundings"].([]any)
		for _, e := range list {
			fm, _ := e.(map[string]any)
			tp.Fundings = append(tp.Fundings, fundingOf(fm))
		}
		if p.err != nil {
			return nil, fmt.Errorf("targeted projects: %w", p.err)
		}
		out = append(out, tp)
	}
	return out, nil
}

func fundingOf(m map[string]any) analysis.Funding {
	p := &props{m: m}
	return analysis.Funding{
		Donor: p.str("donor"), Amount: p.optDecimal("amount"), Hundredths: p.optInt64("hundredths"),
		Currency: p.optStr("currency"), AsOf: p.optStr("asOf"), Sources: p.sources(),
	}
}

// FollowUpQuery selects the regional activities of missingNationalFollowUp.
type FollowUpQuery struct {
	Country, Theme, Process string // "" for any
	IncludeEU               bool   // also judge EU member states
}

// Membership anchors bind c (country), m (MEMBER_OF) and proc (process).
var membershipAnchors = map[string]string{
	"process": "MATCH " + processMembers.pattern("proc:Entity {id: $process}", "m", "c"),
	"country": "MATCH " + countryMembership.pattern("c:Entity {id: $country}", "m", "proc"),
	"all":     "MATCH " + countryMembership.pattern("c:"+KindCountry, "m", "proc"),
}

// Regional project anchors bind rp (project), t (TARGETS) and c (country).
var regionalProjectAnchors = map[string]string{
	"process": "MATCH " + processSupporters.pattern(":Entity {id: $process}", "", "rp") + projectCountries.hop("t", "c"),
	"country": "MATCH " + countryProjects.pattern("c:Entity {id: $country}", "t", "rp"),
	"theme":   "MATCH " + themeProjects.pattern(":Entity {id: $theme}", "", "rp") + projectCountries.hop("t", "c"),
	"all":     "MATCH " + projectCountries.pattern("rp:"+KindProject, "t", "c"),
}

// FollowUpGroups reads, per (country, theme), the regional activities and the national projects.
func (s *Store) FollowUpGroups(ctx context.Context, q FollowUpQuery) ([]analysis.FollowUpGroup, error) {
	membership, project := "all", "all"
	switch {
	case q.Process != "":
		membership, project = "process", "process"
	case q.Country != "":
		membership, project = "country", "country"
	case q.Theme != "":
		project = "theme"
	}
	cypher := followUpCypher(membership, project)
	params := map[string]any{"country": optKey(q.Country), "theme": optKey(q.Theme), "process": optKey(q.Process), "includeEU": q.IncludeEU}
	recs, err := s.readAnalysis(ctx, "analysis_follow_up", cypher, params)
	if err != nil {
		return nil, err
	}
	var out []analysis.FollowUpGroup
	for _, r := range recs {
		m := r.AsMap()
		p := &props{m: m}
		country := p.str("country")
		groups := map[string]*analysis.FollowUpGroup{}
		var themes []string
		acts, _ := m["activities"].([]any)
		for _, e := range acts {
			am, _ := e.(map[string]any)
			ap := &props{m: am}
			theme := ap.str("theme")
			a := analysis.RegionalActivity{
				Kind:    enum(ap, "kind", model.RegionalActivityKind(ap.str("kind"))),
				Process: ap.optStr("process"), Project: ap.optStr("project"),
				MemberFrom: ap.optStr("memberFrom"), Launched: ap.optStr("launched"), ProjectStart: ap.optStr("projectStart"),
				Sources: ap.sources(),
			}
			if ap.err != nil {
				return nil, fmt.Errorf("follow-up activity: %w", ap.err)
			}
			g, ok := groups[theme]
			if !ok {
				g = &analysis.FollowUpGroup{Country: country, Theme: theme}
				groups[theme] = g
				themes = append(themes, theme)
			}
			g.Activities = append(g.Activities, a)
		}
		nats, _ := m["nationals"].([]any)
		for _, e := range nats {
			nm, _ := e.(map[string]any)
			np := &props{m: nm}
			n := analysis.NationalProject{Project: np.str("project"), Start: np.str("start")}
			for _, th := range np.strList("themes") {
				if g, ok := groups[th]; ok {
					g.Nationals = append(g.Nationals, n)
				}
			}
			if np.err != nil {
				return nil, fmt.Errorf("follow-up national project: %w", np.err)
			}
		}
		if p.err != nil {
			return nil, fmt.Errorf("follow-up group: %w", p.err)
		}
		for _, th := range themes {
			out = append(out, *groups[th])
		}
	}
	return out, nil
}

// StatedPriorities reads the priorities that apply to one country, or to every country when
// country is "".
func (s *Store) StatedPriorities(ctx context.Context, country string, viaProcesses bool) ([]analysis.StatedPriority, error) {
	cypher := prioritiesCypher(country != "")
	recs, err := s.readAnalysis(ctx, "analysis_priorities", cypher, map[string]any{"country": country, "viaProcesses": viaProcesses})
	if err != nil {
		return nil, err
	}
	out := make([]analysis.StatedPriority, 0, len(recs))
	for _, r := range recs {
		p := &props{m: r.AsMap()}
		out = append(out, analysis.StatedPriority{Country: p.str("country"), Priority: p.str("priority"), Theme: p.optStr("theme"), Via: p.optStr("via")})
		if p.err != nil {
			return nil, fmt.Errorf("stated priorities: %w", p.err)
		}
	}
	return out, nil
}

// DonorGovernments reads, for each donor, the government it belongs to.
func (s *Store) DonorGovernments(ctx context.Context, donors []string) (map[string]analysis.DonorGovernment, error) {
	recs, err := s.read(ctx, "analysis_donor_governments", map[string]any{"donors": donors})
	if err != nil {
		return nil, err
	}
	out := make(map[string]analysis.DonorGovernment, len(recs))
	for _, r := range recs {
		p := &props{m: r.AsMap()}
		out[p.str("donor")] = analysis.DonorGovernment{Government: p.optStr("government"), Country: p.optStr("country"), Kind: p.str("kind")}
		if p.err != nil {
			return nil, fmt.Errorf("donor governments: %w", p.err)
		}
	}
	return out, nil
}

// FlowQuery filters the fundings of fundingFlows.
type FlowQuery struct {
	Country, Theme, Donor, Instrument string // "" for any
	From, To                          *string
}

// Flow anchors bind d (donor), f (FUNDS) and p (project); an instrument's projects are its own
// and its parts'.
var flowAnchors = map[string]string{
	"donor": "MATCH " + donorFundings.pattern("d:Entity {id: $donor}", "f", "p"),
	"instrument": "MATCH (:Entity {id: $instrument})" + instrumentParts.arrow("", "*0..1") + instrumentParts.node("") + instrumentFunded.hop("", "fp") +
		"\nWITH DISTINCT fp\nMATCH (d:" + KindOrganisation + ")" + donorFundings.arrow("f", "") + "(fp)\nWITH d, f, fp AS p",
	"country": "MATCH " + countryProjects.pattern(":Entity {id: $country}", "", "p") + projectDonors.hop("f", "d"),
	"theme":   "MATCH " + themeProjects.pattern(":Entity {id: $theme}", "", "p") + projectDonors.hop("f", "d"),
	"all":     "MATCH " + donorFundings.pattern("d:"+KindOrganisation, "f", "p"),
}

// FlowFundings reads the donor-project fundings of q with where their projects lead.
func (s *Store) FlowFundings(ctx context.Context, q FlowQuery) ([]analysis.FlowFunding, error) {
	anchor := "all"
	for _, a := range []struct{ name, value string }{{"donor", q.Donor}, {"instrument", q.Instrument}, {"country", q.Country}, {"theme", q.Theme}} {
		if a.value != "" {
			anchor = a.name
			break
		}
	}
	cypher := flowsCypher(anchor)
	params := map[string]any{
		"donor": optKey(q.Donor), "instrument": optKey(q.Instrument), "country": optKey(q.Country), "theme": optKey(q.Theme),
		"from": optParam(q.From), "to": optParam(q.To),
	}
	recs, err := s.readAnalysis(ctx, "analysis_flows", cypher, params)
	if err != nil {
		return nil, err
	}
	out := make([]analysis.FlowFunding, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		p := &props{m: m}
		f := analysis.FlowFunding{
			Donor:   analysis.FlowRef{Key: p.str("donor"), Label: p.str("donorLabel")},
			Project: analysis.FlowRef{Key: p.str("project"), Label: p.str("projectLabel")},
			Amount:  p.optDecimal("amount"), Hundredths: p.optInt64("hundredths"), Currency: p.optStr("currency"),
			Instruments: flowRefs(m["instruments"]), Countries: flowRefs(m["countries"]), Themes: flowRefs(m["themes"]),
		}
		if p.err != nil {
			return nil, fmt.Errorf("flow fundings: %w", p.err)
		}
		out = append(out, f)
	}
	return out, nil
}

func flowRefs(v any) []analysis.FlowRef {
	list, _ := v.([]any)
	out := make([]analysis.FlowRef, 0, len(list))
	for _, e := range list {
		m, _ := e.(map[string]any)
		p := &props{m: m}
		ref := analysis.FlowRef{Key: p.str("key"), Label: p.str("label"), SharePart: analysis.Whole}
		if _, ok := m["part"]; ok {
			ref.SharePart = p.part("part")
		}
		out = append(out, ref)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Neighbours returns the keys next to the frontier over relationships of the given types (nil:
// all), leaving out visited ones, by key, at most room of them.
func (s *Store) Neighbours(ctx context.Context, frontier, visited, types []string, room int) ([]string, error) {
	recs, err := s.read(ctx, "analysis_expand", map[string]any{
		"frontier": frontier, "visited": visited, "types": optList(types), "room": int64(room),
	})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		k, _ := r.Get("key")
		key, _ := k.(string)
		out = append(out, key)
	}
	return out, nil
}

// EdgesAmong returns the relationships of the given types (nil: all) among the nodes with these keys.
func (s *Store) EdgesAmong(ctx context.Context, keys, types []string) ([]*model.GraphEdge, error) {
	recs, err := s.read(ctx, "analysis_edges_among", map[string]any{"keys": keys, "types": optList(types)})
	if err != nil {
		return nil, err
	}
	out := make([]*model.GraphEdge, 0, len(recs))
	for _, r := range recs {
		e, err := graphEdge(r.AsMap())
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// maxHopsText holds the path lengths a shortest-path statement may be built with.
var maxHopsText = map[int]string{1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6"}

// ShortestPaths returns up to first shortest paths of at most maxHops (1 to 6) relationships.
func (s *Store) ShortestPaths(ctx context.Context, from, to string, maxHops int, types []string, first int) ([]*model.GraphPath, error) {
	if _, ok := maxHopsText[maxHops]; !ok {
		return nil, fmt.Errorf("shortest paths: %d hops is outside the table", maxHops)
	}
	cypher, err := shortestPathsCypher(maxHops, types)
	if err != nil {
		return nil, err
	}
	recs, err := s.readQuery(ctx, "analysis_shortest_paths", cypher, map[string]any{
		"from": from, "to": to, "first": int64(first),
	})
	if err != nil {
		return nil, err
	}
	out := make([]*model.GraphPath, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		p := &props{m: m}
		path := &model.GraphPath{NodeKeys: p.strList("keys")}
		edges, _ := m["edges"].([]any)
		for _, e := range edges {
			em, _ := e.(map[string]any)
			ge, err := graphEdge(em)
			if err != nil {
				return nil, err
			}
			path.Edges = append(path.Edges, ge)
		}
		path.Length = len(path.Edges)
		out = append(out, path)
	}
	return out, nil
}

// graphEdge reads {from, to, type, props} into an edge; properties become text, by name.
func graphEdge(m map[string]any) (*model.GraphEdge, error) {
	p := &props{m: m}
	e := &model.GraphEdge{FromKey: p.str("from"), ToKey: p.str("to")}
	e.Type = enum(p, "type", model.RelationshipType(p.str("type")))
	rel, _ := m["props"].(map[string]any)
	rp := &props{m: rel}
	e.Sources = rp.sources()
	e.Version = VersionOf(rel)
	e.Properties = []*model.EdgeProperty{}
	for _, name := range sortedNames(rel) {
		if systemProps[name] { // sources are exposed as `sources`; the rest is the store's bookkeeping
			continue
		}
		e.Properties = append(e.Properties, &model.EdgeProperty{Name: name, Value: text(rel[name])})
	}
	if err := firstErr(p.err, rp.err); err != nil {
		return nil, fmt.Errorf("graph edge: %w", err)
	}
	return e, nil
}

func sortedNames(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// text writes a stored property value as text.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = text(e)
		}
		return strings.Join(parts, "; ")
	case neo4j.Date:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func optParam(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func optKey(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func optList(list []string) any {
	if list == nil {
		return nil
	}
	return list
}

func targetedProjectsCypher(anchor string) string {
	return strings.NewReplacer(
		"__ANCHOR__", targetAnchors[anchor], "__SHARE_PART__", sharePart, "__HUNDREDTHS__", hundredths("f.amount"),
	).Replace(statement("analysis_targeted_projects"))
}

func followUpCypher(membership, project string) string {
	return strings.NewReplacer(
		"__MEMBERSHIP_ANCHOR__", membershipAnchors[membership],
		"__PROJECT_ANCHOR__", regionalProjectAnchors[project],
	).Replace(statement("analysis_follow_up"))
}

func prioritiesCypher(oneCountry bool) string {
	anchor := "c:Country"
	if oneCountry {
		anchor = "c:Entity {id: $country}"
	}
	return strings.ReplaceAll(statement("analysis_priorities"), "__COUNTRY__", anchor)
}

func flowsCypher(anchor string) string {
	return strings.NewReplacer(
		"__ANCHOR__", flowAnchors[anchor], "__SHARE_PART__", sharePart, "__HUNDREDTHS__", hundredths("f.amount"),
	).Replace(statement("analysis_flows"))
}

func shortestPathsCypher(hops int, types []string) (string, error) {
	pattern := ""
	if len(types) > 0 {
		for _, t := range types {
			// A path pattern cannot take types as a parameter: only the catalogue's enter the text.
			if relationshipTypes[t] == nil {
				return "", fmt.Errorf("shortest paths: relationship type %q is not in the catalogue", t)
			}
		}
		pattern = ":" + strings.Join(types, "|")
	}
	return strings.NewReplacer("__HOPS__", maxHopsText[hops], "__TYPES__", pattern).Replace(statement("analysis_shortest_paths")), nil
}

// AnalysisStatement is one variant of an analysis statement as it is sent to Neo4j.
type AnalysisStatement struct {
	Name     string
	Cypher   string
	Anchored bool // starts from nodes named by key, so its plan must seek an index
}

// AnalysisStatements lists every variant of the analysis statements, so tests can check their
// query plans (index seeks, no cartesian products).
func AnalysisStatements() []AnalysisStatement {
	out := []AnalysisStatement{
		{"analysis_donor_governments", statement("analysis_donor_governments"), true},
		{"analysis_expand", statement("analysis_expand"), true},
		{"analysis_edges_among", statement("analysis_edges_among"), true},
		{"analysis_priorities one country", prioritiesCypher(true), true},
		{"analysis_priorities all", prioritiesCypher(false), false},
	}
	for _, a := range sortedNames(anyMap(targetAnchors)) {
		out = append(out, AnalysisStatement{"analysis_targeted_projects " + a, targetedProjectsCypher(a), a != "all"})
	}
	for _, a := range sortedNames(anyMap(flowAnchors)) {
		out = append(out, AnalysisStatement{"analysis_flows " + a, flowsCypher(a), a != "all"})
	}
	for _, pair := range [][2]string{{"process", "process"}, {"country", "country"}, {"all", "theme"}, {"all", "all"}} {
		out = append(out, AnalysisStatement{"analysis_follow_up " + pair[0] + "/" + pair[1], followUpCypher(pair[0], pair[1]), pair[0] != "all"})
	}
	for hops := range maxHopsText {
		for _, types := range [][]string{nil, {"TARGETS", "FUNDS"}} {
			cypher, _ := shortestPathsCypher(hops, types)
			out = append(out, AnalysisStatement{fmt.Sprintf("analysis_shortest_paths %d %v", hops, types), cypher, true})
		}
	}
	return out
}

func anyMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
