// Package playground serves GraphiQL from assets embedded in the binary (vendored from the npm
// registry by `make graphiql`), so analysts can explore the API with no internet access.
package playground

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/partnership-graph/partnership-graph/internal/webpage"
)

//go:embed assets/* page/*
var files embed.FS

// contentSecurityPolicy lets the page load only what this server serves. GraphiQL sets inline
// styles and shows images as data URLs.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"

// examplesMarker is where the page takes the example queries of its menu (page/examples.json).
const examplesMarker = "<!--examples-->"

// Handler serves the GraphiQL page at "/" and its scripts and styles under "/playground/",
// cached for an hour.
func Handler() http.Handler {
	page := webpage.Page{ContentSecurityPolicy: contentSecurityPolicy}
	own := webpage.Sub(files, "page")
	index, err := pageWithExamples(own)
	if err != nil {
		panic(err)
	}
	const cache = "public, max-age=3600"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", page.Index(index))
	for _, name := range []string{"start.js", "page.css"} {
		mux.Handle("GET /playground/"+name, page.Files("/playground/", cache, own))
	}
	mux.Handle("GET /playground/", page.Files("/playground/", cache, webpage.Sub(files, "assets")))
	return mux
}

// pageWithExamples is index.html with the example queries written into its JSON data block
// (a data block is not a script, so the page's Content-Security-Policy allows it), escaped so
// that no text of theirs can end the block.
func pageWithExamples(page fs.FS) ([]byte, error) {
	index, err := fs.ReadFile(page, "index.html")
	if err != nil {
		return nil, err
	}
	examples, err := fs.ReadFile(page, "examples.json")
	if err != nil {
		return nil, err
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, examples); err != nil {
		return nil, fmt.Errorf("examples.json: %w", err)
	}
	var escaped bytes.Buffer
	json.HTMLEscape(&escaped, compact.Bytes())
	if !bytes.Contains(index, []byte(examplesMarker)) {
		return nil, fmt.Errorf("index.html: no %s marker", examplesMarker)
	}
	return bytes.Replace(index, []byte(examplesMarker), escaped.Bytes(), 1), nil
}
