package eutf

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/iati"
)

// FundName names the reporting organisation of every activity: the Fund publishes the export.
const FundName = "EU Trust Fund for Africa"

// Currency is the currency of every amount of the export.
const Currency = "EUR"

// The activity-date types the two date columns become. The compilers took date_start from the
// Akvo activities' actual start (IATI type 2) and date_end from their planned end (type 3); the
// data agrees: every start is before the export of December 2021, ends run to 2024.
const (
	startDateType = "2"
	endDateType   = "3"
)

// Hierarchy levels: a decision (DEC) is the programme, a contract (CTR) one part of it.
const (
	decisionLevel = 1
	contractLevel = 2
)

// PriorityAreas are the Fund's four priority areas, the tags its activities carry.
var PriorityAreas = map[string]string{
	"TFP.1": "Greater economic and employment opportunities",
	"TFP.2": "Strengthening resilience",
	"TFP.3": "Improved migration management",
	"TFP.4": "Improved governance and conflict prevention",
}

// ownVocabulary is the IATI TagVocabulary code for a reporting organisation's own codes.
const ownVocabulary = "99"

var (
	// fundIdentifier is the form of the Fund's activity identifiers: window, country (or REG),
	// decision number, and for a contract its number under the decision.
	fundIdentifier = regexp.MustCompile(`^T05-EUTF-(SAH|HOA|NOA|REG)-[A-Z]{2,4}-[0-9]+(-[0-9]+)?$`)
	// prioritySpelling is a priority area written with a space or nothing for the dot ("TFP 1").
	prioritySpelling = regexp.MustCompile(`^TFP ?([1-4])$`)
	purposeCode      = regexp.MustCompile(`^[0-9]{5}$`)
	countryCode      = regexp.MustCompile(`^[A-Z]{2}$`)
	listSeparator    = regexp.MustCompile(`[,;]`)
)

// relatedColumns maps the related-activity columns to IATI RelatedActivityType codes.
var relatedColumns = []struct{ column, typ string }{
	{"project_parent", "1"},
	{"project_child", "2"},
	{"project_sibling", "3"},
}

// projectRow is one row of the projects file and the activity made of it.
type projectRow struct {
	line     int
	fields   map[string]string
	filled   int // columns with a value
	activity iati.Activity
	// countryColumn holds the codes of the row's recipient_country column.
	countryColumn []string
}

func (r *reader) readProjects() error {
	r.kept = map[string]*projectRow{}
	err := r.readCSV(ProjectsFile, projectsHeader, func(rec csvRecord) {
		row := &projectRow{line: rec.line, fields: rec.fields}
		for _, v := range rec.fields {
			if strings.TrimSpace(v) != "" {
				row.filled++
			}
		}
		r.rows = append(r.rows, row)
		r.readActivity(row)
	})
	if err != nil {
		return err
	}
	r.keepOnePerIdentifier()
	return nil
}

// keepOnePerIdentifier keeps, of the rows sharing an identifier, the one with the most columns
// filled (the first on a tie); the others are left out, with a notice.
func (r *reader) keepOnePerIdentifier() {
	for _, row := range r.rows {
		id := row.activity.Identifier
		if id == "" {
			continue
		}
		if kept, ok := r.kept[id]; !ok || row.filled > kept.filled {
			r.kept[id] = row
		}
	}
	for _, row := range r.rows {
		id := row.activity.Identifier
		if kept := r.kept[id]; id != "" && kept != row {
			r.notice(ProjectsFile, row.line, "iati_id", "identifier %s is also on line %d, which has more columns filled or comes first; this row is left out",
				id, kept.line)
		}
	}
}

// collectActivities hands out the kept activities in file order.
func (r *reader) collectActivities() {
	for _, row := range r.rows {
		if id := row.activity.Identifier; id != "" && r.kept[id] == row {
			r.res.Activities = append(r.res.Activities, row.activity)
		}
	}
}

// canonicalIdentifier trims an identifier and writes it in upper case, the canonical spelling
// (the export writes some in mixed case); a case difference is a notice.
func (r *reader) canonicalIdentifier(file string, line int, field, raw string) string {
	id := strings.TrimSpace(raw)
	canonical := strings.ToUpper(id)
	if canonical != id {
		r.notice(file, line, field, "%q is written in mixed case; identifiers are compared case-insensitively and read as %s", id, canonical)
	}
	return canonical
}

