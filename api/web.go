package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/feed"
)

// webFiles are the web app's templates (layout.html and one file per
// page, each defining "main") and its one stylesheet.
//
//go:embed web
var webFiles embed.FS

// webUI is what the pages share: their parsed templates, the stylesheet,
// and the sanitizer of article bodies.
type webUI struct {
	pages    map[string]*template.Template
	style    []byte
	styleURL string // carries the stylesheet's hash, so browsers may keep it
	policy   *bluemonday.Policy
}

// webFuncs are the helpers the templates call.
var webFuncs = template.FuncMap{
	"slug": newsline.Slug,
	"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"date": func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
}

// newWebUI parses every page with the layout; a template that does not
// parse is a bug caught by any test that builds a Server.
func newWebUI() (*webUI, error) {
	ui := &webUI{pages: map[string]*template.Template{}, policy: bluemonday.UGCPolicy()}
	ui.policy.AddTargetBlankToFullyQualifiedLinks(true)
	names, err := fs.Glob(webFiles, "web/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if name == "web/layout.html" {
			continue
		}
		t, err := template.New("layout").Funcs(webFuncs).ParseFS(webFiles, "web/layout.html", name)
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		ui.pages[name[len("web/"):len(name)-len(".html")]] = t
	}
	if ui.style, err = webFiles.ReadFile("web/style.css"); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(ui.style)
	ui.styleURL = "/style.css?v=" + hex.EncodeToString(sum[:4])
	return ui, nil
}

// page is what every page's layout shows; each page's data embeds it.
type page struct {
	Title  string // of the page, in <title> and (mostly) its <h1>
	Nav    string // the main navigation's current item
	Query  string // the search box's text
	Feeds  []feedLink
	User   string // the signed-in reader's name; empty when signed out
	Error  string
	Notice string
	Style  string
}

func (p *page) common() *page { return p }

// pageData is a page's data: a struct embedding page.
type pageData interface{ common() *page }

// feedLink is one of a page's feeds.
type feedLink struct {
	URL, Type, Title, Label string
}

// pageFeeds are view's feeds in every format.
func (s *Server) pageFeeds(v feedView, title string) []feedLink {
	v.limit = defaultFeedItems
	var out []feedLink
	for _, f := range []feed.Format{feed.RSS, feed.Atom, feed.JSON} {
		out = append(out, feedLink{URL: s.BaseURL + feedPath(v, f), Type: f.MediaType(), Title: title + " (" + f.String() + ")", Label: f.String()})
	}
	return out
}

// render executes the named page into a buffer first, so that a template
// error is a logged 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pageData) {
	p := data.common()
	p.Style = s.web.styleURL
	if p.User == "" {
		p.User = viewerName(r)
	}
	var body bytes.Buffer
	t := s.web.pages[name]
	if t == nil {
		s.error(w, r, fmt.Errorf("web: no page %q", name))
		return
	}
	if err := t.ExecuteTemplate(&body, "layout", data); err != nil {
		s.error(w, r, fmt.Errorf("web page %s: %w", name, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(body.Len()))
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "private, no-cache") // a page shows who is logged in
	}
	w.WriteHeader(status)
	_, _ = w.Write(body.Bytes())
}

// serveStyle serves the stylesheet; its URL changes with its content.
func (s *Server) serveStyle(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Length", strconv.Itoa(len(s.web.style)))
	_, _ = w.Write(s.web.style)
}

// errorView is the page of an error: the message, and the way back.
type errorView struct {
	page
	Login string // the login page's URL, back to this one, on a 401
}

// pageError shows a person what went wrong on the page itself; a failure
// of Newsline's own is the API's JSON error, which hides the details.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return // the client went away
	}
	status, err := s.classify(r, err)
	if status == http.StatusInternalServerError {
		s.writeError(w, r, status, newsline.ErrorCode(err), newsline.ErrorMessage(err))
		return
	}
	if status == http.StatusServiceUnavailable {
		setRetryAfter(w)
	}
	title := map[int]string{http.StatusBadRequest: "Bad request", http.StatusNotFound: "Not found",
		http.StatusUnauthorized: "Please log in", http.StatusForbidden: "Not allowed",
		http.StatusServiceUnavailable: "Unavailable for a moment", http.StatusTooManyRequests: "Too many attempts"}[status]
	if title == "" {
		title = http.StatusText(status)
	}
	data := &errorView{page: page{Title: title, Error: newsline.ErrorMessage(err)}}
	if status == http.StatusUnauthorized {
		data.Login = "/login?" + url.Values{"next": {r.URL.RequestURI()}}.Encode()
	}
	s.render(w, r, status, "error", data)
}

// nextURL is the link to the next page: path with q's parameters and one
// of them set to value; "" when there is no next page.
func nextURL(path string, q url.Values, name, value string) string {
	if value == "" {
		return ""
	}
	next := url.Values{}
	for k, v := range q {
		next[k] = v
	}
	next.Set(name, value)
	return path + "?" + next.Encode()
}
