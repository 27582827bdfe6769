package importer

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/eutf"
	"github.com/partnership-graph/partnership-graph/internal/iati"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// DatasetEUTF is the dataset of the EUTF for Africa export.
const DatasetEUTF = store.ImportedPrefix + "eutf-akvo"

// The Fund's rules. Its money comes to projects through its windows (the identifier's second
// part names the window) and is managed by the European Commission, its trustee: that is what
// the FUNDS relationships of the Fund's amounts say, marked WEAK since the export does not state it.
const (
	eutfManager  = "org:ec"
	eutfStatusAt = "2022-01-01" // the export's date: activities that ended before are CLOSED
)

var eutfWindows = map[string]string{"SAH": "instrument:eutf-sahel-lake-chad", "HOA": "instrument:eutf-horn",
	"NOA": "instrument:eutf-north-africa"}

var eutfWindowOf = regexp.MustCompile(`^T05-EUTF-([A-Z]+)-`)

// ImportEUTF imports the EUTF for Africa export (the folder of seed/eutf) as dataset
// import:eutf-akvo. With any problem in the files nothing is written.
func ImportEUTF(ctx context.Context, st *store.Store, dir string, opts Options) (*Report, error) {
	res, err := eutf.Read(dir)
	if err != nil {
		if res != nil && len(res.Problems) > 0 {
			e := &InvalidError{File: dir, Total: len(res.Problems)}
			for _, p := range res.Problems {
				e.Problems = append(e.Problems, problemText(p.String()))
			}
			return nil, e
		}
		return nil, err
	}
	files := []string{eutf.ProjectsFile, eutf.RecipientsFile, eutf.OrganisationsFile, eutf.ConsolidatedFile}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = filepath.Join(dir, f)
	}
	sum, err := fileChecksum(paths...)
	if err != nil {
		return nil, err
	}
	codes, d, err := loadDirectory(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	// The Fund's rules name curated nodes: the Fund, its windows and its trustee.
	for _, id := range append([]string{"instrument:eutf-africa", eutfManager}, sortedNames(invert(eutfWindows))...) {
		if !d.Has(id) {
			return nil, fmt.Errorf("import %s: the graph lacks %s, which the Fund's activities are linked to; load the curated seed first (go run ./seed load)", dir, id)
		}
	}
	rep := newReport(dir, DatasetEUTF)
	for _, n := range res.Notices {
		rep.Notices = append(rep.Notices, n.String())
	}
	src := fileSource{id: "source:import-" + sum[:16], file: filepath.Join("seed", "eutf", eutf.ProjectsFile),
		publisher: "EU Trust Fund for Africa (Akvo RSR), compiled by Deutsche Welle", checksum: sum,
		importedAt: opts.now(), title: "EUTF for Africa activities from the Fund's Akvo RSR platform (export of December 2021)"}
	rep.Source, rep.Checksum, rep.Activities = src.id, sum, len(res.Activities)

	// Money counts once: on contracts, and on decisions with no contract under them.
	hasContract := map[string]bool{}
	level := map[string]int{}
	for i := range res.Activities {
		level[strings.ToUpper(res.Activities[i].Identifier)] = res.Activities[i].Hierarchy
	}
	for i := range res.Activities {
		a := &res.Activities[i]
		for _, r := range a.Related {
			ref := strings.ToUpper(r.Ref)
			switch {
			case r.Type == "1" && a.Hierarchy == 2 && level[ref] == 1:
				hasContract[ref] = true
			case r.Type == "2" && a.Hierarchy == 1 && level[ref] == 2:
				hasContract[strings.ToUpper(a.Identifier)] = true
			}
		}
	}
	rules := Rules{
		SectorName: sectorNamer(codes),
		TagTheme: func(t iati.Tag) (string, string) {
			if name, ok := eutf.PriorityAreas[t.Code]; ok {
				return "theme:eutf-" + slug(strings.ReplaceAll(t.Code, ".", "-")), "EUTF priority area: " + name
			}
			return "", ""
		},
		Window: func(a *iati.Activity, instrument string) string {
			if instrument != "instrument:eutf-africa" {
				return instrument
			}
			if m := eutfWindowOf.FindStringSubmatch(strings.ToUpper(a.Identifier)); m != nil && eutfWindows[m[1]] != "" {
				return eutfWindows[m[1]]
			}
			return instrument
		},
		FundManager:       eutfManager,
		FundingFromBudget: true,
		DeriveStatusAsOf:  eutfStatusAt,
		Counted: func(a *iati.Activity) bool {
			return a.Hierarchy == 2 || (a.Hierarchy == 1 && !hasContract[strings.ToUpper(a.Identifier)])
		},
	}
	projects := &fileProjects{dir: d, dataset: DatasetEUTF, inFile: map[uint64]string{}}
	for _, a := range res.Activities {
		projects.inFile[idHash(a.Identifier)] = ""
	}
	var last *Report // the mapping report of the last attempt (Neo4j may ask to retry)
	source := func(yield func(store.Chunk) error) error {
		m := &mapper{dir: d.clone(), datasetName: DatasetEUTF, rules: rules, source: src, report: newReport(dir, DatasetEUTF), projects: projects,
			parents: idSet{}, newOrgs: map[string]*dataset.Node{}, seenRelated: idSet{}}
		data := &dataset.Dataset{Nodes: []dataset.Node{src.node()}}
		for i := range res.Activities {
			nodes, rels := m.activity(&res.Activities[i], i+1)
			data.Nodes = append(data.Nodes, nodes...)
			data.Rels = append(data.Rels, rels...)
		}
		data.Rels = append(data.Rels, m.pendingRelated...)
		data.Nodes = append(data.Nodes, m.pendingRefs...)
		if err := yield(store.Chunk{Data: data}); err != nil {
			return err
		}
		last = m.report
		rep.Written = len(res.Activities)
		return nil
	}
	rep.Write, err = st.UpsertDatasetChunks(store.WithLoadAuthor(ctx, "import eutf"), DatasetEUTF, source)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", dir, err)
	}
	last.mergeInto(rep)
	return rep, nil
}

// invert turns a map's values into keys.
func invert(m map[string]string) map[string]bool {
	out := make(map[string]bool, len(m))
	for _, v := range m {
		out[v] = true
	}
	return out
}
