package eutf

import (
	"slices"
	"strconv"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/iati"
)

// organisation is one row of the organisations file.
type organisation struct {
	name string // as written, with surrounding spaces removed
	typ  string // IATI OrganisationType code
	line int
	// stated counts the activities naming it in each participant column, as the file states;
	// counted is what the projects file gives once its lists are split.
	stated, counted map[string]int
}

// participantColumns maps the participant columns of the projects file to IATI roles.
var participantColumns = []struct{ column, role, countColumn string }{
	{"partner_funding", "1", "funding"},
	{"partner_accountable", "2", "accountable"},
	{"partner_extending", "3", "extending"},
	{"partner_implementing", "4", "implementing"},
}

// organisationTypes are the codes of the IATI OrganisationType list.
var organisationTypes = []string{"10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90"}

// normaliseName makes names comparable: runs of white space (tabs, double spaces) become one
// space, and spaces at either end go.
func normaliseName(s string) string { return strings.Join(strings.Fields(s), " ") }

func (r *reader) readOrganisations() error {
	r.organisations = map[string]*organisation{}
	return r.readCSV(OrganisationsFile, organisationsHeader, func(rec csvRecord) {
		name := normaliseName(rec.fields["name"])
		if name == "" {
			r.problem(OrganisationsFile, rec.line, "name", "no name")
			return
		}
		if earlier, ok := r.organisations[name]; ok {
			r.problem(OrganisationsFile, rec.line, "name", "%q is already on line %d", name, earlier.line)
			return
		}
		org := &organisation{name: name, line: rec.line, stated: map[string]int{}, counted: map[string]int{}}
		org.typ = strings.TrimSpace(rec.fields["type"])
		if !slices.Contains(organisationTypes, org.typ) {
			r.problem(OrganisationsFile, rec.line, "type", "%q is not an IATI OrganisationType code", rec.fields["type"])
		}
		for _, pc := range participantColumns {
			n, err := strconv.Atoi(strings.TrimSpace(rec.fields[pc.countColumn]))
			if err != nil || n < 0 {
				r.problem(OrganisationsFile, rec.line, pc.countColumn, "%q is not a count", rec.fields[pc.countColumn])
				continue
			}
			org.stated[pc.countColumn] = n
		}
		r.organisations[name] = org
	})
}

// splitNames splits a participant list into organisation names. The compilers joined the names
// with ", ", and some names contain a comma themselves ("DAI Global, LLC (DAI)"), so the list
// is cut at the commas such that as many parts as possible are names of the organisations file,
// in as few parts as possible. Parts that are no known name are returned in unknown.
func (r *reader) splitNames(list string) (names []string, unknown []string) {
	var pieces []string
	for p := range strings.SplitSeq(list, ",") {
		pieces = append(pieces, p)
	}
	// best[i] is the best cut of pieces[i:]: fewest unknown parts, then fewest parts.
	type cut struct {
		unknown, parts int
		next           int  // index of the piece after this part
		known          bool // this part is a known name
	}
	best := make([]cut, len(pieces)+1)
	for i := len(pieces) - 1; i >= 0; i-- {
		if normaliseName(pieces[i]) == "" { // an empty item, such as after a trailing comma
			best[i] = cut{unknown: best[i+1].unknown, parts: best[i+1].parts, next: i + 1}
			continue
		}
		best[i] = cut{unknown: best[i+1].unknown + 1, parts: best[i+1].parts + 1, next: i + 1}
		for j := i + 1; j <= len(pieces); j++ {
			if _, ok := r.organisations[normaliseName(strings.Join(pieces[i:j], ","))]; !ok {
				continue
			}
			c := cut{unknown: best[j].unknown, parts: best[j].parts + 1, next: j, known: true}
			if c.unknown < best[i].unknown || c.unknown == best[i].unknown && c.parts < best[i].parts {
				best[i] = c
			}
		}
	}
	for i := 0; i < len(pieces); i = best[i].next {
		part := normaliseName(strings.Join(pieces[i:best[i].next], ","))
		switch {
		case part == "":
		case best[i].known:
			names = append(names, part)
		default:
			unknown = append(unknown, part)
		}
	}
	return names, unknown
}

// participants reads the four participant columns of a row.
func (r *reader) participants(row *projectRow) []iati.Participant {
	var out []iati.Participant
	for _, pc := range participantColumns {
		list := row.fields[pc.column]
		if strings.TrimSpace(list) == "" {
			continue
		}
		names, unknown := r.splitNames(list)
		for _, u := range unknown {
			r.notice(ProjectsFile, row.line, pc.column, "%q is not a name of %s; kept as written, without a type", u, OrganisationsFile)
		}
		seen := map[string]bool{}
		for _, name := range slices.Concat(names, unknown) {
			org, known := r.organisations[name]
			if known {
				org.counted[pc.countColumn]++ // the file counts every naming, repeats too
			}
			if seen[name] {
				r.notice(ProjectsFile, row.line, pc.column, "%q is named twice; kept once", name)
				continue
			}
			seen[name] = true
			p := iati.Participant{Role: pc.role, Line: row.line}
			p.Names = []iati.Narrative{{Text: name}}
			if known {
				p.Type = org.typ
			}
			out = append(out, p)
		}
	}
	return out
}

// checkOrganisationCounts compares the organisations file's counts with the split lists: a
// difference means a list was cut differently from what the compilers saw.
func (r *reader) checkOrganisationCounts() {
	orgs := make([]*organisation, 0, len(r.organisations))
	for _, org := range r.organisations {
		orgs = append(orgs, org)
	}
	slices.SortFunc(orgs, func(a, b *organisation) int { return a.line - b.line })
	for _, org := range orgs {
		for _, pc := range participantColumns {
			stated, ok := org.stated[pc.countColumn]
			if ok && stated != org.counted[pc.countColumn] {
				r.notice(OrganisationsFile, org.line, pc.countColumn, "%q: the file states %d, the projects file names it in %s of %d rows",
					org.name, stated, pc.column, org.counted[pc.countColumn])
			}
		}
	}
}
