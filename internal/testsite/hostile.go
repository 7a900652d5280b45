package testsite

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Hostile routes misbehave on purpose so crawler robustness tests can run
// against a real server. They are never linked from the site; tests request
// them directly. Apart from the article page the rate-limit routes end up
// serving, everything they send is fixed text rather than generated prose,
// so no article's unique word can appear on them.

const (
	defaultSlowSeconds = 60
	defaultHugeMB      = 50
	maxHugeMB          = 1 << 16 // 64 GiB: streamed, so only the client pays
	metadataURL        = "http://169.254.169.254/latest/meta-data/"
)

func (s *Site) hostileRoutes() []route {
	limited429 := s.limitedHandler(http.StatusTooManyRequests, "ratelimited", "You are sending requests too quickly. Please slow down and try again later.")
	limited503 := s.limitedHandler(http.StatusServiceUnavailable, "unavailable", "The service is temporarily down for maintenance. Please try again later.")
	return []route{
		{pattern: "GET /hostile/slow", handler: http.HandlerFunc(slowHandler)},
		{pattern: "GET /hostile/huge", handler: http.HandlerFunc(hugeHandler)},
		{pattern: "GET /hostile/gzip-bomb", handler: http.HandlerFunc(s.gzipBombHandler)},
		{pattern: "GET /hostile/redirect-loop", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			redirect(w, r, "/hostile/redirect-loop?n="+strconv.Itoa(n+1))
		})},
		{pattern: "GET /hostile/redirect", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			to := r.URL.Query().Get("to")
			if to == "" {
				writePage(w, r, page{status: http.StatusBadRequest, contentType: ctHTML,
					body: renderError("Bad request", "The to parameter is missing.")})
				return
			}
			redirect(w, r, to)
		})},
		{pattern: "GET /hostile/redirect-metadata", handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			redirect(w, r, metadataURL)
		})},
		{pattern: "GET /hostile/ratelimited", handler: limited429},
		{pattern: "GET /hostile/unavailable", handler: limited503},
		{pattern: "GET /hostile/wrong-charset/utf8-declared-latin1", render: func(*http.Request) page {
			return ok("text/html; charset=iso-8859-1", charsetArticle("").html())
		}},
		{pattern: "GET /hostile/wrong-charset/latin1-declared-utf8", render: func(*http.Request) page {
			return ok(ctHTML, toWindows1252(charsetArticle("").html()))
		}},
		{pattern: "GET /hostile/wrong-charset/meta-only", render: func(*http.Request) page {
			return ok("text/html", toWindows1252(charsetArticle("windows-1252").html()))
		}},
		{pattern: "GET /hostile/malformed", render: func(*http.Request) page { return ok(ctHTML, malformedPage()) }},
		{pattern: "GET /hostile/not-html", render: func(*http.Request) page { return ok(ctPDF, notHTMLBody) }},
		{pattern: "GET /hostile/empty", render: func(*http.Request) page { return ok(ctHTML, "") }},
	}
}

// queryInt returns the integer query parameter name, def when it is absent
// or malformed, clamped to [lo, hi].
func queryInt(q url.Values, name string, def, lo, hi int) int {
	n, err := strconv.Atoi(q.Get(name))
	if err != nil {
		n = def
	}
	return min(max(n, lo), hi)
}

// redirect answers 302 Found to loc, verbatim: tests pass off-site and
// link-local targets, which must reach the client unchanged.
func redirect(w http.ResponseWriter, r *http.Request, loc string) {
	w.Header().Set("Location", loc)
	esc := html.EscapeString(loc)
	writePage(w, r, page{status: http.StatusFound, contentType: ctHTML,
		body: "<!DOCTYPE html>\n<html><head><title>Found</title></head><body><p>Moved to <a href=\"" + esc + "\">" + esc + "</a>.</p></body></html>\n"})
}

// countHit counts one request to a rate-limit route and returns how many
// requests route has now seen for key.
func (s *Site) countHit(route, key string) int {
	s.limitMu.Lock()
	defer s.limitMu.Unlock()
	k := route + "\x00" + key
	s.limits[k]++
	return s.limits[k]
}

// limitedHandler refuses the first `times` requests per key with status and
// Retry-After, then serves the newest allowed article, as an overloaded site
// does once the client has backed off.
func (s *Site) limitedHandler(status int, route, text string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		key := q.Get("key")
		if key == "" {
			key = "default"
		}
		times := queryInt(q, "times", 1, 0, 1<<30)
		after := queryInt(q, "after", 2, 0, 1<<30)
		if s.countHit(route, key) <= times {
			w.Header().Set("Retry-After", strconv.Itoa(after))
			writePage(w, r, page{status: status, contentType: ctHTML, body: renderError(http.StatusText(status), text)})
			return
		}
		writePage(w, r, s.readLocked(func(r *http.Request) page {
			return s.articleResponse(info(r), s.limitedArticle(), false)
		})(r))
	})
}

// limitedArticle is the index of the newest allowed article (the newest
// article if every one is disallowed).
func (s *Site) limitedArticle() int {
	for i := range s.articles {
		if !s.articles[i].Disallowed {
			return i
		}
	}
	return 0
}

