package iati

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"slices"
	"strings"
)

// Check reads the whole file once and returns every problem in it: errors (the file must not
// be imported) and notices (the file imports; each says what the import does about it). The
// returned error is only for a file that cannot be read.
func Check(path string, opts Options) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checking IATI file: %w", err)
	}
	defer f.Close()
	return read(path, f, opts, nil)
}

// Each reads the file again and calls fn with each activity, in file order. It is meant for a
// file Check found clean: the rules are applied again on the way, and at the first error Each
// stops and returns ErrNotClean wrapped with that problem (the activities before it have been
// handed out). An error from fn stops the reading and is returned with the activity's place.
func Each(path string, opts Options, fn func(*Activity) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading IATI file: %w", err)
	}
	defer f.Close()
	report, err := read(path, f, opts, fn)
	if err != nil {
		return err
	}
	if !report.OK() {
		return fmt.Errorf("%w: %s", ErrNotClean, report.Errors[0])
	}
	return nil
}

// readVersions are the versions read by their own rules (the rules are the same for all three
// as far as the graph is concerned).
var readVersions = map[string]bool{"2.01": true, "2.02": true, "2.03": true}

// defaultRulesVersion is applied to files with a missing or unknown version.
const defaultRulesVersion = "2.03"

// scanner is the state of one reading of a file.
type scanner struct {
	name     string
	opts     Options
	limit    int
	codes    *Codes
	report   *Report
	fileLang string
	fn       func(*Activity) error
	// seen holds a 64-bit hash of every identifier read so far with the line of its activity:
	// the only memory that grows with the file (a few tens of bytes per activity).
	seen    map[uint64]uint32
	seed    maphash.Seed
	pending []Problem // the current activity's problems, sorted by line before they are reported
}

// read applies the rules to every activity of r; with fn, it also builds each clean activity
// and hands it to fn, and stops at the first error.
func read(name string, r io.Reader, opts Options, fn func(*Activity) error) (*Report, error) {
	codes, err := LoadCodes()
	if err != nil {
		return nil, fmt.Errorf("loading the IATI code lists: %w", err)
	}
	s := &scanner{
		name:   name,
		opts:   opts,
		limit:  cmp.Or(opts.MaxProblems, DefaultMaxProblems),
		codes:  codes,
		report: &Report{File: name},
		fn:     fn,
		seen:   map[uint64]uint32{},
		seed:   maphash.MakeSeed(),
	}
	src := &trackedReader{r: bufio.NewReaderSize(r, 64<<10)}
	d := xml.NewDecoder(src)
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("the file is encoded in %s: only UTF-8 files are read, convert it", label)
	}
	if err := s.run(d, src); err != nil {
		return nil, err
	}
	return s.report, nil
}

// errStop ends a reading early (a file-level error, or the first error when handing out).
var errStop = errors.New("stop reading")

// run reads the tokens of the file; it returns only I/O errors and fn's errors.
func (s *scanner) run(d *xml.Decoder, src *trackedReader) error {
	var open []*element // the current activity's open elements; empty outside an activity
	depth := 0
	rootSeen := false
	for {
		line, _ := d.InputPos() // where the next token starts
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return s.decodeError(err, src, d)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1 && rootSeen:
				s.fileProblem(Error, "root", line, t.Name.Local, "a second root element: an XML file has one")
				return nil
			case depth == 1:
				rootSeen = true
				if !s.root(t, line) {
					return nil
				}
			case depth == 2 && t.Name.Space == "" && t.Name.Local == "iati-activity":
				open = append(open[:0], newElement(t, line))
			case depth == 2 || t.Name.Space != "" || (depth == 3 && !keptInActivity[t.Name.Local]):
				if err := d.Skip(); err != nil {
					return s.decodeError(err, src, d)
				}
				depth--
			default:
				e := newElement(t, line)
				parent := open[len(open)-1]
				parent.children = append(parent.children, e)
				open = append(open, e)
			}
		case xml.EndElement:
			depth--
			if len(open) == 0 {
				continue
			}
			activity := open[0]
			open = open[:len(open)-1]
			if len(open) == 0 {
				if err := s.activity(activity); err != nil {
					if errors.Is(err, errStop) {
						return nil
					}
					return err
				}
			}
		case xml.CharData:
			if len(open) > 0 {
				if e := open[len(open)-1]; keepsText[e.name] {
					e.text.Write(t)
				}
			}
		}
	}
	if !rootSeen {
		s.fileProblem(Error, "root", 1, "", "the file holds no XML element: it is not an IATI activity file")
	} else if s.report.Activities == 0 {
		s.fileProblem(Error, "count", 1, "iati-activities/iati-activity", "missing: the file holds no activity")
	}
	return nil
}

