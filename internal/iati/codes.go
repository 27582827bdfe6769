package iati

import (
	"embed"
	"encoding/xml"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
)

// codelistFiles are the IATI 2.03 code lists shipped with the project (see codelists/README.md).
//
//go:embed codelists/*.xml
var codelistFiles embed.FS

// Code is one item of a code list.
type Code struct {
	Code      string
	Name      string // the English name (the list's default language)
	Withdrawn bool   // status="withdrawn": still readable in old files, no longer to be used
}

// Codes holds the shipped code lists by name (Sector, Country, Currency...).
type Codes struct {
	lists map[string]map[string]Code
}

// LoadCodes returns the shipped code lists, parsed once per process.
func LoadCodes() (*Codes, error) {
	return loadCodesOnce()
}

var loadCodesOnce = sync.OnceValues(func() (*Codes, error) {
	return parseCodes(codelistFiles)
})

// Has reports whether code is on the named list (withdrawn codes included).
func (c *Codes) Has(list, code string) bool {
	_, ok := c.lists[list][code]
	return ok
}

// Lookup returns the item of code on the named list.
func (c *Codes) Lookup(list, code string) (Code, bool) {
	item, ok := c.lists[list][code]
	return item, ok
}

// Name returns the name of code on the named list, "" when it is not on it.
func (c *Codes) Name(list, code string) string {
	return c.lists[list][code].Name
}

// Withdrawn reports whether code is on the named list with the status withdrawn.
func (c *Codes) Withdrawn(list, code string) bool {
	return c.lists[list][code].Withdrawn
}

// Lists returns the names of the loaded lists, sorted.
func (c *Codes) Lists() []string {
	names := make([]string, 0, len(c.lists))
	for name := range c.lists {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// codelistDocument is the part of an IATI code-list file the reader uses.
type codelistDocument struct {
	Name  string `xml:"name,attr"`
	Items []struct {
		Status string `xml:"status,attr"`
		Code   string `xml:"code"`
		Names  []struct {
			Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
			Text string `xml:",chardata"`
		} `xml:"name>narrative"`
	} `xml:"codelist-items>codelist-item"`
}

func parseCodes(files fs.FS) (*Codes, error) {
	paths, err := fs.Glob(files, "codelists/*.xml")
	if err != nil {
		return nil, fmt.Errorf("listing the code lists: %w", err)
	}
	codes := &Codes{lists: make(map[string]map[string]Code, len(paths))}
	for _, path := range paths {
		data, err := fs.ReadFile(files, path)
		if err != nil {
			return nil, fmt.Errorf("reading code list %s: %w", path, err)
		}
		var doc codelistDocument
		if err := xml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("parsing code list %s: %w", path, err)
		}
		if doc.Name == "" {
			return nil, fmt.Errorf("code list %s has no name", path)
		}
		items := make(map[string]Code, len(doc.Items))
		for _, item := range doc.Items {
			code := strings.TrimSpace(item.Code)
			var name string
			for _, n := range item.Names {
				if n.Lang == "" || n.Lang == "en" {
					name = strings.TrimSpace(n.Text)
					break
				}
			}
			items[code] = Code{Code: code, Name: name, Withdrawn: item.Status == "withdrawn"}
		}
		codes.lists[doc.Name] = items
	}
	return codes, nil
}
