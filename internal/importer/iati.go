package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/iati"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Options tune an IATI import.
type Options struct {
	// StrictCodes refuses files with codes that are not on the shipped code lists.
	StrictCodes bool
	// ChunkActivities is how many activities are written per chunk (default 500); all chunks of
	// a file go in one transaction.
	ChunkActivities int
	// Batched commits every chunk in its own transaction, for files larger than one Neo4j
	// transaction may hold; the import is then not atomic (see store.UpsertDatasetInBatches).
	Batched bool
	// Now is the import time recorded on a file's Source the first time it is imported.
	Now func() time.Time
}

func (o Options) chunk() int {
	if o.ChunkActivities <= 0 {
		return 500
	}
	return o.ChunkActivities
}

func (o Options) now() string {
	if o.Now == nil {
		return time.Now().UTC().Format(time.RFC3339)
	}
	return o.Now().UTC().Format(time.RFC3339)
}

// DatasetOfFile is the dataset an IATI file becomes: one per publisher and file name, so that a
// new copy of the same file replaces the old one and other files stay.
func DatasetOfFile(publisher, path string) string {
	p := "unknown-publisher"
	if strings.TrimSpace(publisher) != "" {
		p = idTail(publisher)
	}
	return store.ImportedPrefix + "iati/" + p + "/" + fileTail(filepath.Base(path))
}

var notFileName = regexp.MustCompile(`[^a-z0-9._-]+`)

// fileTail is a file name as the tail of a dataset name: lower case, with a short hash when
// that changes more than case.
func fileTail(name string) string {
	t := strings.Trim(notFileName.ReplaceAllString(strings.ToLower(name), "-"), "-.")
	if t != "" && t == strings.ToLower(name) {
		return t
	}
	sum := sha256.Sum256([]byte(name))
	return strings.Trim(t+"-"+hex.EncodeToString(sum[:4]), "-")
}