// keepsText names the elements whose text the rules or the Activity read.
var keepsText = map[string]bool{"narrative": true, "iati-identifier": true, "value": true}

// decodeError tells a failure to read the file (returned) from malformed XML (reported).
func (s *scanner) decodeError(err error, src *trackedReader, d *xml.Decoder) error {
	if src.err != nil && errors.Is(err, src.err) {
		return fmt.Errorf("reading IATI file %s: %w", s.name, err)
	}
	var syntax *xml.SyntaxError
	if errors.As(err, &syntax) {
		s.fileProblem(Error, "xml", syntax.Line, "", "malformed XML: "+syntax.Msg)
		return nil
	}
	line, _ := d.InputPos()
	s.fileProblem(Error, "xml", line, "", strings.TrimPrefix(err.Error(), "xml: "))
	return nil
}

// root checks the iati-activities element; false when the file is not to be read further.
func (s *scanner) root(t xml.StartElement, line int) bool {
	root := newElement(t, line)
	if t.Name.Local != "iati-activities" {
		s.fileProblem(Error, "root", line, t.Name.Local,
			"the root element is not iati-activities: this is not an IATI activity file")
		return false
	}
	version, stated := root.attr("version")
	s.report.Version = version
	s.report.RulesVersion = defaultRulesVersion
	switch {
	case strings.HasPrefix(version, "1."):
		s.fileProblem(Error, "version", line, "iati-activities/@version",
			fmt.Sprintf("%q: IATI 1.x files are not read; convert the file to version 2.03", version))
		return false
	case readVersions[version]:
		s.report.RulesVersion = version
	case !stated:
		s.fileProblem(Notice, "version", line, "iati-activities/@version",
			"missing: the file is read by the 2.03 rules")
	default:
		s.fileProblem(Notice, "version", line, "iati-activities/@version",
			fmt.Sprintf("%q is not a version of IATI 2 (2.01, 2.02, 2.03): the file is read by the 2.03 rules", version))
	}
	if generated, ok := root.attr("generated-datetime"); ok {
		s.report.GeneratedDatetime = generated
		if msg := kindDateTime.invalid(generated); msg != "" {
			s.fileProblem(Error, "type", line, "iati-activities/@generated-datetime", msg)
		}
	}
	s.fileLang = root.get("lang")
	return true
}

// activity applies the rules to one complete iati-activity and, when handing out, builds it.
func (s *scanner) activity(a *element) error {
	s.report.Activities++
	s.pending = s.pending[:0]
	for _, rule := range countRules {
		rule.apply(s, a)
	}
	for _, rule := range valueRules {
		rule.apply(s, a)
	}
	for _, check := range activityChecks {
		check.check(s, a)
	}
	slices.SortStableFunc(s.pending, func(p, q Problem) int { return cmp.Compare(p.Line, q.Line) })
	for _, p := range s.pending {
		s.report.add(p, s.limit)
	}
	if s.fn == nil {
		return nil
	}
	if s.report.ErrorCount > 0 { // this activity's errors, or the file's
		return errStop
	}
	if err := s.fn(s.build(a)); err != nil {
		return fmt.Errorf("activity at %s:%d: %w", s.name, a.line, err)
	}
	return nil
}

// problem records a problem of the current activity.
func (s *scanner) problem(severity Severity, rule string, line int, path, msg string) {
	s.pending = append(s.pending, Problem{File: s.name, Line: line, Path: path, Message: msg, Severity: severity, Rule: rule})
}

// fileProblem records a problem of the file itself.
func (s *scanner) fileProblem(severity Severity, rule string, line int, path, msg string) {
	s.report.add(Problem{File: s.name, Line: line, Path: path, Message: msg, Severity: severity, Rule: rule}, s.limit)
}

// seeIdentifier records an identifier; when it was seen before it returns the line of the
// first activity that had it. Identifiers are kept as 64-bit hashes: two different identifiers
// of one file collide with a negligible probability (about 1 in 10^10 for 500,000 activities).
func (s *scanner) seeIdentifier(id string, line int) (int, bool) {
	h := maphash.String(s.seed, id)
	if first, ok := s.seen[h]; ok {
		return int(first), true
	}
	s.seen[h] = uint32(line)
	return 0, false
}

// trackedReader remembers the error of the underlying reader, so that a failure to read the
// file is told from malformed XML.
type trackedReader struct {
	r   *bufio.Reader
	err error
}

func (t *trackedReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.note(err)
	return n, err
}

func (t *trackedReader) ReadByte() (byte, error) {
	b, err := t.r.ReadByte()
	t.note(err)
	return b, err
}

func (t *trackedReader) note(err error) {
	if err != nil && err != io.EOF {
		t.err = err
	}
}
