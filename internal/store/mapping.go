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
)

func mapCountry(m map[string]any) (*model.Country, error) {
	p := &props{m: m}
	c := &model.Country{
		ID:        p.str("id"),
		Iso2:      p.str("iso2"),
		Iso3:      p.str("iso3"),
		Name:      p.str("name"),
		Region:    p.str("region"),
		Subregion: p.optStr("subregion"),
		Sources:   p.sources(),
	}
	c.EuRelation = enum(p, "euRelation", model.EURelation(p.str("euRelation")))
	return c, wrapMapping(KindCountry, m, p.err)
}

func mapRegionalProcess(m map[string]any) (*model.RegionalProcess, error) {
	p := &props{m: m}
	r := &model.RegionalProcess{
		ID:                p.str("id"),
		Name:              p.str("name"),
		ShortName:         p.str("shortName"),
		Launched:          p.optStr("launched"),
		LaunchedPrecision: optEnum[model.DatePrecision](p, "launchedPrecision"),
		LaunchPlace:       p.optStr("launchPlace"),
		Pillars:           p.strList("pillars"),
		Description:       p.optStr("description"),
		SecretariatID:     p.optStr("secretariatId"),
		PredecessorID:     p.optStr("predecessorId"),
		SuccessorID:       p.optStr("successorId"),
		Sources:           p.sources(),
	}
	return r, wrapMapping(KindRegionalProcess, m, p.err)
}

func mapInstrument(m map[string]any) (*model.Instrument, error) {
	p := &props{m: m}
	i := &model.Instrument{
		ID:               p.str("id"),
		Name:             p.str("name"),
		ShortName:        p.optStr("shortName"),
		Started:          p.optStr("started"),
		StartedPrecision: optEnum[model.DatePrecision](p, "startedPrecision"),
		Ended:            p.optStr("ended"),
		Amount:           p.money("amount", "currency", "amountAsOf"),
		Description:      p.optStr("description"),
		ParentID:         p.optStr("parentId"),
		Sources:          p.sources(),
	}
	i.Kind = enum(p, "kind", model.InstrumentKind(p.str("kind")))
	return i, wrapMapping(KindInstrument, m, p.err)
}

func mapOrganisation(m map[string]any) (*model.Organisation, error) {
	p := &props{m: m}
	o := &model.Organisation{
		ID:             p.str("id"),
		Name:           p.str("name"),
		ShortName:      p.optStr("shortName"),
		IatiType:       p.optStr("iatiType"),
		IatiIdentifier: p.optStr("iatiIdentifier"),
		CountryID:      p.optStr("countryId"),
		ParentID:       p.optStr("parentId"),
		Sources:        p.sources(),
	}
	o.Kind = enum(p, "kind", model.OrganisationKind(p.str("kind")))
	return o, wrapMapping(KindOrganisation, m, p.err)
}

func mapProject(m map[string]any) (*model.Project, error) {
	p := &props{m: m}
	pr := &model.Project{
		ID:             p.str("id"),
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
	pr.Status = enum(p, "status", model.ProjectStatus(p.str("status")))
	pr.Scope = enum(p, "scope", model.ProjectScope(p.str("scope")))
	return pr, wrapMapping(KindProject, m, p.err)
}

func mapSource(m map[string]any) (*model.Source, error) {
	p := &props{m: m}
	s := &model.Source{
		ID:        p.str("id"),
		Title:     p.str("title"),
		File:      p.optStr("file"),
		URL:       p.optStr("url"),
		Publisher: p.optStr("publisher"),
		Published: p.optStr("published"),
	}
	return s, wrapMapping(KindSource, m, p.err)
}

func mapMembership(from, to string, m map[string]any) (*model.Membership, error) {
	p := &props{m: m}
	ms := &model.Membership{
		MemberID:  from,
		ProcessID: to,
		From:      p.optStr("from"),
		Until:     p.optStr("until"),
		Sources:   p.sources(),
	}
	ms.Role = enum(p, "role", model.MembershipRole(p.str("role")))
	return ms, wrapMapping("MEMBER_OF", m, p.err)
}

func mapFunding(from, to string, m map[string]any) (*model.Funding, error) {
	p := &props{m: m}
	f := &model.Funding{
		DonorID:   from,
		ProjectID: to,
		Amount:    p.money("amount", "currency", "amountAsOf"),
		Sources:   p.sources(),
	}
	return f, wrapMapping("FUNDS", m, p.err)
}

func mapImplementation(from, to string, m map[string]any) (*model.Implementation, error) {
	p := &props{m: m}
	im := &model.Implementation{
		OrganisationID: from,
		ProjectID:      to,
		Lead:           p.boolean("lead"),
		Sources:        p.sources(),
	}
	im.Role = enum(p, "role", model.ImplementationRole(p.str("role")))
	return im, wrapMapping("IMPLEMENTS", m, p.err)
}

func mapTarget(from, to string, m map[string]any) (*model.ProjectTarget, error) {
	p := &props{m: m}
	t := &model.ProjectTarget{
		ProjectID: from,
		CountryID: to,
		Share:     p.optFloat("share"),
		Sources:   p.sources(),
	}
	return t, wrapMapping("TARGETS", m, p.err)
}

// wrapMapping names the kind and id of a record the graph holds in a shape the code does not expect.
func wrapMapping(kind string, m map[string]any, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("stored %s %v does not match the model: %w", kind, m["id"], err)
}
