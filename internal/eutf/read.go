package eutf

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/iati"
)

// The four files of the export, as the compilers named them.
const (
	ProjectsFile      = "EUTF_projects_akvo.csv"
	OrganisationsFile = "EUTF_akvo_orgs.csv"
	RecipientsFile    = "EUTF_akvo_recipients.csv"
	ConsolidatedFile  = "EUTF-Projects-Database-2022-01.csv"
)

// The header each file must start with, column for column.
var (
	projectsHeader = []string{"iati_id", "prefix", "title", "summary", "partner_funding", "partner_accountable",
		"partner_extending", "partner_implementing", "date_start", "date_end", "budget", "recipient_country",
		"location", "location_code", "topics", "oecd_purpose", "links", "project_parent", "project_child", "project_sibling"}
	organisationsHeader = []string{"name", "type", "funding", "accountable", "extending", "implementing"}
	recipientsHeader    = []string{"", "iati_id", "budget", "recipient_country", "recipient_percentage"}
	consolidatedHeader  = []string{"ProjectID", "ProjectTitle", "ProjectBudget", "ProjectLocation", "ProjectImplementor",
		"ProjectTheme", "ProjectAdoptionDate", "ProjectStartDate", "ProjectEndDate", "ProjectLinks", "Comments",
		"multiple countries?", "DE implementing?", "Region"}
)

// fileOrder is the order problems and notices are listed in: the projects first, then the files
// they draw on.
var fileOrder = []string{ProjectsFile, RecipientsFile, OrganisationsFile, ConsolidatedFile}

// Result is what Read makes of the export.
type Result struct {
	// Activities are the rows of the projects file, one per identifier, in file order.
	Activities []iati.Activity
	// Problems are values the import cannot take (a number or date that does not parse, a
	// missing identifier, a wrong header): with any, the export must not be imported.
	Problems []dataset.Problem
	// Notices are gaps and inconsistencies the import goes on with; each says what was made of them.
	Notices []dataset.Problem
}

// InvalidError is returned, with the Result, when the export has problems.
type InvalidError struct {
	Problems []dataset.Problem
}

func (e *InvalidError) Error() string {
	return dataset.ListProblems(fmt.Sprintf("EUTF export cannot be imported (%d problems)", len(e.Problems)), e.Problems)
}

// Read reads the four files of the export in dir. Every problem of every file is collected
// before it returns; with any problem the error is an *InvalidError and the Result (with its
// notices) is returned too. Other errors are failures to read a file.
func Read(dir string) (*Result, error) {
	r := &reader{dir: dir}
	if err := r.readOrganisations(); err != nil {
		return nil, err
	}
	if err := r.readRecipients(); err != nil {
		return nil, err
	}
	if err := r.readProjects(); err != nil {
		return nil, err
	}
	r.attachRecipients()
	r.checkRelated()
	r.checkOrganisationCounts()
	r.collectActivities()
	if err := r.readConsolidated(); err != nil {
		return nil, err
	}
	r.sortFindings()
	if len(r.res.Problems) > 0 {
		return &r.res, &InvalidError{Problems: r.res.Problems}
	}
	return &r.res, nil
}

type reader struct {
	dir string
	res Result

	organisations map[string]*organisation // by normalised name
	recipients    map[string]*recipientGroup
	recipientIDs  []string // recipient identifiers in file order
	rows          []*projectRow
	kept          map[string]*projectRow // by identifier
}

func (r *reader) path(file string) string { return filepath.Join(r.dir, file) }

func (r *reader) problem(file string, line int, field, format string, args ...any) {
	r.res.Problems = append(r.res.Problems, dataset.Problem{File: r.path(file), Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (r *reader) notice(file string, line int, field, format string, args ...any) {
	r.res.Notices = append(r.res.Notices, dataset.Problem{File: r.path(file), Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// sortFindings lists problems and notices file by file (fileOrder), line by line.
func (r *reader) sortFindings() {
	rank := map[string]int{}
	for i, f := range fileOrder {
		rank[r.path(f)] = i
	}
	byPlace := func(a, b dataset.Problem) int {
		return cmp.Or(cmp.Compare(rank[a.File], rank[b.File]), cmp.Compare(a.Line, b.Line))
	}
	slices.SortStableFunc(r.res.Problems, byPlace)
	slices.SortStableFunc(r.res.Notices, byPlace)
}

// csvRecord is one data row of a file: its fields by column name and the line it starts on.
type csvRecord struct {
	line   int
	fields map[string]string
}

// readCSV reads file, checks its header and hands each well-formed row to each. A missing file,
// a wrong header or a row that breaks the CSV syntax are problems; only I/O failures are returned.
func (r *reader) readCSV(file string, header []string, each func(csvRecord)) error {
	f, err := os.Open(r.path(file))
	if errors.Is(err, os.ErrNotExist) {
		r.problem(file, 0, "", "file is missing")
		return nil
	}
	if err != nil {
		return fmt.Errorf("eutf: %w", err)
	}
	defer f.Close()

	cr := csv.NewReader(f)
	got, err := cr.Read()
	if err == io.EOF {
		r.problem(file, 1, "", "file is empty; want the header %s", strings.Join(header, ","))
		return nil
	}
	if err != nil {
		return r.csvError(file, err)
	}
	if !slices.Equal(got, header) {
		r.problem(file, 1, "", "header is %q; want %q", strings.Join(got, ","), strings.Join(header, ","))
		return nil
	}
	for {
		record, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if errors.Is(err, csv.ErrFieldCount) {
			r.problem(file, line, "", "row has %d fields; the header has %d", len(record), len(header))
			continue
		}
		if err != nil {
			return r.csvError(file, err)
		}
		fields := make(map[string]string, len(header))
		for i, name := range header {
			fields[name] = record[i]
		}
		each(csvRecord{line: line, fields: fields})
	}
}

// csvError turns a CSV syntax error into a problem (the rest of the file cannot be trusted and
// is not read); other read errors are returned.
func (r *reader) csvError(file string, err error) error {
	var parseErr *csv.ParseError
	if errors.As(err, &parseErr) {
		r.problem(file, parseErr.Line, "", "CSV syntax: %v; the rest of the file is not read", parseErr.Err)
		return nil
	}
	return fmt.Errorf("eutf: reading %s: %w", r.path(file), err)
}