func (r *reader) readActivity(row *projectRow) {
	f := row.fields
	a := &row.activity
	a.File = r.path(ProjectsFile)
	a.Line = row.line
	a.DefaultCurrency = Currency
	a.ReportingOrg = iati.OrgRef{Names: []iati.Narrative{{Text: FundName}}}

	title := strings.TrimSpace(f["title"])
	prefix := strings.TrimSpace(f["prefix"])
	if strings.TrimSpace(f["iati_id"]) == "" {
		if title == "" && prefix == "" {
			r.notice(ProjectsFile, row.line, "iati_id", "row has no identifier, no title and no prefix: it is no activity and is left out")
		} else {
			r.problem(ProjectsFile, row.line, "iati_id", "no identifier")
		}
	} else {
		a.Identifier = r.canonicalIdentifier(ProjectsFile, row.line, "iati_id", f["iati_id"])
		if !fundIdentifier.MatchString(a.Identifier) {
			r.notice(ProjectsFile, row.line, "iati_id", "%q is not of the Fund's form T05-EUTF-<window>-<country or REG>-<number>[-<number>]", a.Identifier)
		}
	}

	switch prefix {
	case "DEC":
		a.Hierarchy = decisionLevel
	case "CTR":
		a.Hierarchy = contractLevel
	case "":
		if a.Identifier != "" {
			r.notice(ProjectsFile, row.line, "prefix", "no prefix: whether this is a decision (DEC) or a contract (CTR) is unknown; hierarchy left 0")
		}
	default:
		r.problem(ProjectsFile, row.line, "prefix", "%q is neither DEC nor CTR", prefix)
	}

	if title != "" {
		a.Titles = []iati.Narrative{{Text: title}}
	} else if a.Identifier != "" {
		r.notice(ProjectsFile, row.line, "title", "no title")
	}
	if summary := strings.TrimSpace(f["summary"]); summary != "" {
		a.Descriptions = []iati.Description{{Type: "1", Narratives: []iati.Narrative{{Text: summary}}}}
	}

	a.Participants = r.participants(row)
	if a.Identifier != "" && strings.TrimSpace(f["partner_implementing"]) == "" {
		r.notice(ProjectsFile, row.line, "partner_implementing", "no implementing organisation")
	}

	start, hasStart := r.date(row, "date_start")
	end, hasEnd := r.date(row, "date_end")
	if hasStart {
		a.Dates = append(a.Dates, iati.ActivityDate{Type: startDateType, ISODate: start})
	}
	if hasEnd {
		a.Dates = append(a.Dates, iati.ActivityDate{Type: endDateType, ISODate: end})
	}
	switch {
	case hasStart && hasEnd && end < start:
		r.notice(ProjectsFile, row.line, "date_end", "%s is before the start %s", end, start)
	case !hasStart && !hasEnd && a.Identifier != "" && f["date_start"] == "" && f["date_end"] == "":
		r.notice(ProjectsFile, row.line, "date_start", "no dates")
	}

	r.readBudget(row, start, end)
	r.readCountryColumn(row)
	a.Sectors = r.sectors(row)
	a.Tags = r.tags(row)
	for _, rc := range relatedColumns {
		a.Related = append(a.Related, r.related(row, rc.column, rc.typ)...)
	}
}

// latestPlausibleYear bounds end dates: the Fund's activities end by the late 2020s.
const latestPlausibleYear = 2035

// date reads a YYYY-MM-DD column; an empty column is no date.
func (r *reader) date(row *projectRow, field string) (string, bool) {
	s := strings.TrimSpace(row.fields[field])
	if s == "" {
		return "", false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		r.problem(ProjectsFile, row.line, field, "%q is not a date (YYYY-MM-DD)", s)
		return "", false
	}
	if t.Year() > latestPlausibleYear {
		r.notice(ProjectsFile, row.line, field, "%s is implausibly late; kept as written", s)
	}
	return s, true
}

// parseAmount reads an amount in EUR as the export writes it (plain or with an exponent, 1e+06).
func parseAmount(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, false
	}
	return v, true
}

