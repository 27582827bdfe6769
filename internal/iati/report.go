package iati

import (
	"errors"
	"fmt"
)

// Severity tells what a problem means for the import.
type Severity int

const (
	// Notice: the file imports; the message says what the import does about it.
	Notice Severity = iota
	// Error: the file must not be imported.
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "notice"
}

// Problem is one finding, located by file, line and element path. Path is relative to the
// activity ("iati-activity/sector/@code") or to the file ("iati-activities/@version"); it is
// empty for malformed XML.
type Problem struct {
	File     string
	Line     int
	Path     string
	Message  string
	Severity Severity
	Rule     string // the rule's name (see RULES.md), for tests and for grouping
}

// String prints the problem as file:line: path: message.
func (p Problem) String() string {
	if p.Path == "" {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Path, p.Message)
}

// Options change how strictly a file is read.
type Options struct {
	// StrictCodes makes codes that are not on their list errors instead of notices.
	StrictCodes bool
	// MaxProblems bounds the problems kept per severity (0: DefaultMaxProblems); the rest are
	// only counted, so that a file repeating one mistake in every activity stays cheap to check.
	MaxProblems int
}

// DefaultMaxProblems is the number of errors, and of notices, a Report keeps by default.
const DefaultMaxProblems = 10000

// Report is the outcome of reading a whole file.
type Report struct {
	File              string
	Version           string // iati-activities/@version as written
	RulesVersion      string // the version whose rules were applied: 2.01, 2.02 or 2.03
	GeneratedDatetime string // iati-activities/@generated-datetime as written
	Activities        int    // iati-activity elements read
	Errors            []Problem
	Notices           []Problem
	// ErrorCount and NoticeCount count every problem, including those beyond MaxProblems.
	ErrorCount  int
	NoticeCount int
}

// OK reports whether the file may be imported (it has no errors).
func (r *Report) OK() bool { return r.ErrorCount == 0 }

// ErrNotClean is returned (wrapped with the first error found) by Each for a file that has
// errors; Check lists them all.
var ErrNotClean = errors.New("the file has errors and must not be imported")

func (r *Report) add(p Problem, limit int) {
	if p.Severity == Error {
		r.ErrorCount++
		if len(r.Errors) < limit {
			r.Errors = append(r.Errors, p)
		}
		return
	}
	r.NoticeCount++
	if len(r.Notices) < limit {
		r.Notices = append(r.Notices, p)
	}
}
