// Package widget serves the embeddable chat widget (widget.js), the demo
// clinic page (/demo) and the demo page's stylesheet (/demo.css). The
// files are embedded in the binary; the edge mounts the handlers.
package widget

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/iglowly/assistant/config"
)

// DefaultDemoClinic is the clinic DemoHandler shows when the request has
// no ?clinic= parameter.
const DefaultDemoClinic = "demo"

// demoCSP is the demo page's Content-Security-Policy. It allows no inline
// script or style, so the page also proves that the widget works on a
// clinic site with a strict policy.
const demoCSP = "default-src 'none'; script-src 'self'; connect-src 'self'; " +
	"style-src 'self'; img-src 'self' data:; base-uri 'none'; " +
	"form-action 'none'; frame-ancestors 'none'"

//go:embed static/widget.js static/demo.css static/demo.html
var files embed.FS

var (
	script = mustAsset("static/widget.js", "text/javascript; charset=utf-8")
	style  = mustAsset("static/demo.css", "text/css; charset=utf-8")
	demo   = template.Must(template.ParseFS(files, "static/demo.html"))
)

// asset is one embedded static file with its strong, content-derived ETag.
type asset struct {
	ctype string
	body  []byte
	etag  string
}

func mustAsset(name, ctype string) *asset {
	body, err := files.ReadFile(name)
	if err != nil {
		panic("widget: embedded file missing: " + name)
	}
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	return &asset{ctype: ctype, body: body, etag: etag}
}

// ServeHTTP answers GET and HEAD, with 304 Not Modified when If-None-Match
// holds the current ETag.
func (a *asset) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !allowMethod(w, r) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	// Clinic pages load widget.js from another origin; pages that set
	// Cross-Origin-Embedder-Policy need this to be allowed to.
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}

// ScriptHandler returns the handler for GET /widget.js: the widget script
// as text/javascript with a strong ETag, five minutes of public caching,
// and 304 Not Modified for a matching If-None-Match.
func ScriptHandler() http.Handler { return script }

// StyleHandler returns the handler for GET /demo.css, the demo page's
// stylesheet, served like ScriptHandler serves the script.
func StyleHandler() http.Handler { return style }

// DemoHandler returns the handler for GET /demo?clinic=ID: a one-page
// website of the clinic, in its default language, with the widget
// embedded by one script tag and a strict Content-Security-Policy. ID
// defaults to DefaultDemoClinic; an invalid ID gets 400 "invalid_clinic"
// and an ID that lookup does not know gets 404 "unknown_clinic", both as
// the edge's JSON error.
func DemoHandler(lookup func(id string) (*config.Clinic, bool)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowMethod(w, r) {
			return
		}
		id := r.URL.Query().Get("clinic")
		if id == "" {
			id = DefaultDemoClinic
		}
		if !config.ValidClinicID(id) {
			writeError(w, http.StatusBadRequest, "invalid_clinic",
				"clinic must be 3 to 40 characters of a-z, 0-9 and -")
			return
		}
		c, ok := lookup(id)
		if !ok || c == nil {
			writeError(w, http.StatusNotFound, "unknown_clinic",
				"there is no clinic with this id")
			return
		}

		var buf bytes.Buffer
		if err := demo.Execute(&buf, newDemoPage(c, r, lookup)); err != nil {
			slog.Error("demo_page_render_failed", "clinic", c.ID, "err", err)
			writeError(w, http.StatusInternalServerError, "internal",
				"the demo page could not be rendered")
			return
		}

		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", demoCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		w.Write(buf.Bytes())
	})
}

// allowMethod lets GET and HEAD through and answers anything else with 405.
func allowMethod(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
		"only GET and HEAD are allowed here")
	return false
}

// writeError writes the edge's JSON error shape.
func writeError(w http.ResponseWriter, status int, code, message string) {
	type body struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]body{"error": {code, message}})
}