// fileChecksum is the SHA-256 of a file.
func fileChecksum(paths ...string) (string, error) {
	h := sha256.New()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fileOutline is what a first pass over a file learns: identifiers, versions, parents, publisher.
type fileOutline struct {
	publisher  string
	activities int
	// versions of the file's activities by identifier (hashed: a file may hold tens of
	// thousands); parents are the activities whose children are in the file.
	versions map[uint64]string
	parents  idSet
	// named are the organisations given with both an IATI identifier and names, once each.
	named map[string][]string
}

func outline(path string, opts iati.Options, fileVersion string) (*fileOutline, error) {
	o := &fileOutline{versions: map[uint64]string{}, parents: idSet{}, named: map[string][]string{}}
	type link struct{ parent, child uint64 }
	var links []link
	err := iati.Each(path, opts, func(a *iati.Activity) error {
		id := idHash(a.Identifier)
		o.activities++
		if a.Identifier != "" {
			o.versions[id] = versionOf(a, fileVersion)
		}
		if o.publisher == "" {
			o.publisher = a.ReportingOrg.Ref
			if o.publisher == "" && len(a.ReportingOrg.Names) > 0 {
				o.publisher = a.ReportingOrg.Names[0].Text
			}
		}
		for _, p := range a.Participants {
			if _, seen := o.named[p.Ref]; p.Ref != "" && len(p.Names) > 0 && !seen {
				o.named[p.Ref] = narrativeTexts(p.Names)
			}
		}
		for _, r := range a.Related {
			switch r.Type {
			case "1":
				links = append(links, link{parent: idHash(r.Ref), child: id})
			case "2":
				links = append(links, link{parent: id, child: idHash(r.Ref)})
			}
		}
		return nil
	})
	// A parent's money is counted on its children only when they are in the file.
	for _, l := range links {
		if _, parentIn := o.versions[l.parent]; parentIn {
			if _, childIn := o.versions[l.child]; childIn {
				o.parents[l.parent] = struct{}{}
			}
		}
	}
	return o, err
}

// ImportIATIFile imports one IATI activity file as its own dataset. The file is checked whole
// first; with any error nothing is written and the error is an *InvalidError listing every
// problem. Activities of which another file of the same publisher holds a newer version
// (last-updated-datetime) are skipped; older versions in other files are replaced.
func ImportIATIFile(ctx context.Context, st *store.Store, path string, opts Options) (*Report, error) {
	ropts := iati.Options{StrictCodes: opts.StrictCodes}
	check, err := iati.Check(path, ropts)
	if err != nil {
		return nil, err
	}
	if !check.OK() {
		e := &InvalidError{File: path, Total: check.ErrorCount}
		for _, p := range check.Errors {
			e.Problems = append(e.Problems, problemText(p.String()))
		}
		return nil, e
	}
	sum, err := fileChecksum(path)
	if err != nil {
		return nil, err
	}
	o, err := outline(path, ropts, check.GeneratedDatetime)
	if err != nil {
		return nil, err
	}
	codes, dir, err := loadDirectory(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	// What the file says an identifier is called resolves its nameless mentions, in any activity.
	for _, ref := range sortedNames(o.named) {
		dir.Organisation(ref, o.named[ref])
	}
	name := DatasetOfFile(o.publisher, path)
	rep := newReport(path, name)
	for _, p := range check.Notices {
		rep.Notices = append(rep.Notices, p.String())
	}
	rep.Activities, rep.Checksum = o.activities, sum
	src := fileSource{id: "source:import-" + sum[:16], file: filepath.Base(path), publisher: o.publisher,
		checksum: sum, importedAt: opts.now(),
		title: fmt.Sprintf("IATI activity file %s (%s)", filepath.Base(path), o.publisher)}
	rep.Source = src.id

	projects := &fileProjects{dir: dir, dataset: name, inFile: o.versions}
	skip, retract, err := versionPlan(ctx, st, name, path, ropts, o, projects, rep)
	if err != nil {
		return nil, err
	}
	rules := Rules{SectorName: sectorNamer(codes)}
	var last *Report // the mapping report of the last attempt (Neo4j may ask to retry)
	source := func(yield func(store.Chunk) error) error {
		m := &mapper{dir: dir.clone(), datasetName: name, rules: rules, source: src, report: newReport(path, name), projects: projects,
			parents: o.parents, newOrgs: map[string]*dataset.Node{}, seenRelated: idSet{}}
		chunk := store.Chunk{Data: &dataset.Dataset{Nodes: []dataset.Node{src.node()}}}
		position, written := 0, 0
		err := iati.Each(path, ropts, func(a *iati.Activity) error {
			position++
			id := idHash(a.Identifier)
			if _, skipped := skip[id]; skipped {
				return nil
			}
			written++
			if r, ok := retract[id]; ok {
				chunk.Retract = append(chunk.Retract, r...)
			}
			if a.LastUpdated == "" {
				a.LastUpdated = check.GeneratedDatetime
			}
			nodes, rels := m.activity(a, position)
			chunk.Data.Nodes = append(chunk.Data.Nodes, nodes...)
			chunk.Data.Rels = append(chunk.Data.Rels, rels...)
			if written%opts.chunk() == 0 {
				if err := yield(chunk); err != nil {
					return err
				}
				chunk = store.Chunk{Data: &dataset.Dataset{Nodes: []dataset.Node{src.node()}}}
			}
			return nil
		})
		if err != nil {
			return err
		}
		chunk.Data.Rels = append(chunk.Data.Rels, m.pendingRelated...)
		chunk.Data.Nodes = append(chunk.Data.Nodes, m.pendingRefs...)
		if err := yield(chunk); err != nil {
			return err
		}
		last = m.report
		rep.Written = written
		return nil
	}
	loadCtx := store.WithLoadAuthor(ctx, "import iati")
	if opts.Batched {
		rep.Write, err = st.UpsertDatasetInBatches(loadCtx, name, source)
	} else {
		rep.Write, err = st.UpsertDatasetChunks(loadCtx, name, source)
	}
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	last.mergeInto(rep)
	return rep, nil
}

// versionPlan compares each activity with the versions other files of the same publisher hold:
// an older one there is retracted, a newer or equal one there makes this file's copy skipped. It
// reads the file again and asks Neo4j in batches, holding one batch of identifiers at a time.
func versionPlan(ctx context.Context, st *store.Store, name, path string, ropts iati.Options, o *fileOutline, projects *fileProjects,
	rep *Report) (skip idSet, retract map[uint64][]store.Retraction, err error) {
	skip, retract = idSet{}, map[uint64][]store.Retraction{}
	publisherPrefix := name[:strings.LastIndex(name, "/")+1]
	type pending struct {
		act string
		id  uint64
	}
	batch := map[string]pending{} // project id -> activity
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		ids := make([]string, 0, len(batch))
		for pid := range batch {
			ids = append(ids, pid)
		}
		sort.Strings(ids)
		versions, err := st.VersionsOf(ctx, ids)
		if err != nil {
			return err
		}
		for _, pid := range ids {
			held, act := versions[pid], batch[pid]
			mine := o.versions[act.id]
			for _, ds := range sortedNames(held) {
				theirs := held[ds]
				if ds == name || !strings.HasPrefix(ds, publisherPrefix) {
					continue
				}
				if _, skipped := skip[act.id]; skipped {
					continue
				}
				if !newerVersion(mine, theirs) {
					skip[act.id] = struct{}{}
					delete(retract, act.id)
					rep.Skipped++
					rep.Notices = append(rep.Notices, fmt.Sprintf("%s: activity %s: %s holds the same or a newer version (%q; this file %q): this file's copy is skipped", rep.File, act.act, ds, theirs, mine))
					continue
				}
				retract[act.id] = append(retract[act.id], store.Retraction{Dataset: ds, Node: pid})
				rep.Replaced[ds]++
			}
		}
		clear(batch)
		return nil
	}
	err = iati.Each(path, ropts, func(a *iati.Activity) error {
		if a.Identifier == "" {
			return nil
		}
		batch[projects.of(a.Identifier)] = pending{act: strings.ToUpper(a.Identifier), id: idHash(a.Identifier)}
		if len(batch) == 5000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, nil, err
	}
	return skip, retract, nil
}

// versionOf is an activity's version: its last-updated-datetime, else the file's generated-datetime.
func versionOf(a *iati.Activity, fileVersion string) string {
	if a.LastUpdated != "" {
		return a.LastUpdated
	}
	return fileVersion
}

// newerVersion says whether version a is strictly newer than b; a missing version is the oldest.
// Date-times are compared as instants (time zones apart), other text as text.
func newerVersion(a, b string) bool {
	ta, errA := parseVersion(a)
	tb, errB := parseVersion(b)
	switch {
	case a == "":
		return false
	case b == "":
		return true
	case errA == nil && errB == nil:
		return ta.After(tb)
	}
	return a > b
}

// parseVersion reads an xsd:dateTime or xsd:date; one without a time zone is taken as UTC.
func parseVersion(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is no date-time", s)
}

func sectorNamer(codes *iati.Codes) func(vocabulary, code string) string {
	return func(vocabulary, code string) string {
		list := "Sector"
		if vocabulary == "2" {
			list = "SectorCategory"
		}
		if n := codes.Name(list, code); n != "" {
			return n
		}
		return ""
	}
}

// mergeInto adds what a mapping pass found to the report.
func (r *Report) mergeInto(into *Report) {
	into.Notices = append(into.Notices, r.Notices...)
	for k, v := range r.UnresolvedOrganisations {
		into.UnresolvedOrganisations[k] = v
	}
	for k, v := range r.UnresolvedCountries {
		into.UnresolvedCountries[k] += v
	}
	for k, v := range r.UnmappedSectors {
		into.UnmappedSectors[k] += v
	}
}
