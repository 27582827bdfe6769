package iati

import (
	"encoding/xml"
	"strings"
)

// xmlNamespace is the namespace encoding/xml gives to the xml: prefix (xml:lang).
const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// element is one element of the activity being read: the reader keeps only the current
// activity's elements that a rule or the Activity needs, so memory does not grow with the file.
type element struct {
	name     string
	line     int
	attrs    []attr
	text     strings.Builder
	children []*element
}

type attr struct {
	name  string // "lang" for xml:lang, the local name otherwise
	value string // trimmed
}

func newElement(start xml.StartElement, line int) *element {
	e := &element{name: start.Name.Local, line: line}
	for _, a := range start.Attr {
		switch a.Name.Space {
		case "":
		case xmlNamespace:
			if a.Name.Local != "lang" {
				continue
			}
		default:
			continue // extensions in other namespaces are not read
		}
		e.attrs = append(e.attrs, attr{name: a.Name.Local, value: strings.TrimSpace(a.Value)})
	}
	return e
}

// attr returns the trimmed value of the attribute and whether the element has it.
func (e *element) attr(name string) (string, bool) {
	for _, a := range e.attrs {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

// get returns the trimmed value of the attribute, "" when absent.
func (e *element) get(name string) string {
	v, _ := e.attr(name)
	return v
}

// child returns the first child named name, nil when there is none.
func (e *element) child(name string) *element {
	for _, c := range e.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// all returns the elements at path below e ("transaction/value"); an empty path is e itself.
func (e *element) all(path string) []*element {
	if path == "" {
		return []*element{e}
	}
	found := []*element{}
	e.collect(strings.Split(path, "/"), &found)
	return found
}

func (e *element) collect(steps []string, found *[]*element) {
	for _, c := range e.children {
		if c.name != steps[0] {
			continue
		}
		if len(steps) == 1 {
			*found = append(*found, c)
		} else {
			c.collect(steps[1:], found)
		}
	}
}

// trimmedText is the element's own text, trimmed.
func (e *element) trimmedText() string {
	return strings.TrimSpace(e.text.String())
}

// keptInActivity lists the children of iati-activity the reader keeps (with everything below
// them); the others (results, locations, document links...) are skipped unread.
var keptInActivity = map[string]bool{
	"iati-identifier":   true,
	"reporting-org":     true,
	"title":             true,
	"description":       true,
	"participating-org": true,
	"activity-status":   true,
	"activity-date":     true,
	"activity-scope":    true,
	"recipient-country": true,
	"recipient-region":  true,
	"sector":            true,
	"tag":               true,
	"policy-marker":     true,
	"budget":            true,
	"transaction":       true,
	"related-activity":  true,
}