// readBudget makes the row's budget one budget element over the activity's dates where known.
// The export states neither type (original, revised) nor status, so both are left empty.
func (r *reader) readBudget(row *projectRow, start, end string) {
	raw := strings.TrimSpace(row.fields["budget"])
	if raw == "" {
		if row.activity.Identifier != "" {
			r.notice(ProjectsFile, row.line, "budget", "no budget")
		}
		return
	}
	amount, ok := parseAmount(raw)
	if !ok {
		r.problem(ProjectsFile, row.line, "budget", "%q is not an amount", raw)
		return
	}
	if amount == 0 {
		if row.activity.Identifier != "" {
			r.notice(ProjectsFile, row.line, "budget", "budget is 0; no budget is kept")
		}
		return
	}
	row.activity.Budgets = []iati.Budget{{
		PeriodStart: start,
		PeriodEnd:   end,
		Value:       iati.Money{Amount: amount, Currency: Currency},
		Line:        row.line,
	}}
}

// readCountryColumn reads the row's own list of recipient codes, which the recipients file is
// checked against.
func (r *reader) readCountryColumn(row *projectRow) {
	for code := range strings.SplitSeq(row.fields["recipient_country"], ",") {
		code = strings.TrimSpace(code)
		switch {
		case code == "":
		case countryCode.MatchString(code):
			row.countryColumn = append(row.countryColumn, code)
		default:
			r.problem(ProjectsFile, row.line, "recipient_country", "%q is not an ISO 3166 alpha-2 code", code)
		}
	}
}

// listItems splits a list column at commas (and semicolons), trimmed, empty items dropped.
func listItems(s string) []string {
	var items []string
	for _, item := range listSeparator.Split(s, -1) {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

func (r *reader) sectors(row *projectRow) []iati.Sector {
	var out []iati.Sector
	for _, code := range listItems(row.fields["oecd_purpose"]) {
		if !purposeCode.MatchString(code) {
			r.problem(ProjectsFile, row.line, "oecd_purpose", "%q is not a DAC 5 purpose code", code)
			continue
		}
		out = append(out, iati.Sector{Vocabulary: "1", Code: code, Line: row.line})
	}
	return out
}

// tags reads the topics column: the priority areas TFP.1 to TFP.4 with their names, in the
// reporting organisation's own vocabulary. Other codes the Fund uses are kept as written,
// without a name.
func (r *reader) tags(row *projectRow) []iati.Tag {
	var out []iati.Tag
	seen := map[string]bool{}
	for _, code := range listItems(row.fields["topics"]) {
		if m := prioritySpelling.FindStringSubmatch(code); m != nil {
			canonical := "TFP." + m[1]
			r.notice(ProjectsFile, row.line, "topics", "%q read as the priority area %s", code, canonical)
			code = canonical
		}
		if seen[code] {
			r.notice(ProjectsFile, row.line, "topics", "%s is listed twice; kept once", code)
			continue
		}
		seen[code] = true
		tag := iati.Tag{Vocabulary: ownVocabulary, Code: code}
		if name, ok := PriorityAreas[code]; ok {
			tag.Narratives = []iati.Narrative{{Text: name}}
		} else {
			r.notice(ProjectsFile, row.line, "topics", "%q is none of the priority areas TFP.1 to TFP.4; kept as a tag without a name", code)
		}
		out = append(out, tag)
	}
	return out
}

// related reads one related-activity column (comma-separated identifiers).
func (r *reader) related(row *projectRow, column, typ string) []iati.RelatedActivity {
	var out []iati.RelatedActivity
	seen := map[string]bool{}
	for item := range strings.SplitSeq(row.fields[column], ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		ref := r.canonicalIdentifier(ProjectsFile, row.line, column, item)
		if seen[ref] || ref == row.activity.Identifier {
			continue
		}
		seen[ref] = true
		out = append(out, iati.RelatedActivity{Type: typ, Ref: ref, Line: row.line})
	}
	return out
}

// checkRelated reports references to activities that are not in the file (the Fund's list of
// activities the compilers found referred to but not published).
func (r *reader) checkRelated() {
	for _, row := range r.rows {
		if r.kept[row.activity.Identifier] != row || row.activity.Identifier == "" {
			continue
		}
		for _, rel := range row.activity.Related {
			if _, ok := r.kept[rel.Ref]; !ok {
				column := relatedColumns[0].column
				for _, rc := range relatedColumns {
					if rc.typ == rel.Type {
						column = rc.column
					}
				}
				r.notice(ProjectsFile, row.line, column, "%s is not an activity of the file; the link is kept", rel.Ref)
			}
		}
	}
}
