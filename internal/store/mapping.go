package store

import (
	"fmt"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// Node kinds, as labels in the graph and as the kind returned by NodesByID.
const (
	KindCountry         = "Country"
	KindRegionalProcess = "RegionalProcess"
	KindInstrument      = "Instrument"
	KindOrganisation    = "Organisation"
	KindProject         = "Project"
	KindSource          = "Source"
	KindThematicArea    = "ThematicArea"
	KindPriority        = "Priority"
	KindClaim           = "Claim"
)

// versioned is the version of a node with these properties, worked out when asked for.
func versioned(m map[string]any) model.Versioned {
	return model.VersionedBy(func() string { return VersionOf(m) })
}

// refs are the ids a node refers to, by relationship type; "~TYPE" for incoming relationships
// (see cypher/node_refs.fragment).
type refs map[string][]string

func refsOf(v any) refs {
	out := refs{}
	list, _ := v.([]any)
	for _, e := range list {
		pair, _ := e.([]any)
		if len(pair) != 2 {
			continue
		}
		typ, _ := pair[0].(string)
		id, _ := pair[1].(string)
		out[typ] = append(out[typ], id)
	}
	return out
}

// one returns the single id referred to by relationship typ, or nil.
func (r refs) one(typ string) *string {
	if ids := r[typ]; len(ids) > 0 {
		id := ids[0]
		return &id
	}
	return nil
}

func mapCountry(m map[string]any, ref refs) (*model.Country, error) {
	p := &props{m: m}
	c := &model.Country{
		Key:       p.str("id"),
		Versioned: versioned(m),
		Iso2:      p.str("iso2"),
		Iso3:      p.str("iso3"),
		Name:      p.str("name"),
		Region:    p.str("region"),
		Subregion: p.optStr("subregion"),
		Aliases:   p.strList("aliases"),
		Sources:   p.sources(),
	}
	c.EuRelation = enum(p, "euRelation", model.EURelation(p.str("euRelation")))
	return c, wrapMapping(KindCountry, m, p.err)
}

func mapRegionalProcess(m map[string]any, ref refs) (*model.RegionalProcess, error) {
	p := &props{m: m}
	r := &model.RegionalProcess{
		Key:               p.str("id"),
		Versioned:         versioned(m),
		Name:              p.str("name"),
		ShortName:         p.str("shortName"),
		Launched:          p.optStr("launched"),
		LaunchedPrecision: optEnum[model.DatePrecision](p, "launchedPrecision"),
		LaunchPlace:       p.optStr("launchPlace"),
		Pillars:           p.strList("pillars"),
		Description:       p.optStr("description"),
		SecretariatID:     ref.one("HAS_SECRETARIAT"),
		PredecessorID:     ref.one("~SUCCEEDED_BY"),
		SuccessorID:       ref.one("SUCCEEDED_BY"),
		Aliases:           p.strList("aliases"),
		Sources:           p.sources(),
	}
	return r, wrapMapping(KindRegionalProcess, m, p.err)
}

func mapInstrument(m map[string]any, ref refs) (*model.Instrument, error) {
	p := &props{m: m}
	i := &model.Instrument{
		Key:              p.str("id"),
		Versioned:        versioned(m),
		Name:             p.str("name"),
		ShortName:        p.optStr("shortName"),
		Started:          p.optStr("started"),
		StartedPrecision: optEnum[model.DatePrecision](p, "startedPrecision"),
		Ended:            p.optStr("ended"),
		Amount:           p.money("amount", "currency", "amountAsOf"),
		Description:      p.optStr("description"),
		ParentID:         ref.one("PART_OF"),
		Aliases:          p.strList("aliases"),
		Sources:          p.sources(),
	}
	i.Kind = enum(p, "kind", model.InstrumentKind(p.str("kind")))
	return i, wrapMapping(KindInstrument, m, p.err)
}

func mapOrganisation(m map[string]any, ref refs) (*model.Organisation, error) {
	p := &props{m: m}
	o := &model.Organisation{
		Key:            p.str("id"),
		Versioned:      versioned(m),
		Name:           p.str("name"),
		ShortName:      p.optStr("shortName"),
		IatiType:       p.optStr("iatiType"),
		IatiIdentifier: p.optStr("iatiIdentifier"),
		CountryID:      ref.one("BASED_IN"),
		ParentID:       ref.one("PART_OF"),
		Aliases:        p.strList("aliases"),
		Sources:        p.sources(),
	}
	o.Kind = enum(p, "kind", model.OrganisationKind(p.str("kind")))
	return o, wrapMapping(KindOrganisation, m, p.err)
}

func mapProject(m map[string]any, ref refs) (*model.Project, error) {
	p := &props{m: m}
	pr := &model.Project{
		Key:            p.str("id"),
		Versioned:      versioned(m),
		IatiIdentifier: p.optStr("iatiIdentifier"),
		Title:          p.str("title"),
		Description:    p.optStr("description"),
		PlannedStart:   p.optStr("plannedStart"),
		ActualStart:    p.optStr("actualStart"),
		PlannedEnd:     p.optStr("plannedEnd"),
		ActualEnd:      p.optStr("actualEnd"),
		Budget:         p.money("budget", "budgetCurrency", "budgetAsOf"),
		Sources:        p.sources(),
	}
	pr.ParentID = ref.one("PART_OF")
	if h := p.optFloat("hierarchy"); h != nil {
		v := int(*h)
		pr.Hierarchy = &v
	}
	pr.AmountsOnChildren, pr.StatusDerived = p.boolean("amountsOnChildren"), p.boolean("statusDerived")
	pr.Datasets = p.strList("datasets")
	if _, imported := m["reportingOrg"]; imported {
		d := &model.IatiActivityDetails{ReportingOrg: p.optStr("reportingOrg"), LastUpdated: p.optStr("lastUpdated"),
			TitleLang: p.optStr("titleLang"), OtherTitles: p.strList("otherTitles"), Sectors: p.strList("sectorCodes"),
			UnmappedSectors: p.strList("unmappedSectors"), Tags: p.strList("tags"), PolicyMarkers: p.strList("policyMarkers"),
			RecipientRegions: p.strList("recipientRegions"), UnresolvedRecipients: p.strList("unresolvedRecipients"),
			RelatedActivities: p.strList("relatedActivities")}
		if _, ok := m["humanitarian"]; ok {
			h := p.boolean("humanitarian")
			d.Humanitarian = &h
		}
		pr.Iati = d
	}
	pr.Status = enum(p, "status", model.ProjectStatus(p.str("status")))
	pr.Scope = enum(p, "scope", model.ProjectScope(p.str("scope")))
	return pr, wrapMapping(KindProject, m, p.err)
}

func mapSource(m map[string]any, ref refs) (*model.Source, error) {
	p := &props{m: m}
	s := &model.Source{
		Key:       p.str("id"),
		Versioned: versioned(m),
		Title:     p.str("title"),
		File:      p.optStr("file"),
		URL:       p.optStr("url"),
		Publisher: p.optStr("publisher"),
		Published: p.optStr("published"),
	}
	return s, wrapMapping(KindSource, m, p.err)
}

func mapThematicArea(m map[string]any, _ refs) (*model.ThematicArea, error) {
	p := &props{m: m}
	t := &model.ThematicArea{
		Key:         p.str("id"),
		Versioned:   versioned(m),
		Name:        p.str("name"),
		Description: p.optStr("description"),
		DacCodes:    p.strList("dacCodes"),
		Aliases:     p.strList("aliases"),
		Sources:     p.sources(),
	}
	return t, wrapMapping(KindThematicArea, m, p.err)
}

func mapPriority(m map[string]any, ref refs) (*model.Priority, error) {
	p := &props{m: m}
	pr := &model.Priority{
		Key:             p.str("id"),
		Versioned:       versioned(m),
		ThemeID:         ref.one("ABOUT"),
		StatedBy:        p.str("statedBy"),
		Statement:       p.str("statement"),
		Stated:          p.optStr("stated"),
		StatedPrecision: optEnum[model.DatePrecision](p, "statedPrecision"),
		Sources:         p.sources(),
	}
	holder := ref.one("~STATES")
	if holder == nil {
		return nil, fmt.Errorf("stored Priority %v has no holder", m["id"])
	}
	pr.HolderID = *holder
	return pr, wrapMapping(KindPriority, m, p.err)
}

func mapClaim(m map[string]any, ref refs) (*model.Claim, error) {
	p := &props{m: m}
	c := &model.Claim{
		Key:       p.str("id"),
		Versioned: versioned(m),
		Property:  p.str("property"),
		Value:     p.str("value"),
		Number:    p.optDecimal("number"),
		Unit:      p.optStr("unit"),
		AsOf:      p.optStr("asOf"),
		Sources:   p.sources(),
	}
	subject := ref.one("~HAS_CLAIM")
	if subject == nil {
		return nil, fmt.Errorf("stored Claim %v has no subject", m["id"])
	}
	c.SubjectID = *subject
	return c, wrapMapping(KindClaim, m, p.err)
}

// wrapMapping names the kind and id of a record the graph holds in a shape the code does not expect.
func wrapMapping(kind string, m map[string]any, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("stored %s %v does not match the model: %w", kind, m["id"], err)
}
