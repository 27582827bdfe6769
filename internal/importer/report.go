package importer

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Report says what an import did and what it could not resolve.
type Report struct {
	File     string
	Dataset  string
	Source   string // id of the file's Source node
	Checksum string
	// Activities read; Written of them became projects; Skipped were older than the version of
	// the same activity another file of the publisher holds.
	Activities, Written, Skipped int
	// Replaced names the other files of the publisher whose older version of an activity this
	// import replaced, with how many activities.
	Replaced map[string]int
	Write    store.WriteSummary
	// Unresolved organisations became nodes of their own (id), keyed by IATI identifier or name.
	UnresolvedOrganisations map[string]*UnresolvedOrganisation
	UnresolvedCountries     map[string]int
	UnmappedSectors         map[string]int
	Notices                 []string
}

// UnresolvedOrganisation is an organisation no identifier, name or alias of the graph matched.
type UnresolvedOrganisation struct {
	Ref, Name, ID string
	Activities    int
}

func newReport(file, datasetName string) *Report {
	return &Report{File: file, Dataset: datasetName, Replaced: map[string]int{},
		UnresolvedOrganisations: map[string]*UnresolvedOrganisation{}, UnresolvedCountries: map[string]int{},
		UnmappedSectors: map[string]int{}}
}

func (r *Report) notice(file string, line int, path, msg string) {
	r.Notices = append(r.Notices, fmt.Sprintf("%s:%d: %s: %s", file, line, path, msg))
}

func (r *Report) unresolvedOrganisation(ref, name, id string) {
	u := r.UnresolvedOrganisations[id]
	if u == nil && name == "" {
		return
	}
	if u == nil {
		u = &UnresolvedOrganisation{Ref: ref, Name: name, ID: id}
		r.UnresolvedOrganisations[id] = u
	}
	u.Activities++
}

func (r *Report) unresolvedCountry(code string) { r.UnresolvedCountries[code]++ }
func (r *Report) unmappedSector(code string)    { r.UnmappedSectors[code]++ }

// Summary is the report's first lines: what was read and written.
func (r *Report) Summary() string {
	w := r.Write
	s := fmt.Sprintf("%s -> dataset %s (source %s): %d activities, %d written, %d skipped as older; "+
		"nodes %d created, %d updated, %d co-asserted, %d unchanged; relationships %d created, %d updated, %d co-asserted; "+
		"%d claims for values that differ from the graph's; %d items withdrawn; %d organisations unresolved",
		r.File, r.Dataset, r.Source, r.Activities, r.Written, r.Skipped, w.Created, w.Updated, w.CoAsserted, w.Unchanged,
		w.RelsCreated, w.RelsUpdated, w.RelsCoAsserted, w.Claims, w.Retracted, len(r.UnresolvedOrganisations))
	for _, f := range sortedNames(r.Replaced) {
		s += fmt.Sprintf("; replaced %d older activities of %s", r.Replaced[f], f)
	}
	if len(w.Withheld) > 0 {
		s += fmt.Sprintf("; withheld %d items curators deleted: %s", len(w.Withheld), strings.Join(w.Withheld, ", "))
	}
	return s
}

// WriteDetails prints what did not resolve and the notices, for `seed import-... --report`.
func (r *Report) WriteDetails(w io.Writer) {
	fmt.Fprintf(w, "%s\n", r.Summary())
	if len(r.UnresolvedOrganisations) > 0 {
		list := make([]*UnresolvedOrganisation, 0, len(r.UnresolvedOrganisations))
		for _, u := range r.UnresolvedOrganisations {
			list = append(list, u)
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].Activities != list[j].Activities {
				return list[i].Activities > list[j].Activities
			}
			return list[i].ID < list[j].ID
		})
		fmt.Fprintf(w, "\nOrganisations no IATI identifier, name or alias of the graph matched (%d), created as their own nodes;\n"+
			"add a row to seed/data/organisation_aliases.csv to join one to a curated organisation:\n", len(list))
		for _, u := range list {
			ref := u.Ref
			if ref == "" {
				ref = "no identifier"
			}
			fmt.Fprintf(w, "  %-45s %-28s %3d activities  -> %s\n", truncate(u.Name, 45), truncate(ref, 28), u.Activities, u.ID)
		}
	}
	if len(r.UnresolvedCountries) > 0 {
		fmt.Fprintf(w, "\nRecipient countries not in the graph (kept on the project as unresolvedRecipients):\n")
		for _, c := range sortedNames(r.UnresolvedCountries) {
			fmt.Fprintf(w, "  %s: %d activities\n", c, r.UnresolvedCountries[c])
		}
	}
	if len(r.UnmappedSectors) > 0 {
		fmt.Fprintf(w, "\nSectors of other vocabularies than DAC (kept on the project as unmappedSectors):\n")
		for _, c := range sortedNames(r.UnmappedSectors) {
			fmt.Fprintf(w, "  %s: %d activities\n", c, r.UnmappedSectors[c])
		}
	}
	if len(r.Notices) > 0 {
		fmt.Fprintf(w, "\nNotices (%d): the import went on as each says\n", len(r.Notices))
		for _, n := range r.Notices {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// problemText is one problem as its reader printed it.
type problemText string

func (p problemText) String() string { return string(p) }

// InvalidError refuses a file with errors; nothing of it was written.
type InvalidError struct {
	File     string
	Problems []problemText
	Total    int
}

func (e *InvalidError) Error() string {
	return dataset.ListProblems(fmt.Sprintf("%s is invalid (%d problems); nothing was written", e.File, e.Total), e.Problems)
}