// slowHandler trickles a small article page: headers at once, then one
// chunk per second, so a crawler without a body deadline hangs for about
// `seconds` seconds. It stops as soon as the client goes away.
func slowHandler(w http.ResponseWriter, r *http.Request) {
	n := queryInt(r.URL.Query(), "seconds", defaultSlowSeconds, 0, 24*3600)
	body := slowArticle.html()
	h := w.Header()
	h.Set("Content-Type", ctHTML)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	timer := time.NewTimer(time.Second)
	defer timer.Stop()
	for k, chunk := range splitEven(body, max(n, 1)) {
		if n > 0 {
			if k > 0 {
				timer.Reset(time.Second)
			}
			select {
			case <-r.Context().Done():
				return
			case <-timer.C:
			}
		}
		if _, err := io.WriteString(w, chunk); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// splitEven cuts s into n pieces of about equal size, never inside a UTF-8
// sequence. Pieces may be empty when s is short.
func splitEven(s string, n int) []string {
	out := make([]string, 0, n)
	start := 0
	for k := 1; k <= n; k++ {
		end := len(s) * k / n
		for end < len(s) && !utf8.RuneStart(s[end]) {
			end++
		}
		end = max(end, start)
		out = append(out, s[start:end])
		start = end
	}
	return out
}

// hugeHandler streams an article page of exactly mb MiB (or the smallest
// complete page, if that is larger): the story body repeats paragraphs. It is
// written piecewise, never held in memory, and declares its Content-Length
// so a crawler can refuse it before reading.
func hugeHandler(w http.ResponseWriter, r *http.Request) {
	mb := queryInt(r.URL.Query(), "mb", defaultHugeMB, 0, maxHugeMB)
	head, tail := hugeArticle.parts()
	total := max(int64(mb)<<20, int64(len(head)+len(tail)))
	h := w.Header()
	h.Set("Content-Type", ctHTML)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.FormatInt(total, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}

	var units []string
	for _, p := range hugeArticle.paragraphs {
		units = append(units, "<p>"+html.EscapeString(p)+"</p>\n")
	}
	const bufSize = 64 << 10
	buf := make([]byte, 0, 2*bufSize)
	buf = append(buf, head...)
	// The middle repeats the paragraphs in turn; when the next one no longer
	// fits, spaces make up the exact size.
	left := total - int64(len(head)) - int64(len(tail))
	for k := 0; left > 0; k++ {
		u := units[k%len(units)]
		if int64(len(u)) > left {
			u = strings.Repeat(" ", int(left))
		}
		buf = append(buf, u...)
		left -= int64(len(u))
		if len(buf) >= bufSize {
			if _, err := w.Write(buf); err != nil {
				return // client gone
			}
			buf = buf[:0]
		}
	}
	buf = append(buf, tail...)
	_, _ = w.Write(buf)
}

func (s *Site) gzipBombHandler(w http.ResponseWriter, r *http.Request) {
	s.bombOnce.Do(func() { s.bomb = gzipBomb() })
	w.Header().Set("Content-Encoding", "gzip")
	writePage(w, r, ok(ctHTML, s.bomb))
}

// toWindows1252 encodes an HTML page as windows-1252. The charset pages are
// written to use only characters that encoding has.
func toWindows1252(s string) string {
	out, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		panic("testsite: page not encodable as windows-1252: " + err.Error())
	}
	return out
}

// plainArticle is a compact, realistic article page used by the hostile
// routes (which must not depend on the generated site).
type plainArticle struct {
	charset    string // <meta charset> value; "" for none
	title      string
	byline     string
	date       string // visible date
	datetime   string // <time datetime>
	paragraphs []string
}

// parts renders the page around its body paragraphs.
func (p plainArticle) parts() (head, tail string) {
	var b htmlBuf
	b.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n")
	if p.charset != "" {
		b.raw("<meta charset=\"", p.charset, "\">\n")
	}
	b.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	b.text(p.title)
	b.raw(" | ", siteName, "</title>\n<link rel=\"stylesheet\" href=\"/static/site.css\">\n</head>\n<body>\n",
		"<header class=\"site-header\">\n<a class=\"logo\" href=\"/\">", siteName, "</a>\n<p class=\"tagline\">", siteTagline, "</p>\n</header>\n",
		"<main id=\"content\">\n<article class=\"story\">\n<header class=\"story-header\">\n<h1 class=\"headline\">")
	b.text(p.title)
	b.raw("</h1>\n<p class=\"byline\">")
	b.text(p.byline)
	b.raw("</p>\n<p class=\"dateline\"><time datetime=\"", p.datetime, "\">")
	b.text(p.date)
	b.raw("</time></p>\n</header>\n<div class=\"story-body\">\n")
	head = b.String()
	tail = "</div>\n</article>\n</main>\n<footer class=\"site-footer\">\n<p class=\"copyright\">© " + siteName + ". " + copyrightText + "</p>\n</footer>\n</body>\n</html>\n"
	return head, tail
}

func (p plainArticle) html() string {
	head, tail := p.parts()
	var b htmlBuf
	b.raw(head)
	for _, para := range p.paragraphs {
		b.raw("<p>")
		b.text(para)
		b.raw("</p>\n")
	}
	b.raw(tail)
	return b.String()
}

// notHTMLBody is a minimal PDF document, served where a crawler may expect
// HTML.
const notHTMLBody = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" +
	"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
	"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
	"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n" +
	"trailer\n<< /Root 1 0 R /Size 4 >>\n%%EOF\n"
