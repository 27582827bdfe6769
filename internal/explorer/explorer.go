// Package explorer serves the network explorer at /explore: a page built on the public GraphQL API
// that draws the graph with Cytoscape.js (vendored from the npm registry by `make explorer`).
package explorer

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/partnership-graph/partnership-graph/internal/webpage"
)

//go:embed assets/* page/*
var files embed.FS

// contentSecurityPolicy lets the page load only what this server serves and talk only to it.
// Cytoscape.js sizes its canvases through inline styles; exports are data and blob URLs.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// Handler serves the page at "/explore", its scripts and styles under "/explore/" and the
// vendored libraries under "/explore/assets/": the vendored library is cached for a day (a new
// version is a new build), the page's own small scripts not at all.
func Handler() http.Handler {
	page := webpage.Page{ContentSecurityPolicy: contentSecurityPolicy}
	own := webpage.Sub(files, "page")
	index, err := fs.ReadFile(own, "index.html")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /explore", page.Index(index))
	mux.Handle("GET /explore/assets/", page.Files("/explore/assets/", "public, max-age=86400", webpage.Sub(files, "assets")))
	mux.Handle("GET /explore/", page.Files("/explore/", "no-cache", own))
	return mux
}
