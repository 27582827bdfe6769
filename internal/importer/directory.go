// Package importer turns activities read from publishers' files (IATI activity XML, the EUTF
// for Africa export) into datasets of the graph: references resolved against the graph and a
// reviewed alias table, never guessed, and every fact citing its file and activity.
package importer

import (
	"context"
	"sort"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/iati"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Directory is what references resolve against: the graph's organisations, countries, themes,
// instruments and IATI-identified projects, plus what the running import has added.
type Directory struct {
	kind          map[string]string // id -> kind
	orgByRef      map[string]string // upper-case IATI organisation identifier -> id
	orgByName     map[string]string // NameKey -> id
	instrByName   map[string]string // NameKey -> id
	countryByCode map[string]string // ISO alpha-2 -> id
	countryByName map[string]string // NameKey -> id
	themesByDAC   map[string][]string
	projectByIATI map[string]string // upper-case activity identifier -> id
	owner         map[string]string // id -> dataset whose values the node shows
	// learnedRefs are IATI identifiers this import has seen on an organisation it resolved by
	// name; they resolve participants that give the identifier and no name.
	learnedRefs map[string]string
}

// NewDirectory indexes the entries of the graph. A name two organisations answer to resolves to
// neither (it is reported unresolved instead of guessed).
func NewDirectory(entries []store.DirectoryEntry) *Directory {
	d := &Directory{kind: map[string]string{}, orgByRef: map[string]string{}, orgByName: map[string]string{},
		instrByName: map[string]string{}, countryByCode: map[string]string{}, countryByName: map[string]string{},
		themesByDAC: map[string][]string{}, projectByIATI: map[string]string{}, owner: map[string]string{}, learnedRefs: map[string]string{}}
	// Curated nodes come first and win: a name or identifier an imported node shares with a
	// curated one resolves to the curated one, and only two nodes of the same standing make a name
	// ambiguous. Otherwise the first by id wins, so resolution never depends on the order of rows.
	entries = append([]store.DirectoryEntry{}, entries...)
	sort.SliceStable(entries, func(i, j int) bool {
		ci, cj := entries[i].Dataset == store.DatasetCurated, entries[j].Dataset == store.DatasetCurated
		if ci != cj {
			return ci
		}
		return entries[i].ID < entries[j].ID
	})
	curated := map[string]bool{}
	ambiguousIn := map[string]map[string]bool{} // kind -> ambiguous NameKeys
	addName := func(m map[string]string, name, id string) {
		k := dataset.NameKey(name)
		if k == "" {
			return
		}
		if other, ok := m[k]; ok && other != id {
			if curated[other] == curated[id] {
				kind := d.kind[id]
				if ambiguousIn[kind] == nil {
					ambiguousIn[kind] = map[string]bool{}
				}
				ambiguousIn[kind][k] = true
			}
			return
		}
		m[k] = id
	}
	for _, e := range entries {
		curated[e.ID] = e.Dataset == store.DatasetCurated
		d.kind[e.ID] = e.Kind
		d.owner[e.ID] = e.Dataset
		names := append([]string{e.Name, e.ShortName}, e.Aliases...)
		switch e.Kind {
		case dataset.KindOrganisation:
			if _, taken := d.orgByRef[strings.ToUpper(e.IATIIdentifier)]; e.IATIIdentifier != "" && !taken {
				d.orgByRef[strings.ToUpper(e.IATIIdentifier)] = e.ID
			}
			for _, n := range names {
				addName(d.orgByName, n, e.ID)
			}
		case dataset.KindInstrument:
			for _, n := range names {
				addName(d.instrByName, n, e.ID)
			}
		case dataset.KindCountry:
			d.countryByCode[e.ISO2] = e.ID
			for _, n := range names {
				addName(d.countryByName, n, e.ID)
			}
		case dataset.KindThematicArea:
			for _, c := range e.DACCodes {
				d.themesByDAC[c] = append(d.themesByDAC[c], e.ID)
			}
		case dataset.KindProject:
			if _, taken := d.projectByIATI[strings.ToUpper(e.IATIIdentifier)]; e.IATIIdentifier != "" && !taken {
				d.projectByIATI[strings.ToUpper(e.IATIIdentifier)] = e.ID
			}
		}
	}
	for k := range ambiguousIn[dataset.KindOrganisation] {
		delete(d.orgByName, k)
	}
	for k := range ambiguousIn[dataset.KindInstrument] {
		delete(d.instrByName, k)
	}
	for k := range ambiguousIn[dataset.KindCountry] {
		delete(d.countryByName, k)
	}
	for c, ids := range d.themesByDAC {
		sort.Strings(ids)
		d.themesByDAC[c] = ids
	}
	return d
}

// loadDirectory reads what an import resolves against: the code lists and the graph's directory.
func loadDirectory(ctx context.Context, st *store.Store) (*iati.Codes, *Directory, error) {
	codes, err := iati.LoadCodes()
	if err != nil {
		return nil, nil, err
	}
	entries, err := st.ImportDirectory(ctx)
	if err != nil {
		return nil, nil, err
	}
	return codes, NewDirectory(entries), nil
}

// clone copies the directory, so that an attempt of an import that Neo4j asks to retry starts
// from the graph's directory again, not from what the failed attempt added.
func (d *Directory) clone() *Directory {
	c := &Directory{themesByDAC: d.themesByDAC, projectByIATI: d.projectByIATI}
	for _, pair := range []struct {
		to   *map[string]string
		from map[string]string
	}{
		{&c.kind, d.kind}, {&c.orgByRef, d.orgByRef}, {&c.orgByName, d.orgByName}, {&c.instrByName, d.instrByName},
		{&c.countryByCode, d.countryByCode}, {&c.countryByName, d.countryByName}, {&c.owner, d.owner}, {&c.learnedRefs, d.learnedRefs},
	} {
		m := make(map[string]string, len(pair.from))
		for k, v := range pair.from {
			m[k] = v
		}
		*pair.to = m
	}
	return c
}

// Has says whether the graph (or the running import) has a node of that id.
func (d *Directory) Has(id string) bool { _, ok := d.kind[id]; return ok }

// Organisation resolves an organisation by its IATI identifier, then by any of its names.
func (d *Directory) Organisation(ref string, names []string) (id, by string) {
	if ref != "" {
		if id, ok := d.orgByRef[strings.ToUpper(ref)]; ok {
			return id, "IATI identifier"
		}
	}
	for _, n := range names {
		if id, ok := d.orgByName[dataset.NameKey(n)]; ok {
			if ref != "" {
				if _, seen := d.learnedRefs[strings.ToUpper(ref)]; !seen {
					d.learnedRefs[strings.ToUpper(ref)] = id
				}
			}
			return id, "name"
		}
	}
	if ref != "" && len(names) == 0 {
		if id, ok := d.learnedRefs[strings.ToUpper(ref)]; ok {
			return id, "IATI identifier given with a name earlier in the file"
		}
	}
	return "", ""
}

// OwnedBy says which dataset's values a node shows.
func (d *Directory) OwnedBy(id string) string { return d.owner[id] }

// Instrument resolves a funding instrument by name (a fund named as a funding organisation).
func (d *Directory) Instrument(names []string) string {
	for _, n := range names {
		if id, ok := d.instrByName[dataset.NameKey(n)]; ok {
			return id
		}
	}
	return ""
}

// Country resolves an ISO alpha-2 code.
func (d *Directory) Country(code string) string {
	return d.countryByCode[strings.ToUpper(strings.TrimSpace(code))]
}

// CountryByName resolves a country by name or alias.
func (d *Directory) CountryByName(name string) string { return d.countryByName[dataset.NameKey(name)] }

// ThemesOfDAC returns the themes that list a DAC purpose code.
func (d *Directory) ThemesOfDAC(code string) []string { return d.themesByDAC[code] }

// Project returns the project that already carries an IATI activity identifier.
func (d *Directory) Project(identifier string) string {
	return d.projectByIATI[strings.ToUpper(identifier)]
}

// addOrganisation records an organisation the import creates, so that later activities find it.
func (d *Directory) addOrganisation(id, datasetName, ref string, names []string) {
	d.kind[id] = dataset.KindOrganisation
	d.owner[id] = datasetName
	if ref != "" {
		if _, ok := d.orgByRef[strings.ToUpper(ref)]; !ok {
			d.orgByRef[strings.ToUpper(ref)] = id
		}
	}
	for _, n := range names {
		if k := dataset.NameKey(n); k != "" {
			if _, ok := d.orgByName[k]; !ok {
				d.orgByName[k] = id
			}
		}
	}
}
