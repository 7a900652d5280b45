package crawler

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/htmlindex"
)

// metaCharset finds a charset declared in a <meta> element anywhere.
var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.-]+)`)

// errBodyTooLarge is returned when a response announces, or turns out to
// have, more bytes than the crawler reads.
var errBodyTooLarge = errors.New("response body too large")

// limitTransport sits under colly and makes every response safe to read:
//   - a Content-Length over the limit is refused before the body is read;
//   - gzip that the HTTP stack did not undo (sitemap.xml.gz, a gzip
//     Content-Type) is decompressed here with the limit applied to the
//     decompressed bytes, so a gzip bomb stops at the limit;
//   - text is converted to UTF-8 here, trusting the bytes over a wrong
//     declared charset, so colly sees charset=utf-8 and leaves it alone.
type limitTransport struct {
	base     http.RoundTripper
	maxBytes int64
	// site and onFetch report each exchange (Options.OnFetch).
	site    string
	onFetch func(site, outcome string)
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.roundTrip(req)
	if t.onFetch != nil {
		t.onFetch(t.site, fetchOutcome(resp, err))
	}
	return resp, err
}

// fetchOutcome names what an exchange came to, for Options.OnFetch.
func fetchOutcome(resp *http.Response, err error) string {
	switch {
	case errors.Is(err, errBodyTooLarge):
		return FetchTooLarge
	case err != nil || resp == nil:
		return FetchFailed
	case resp.StatusCode == http.StatusNotModified:
		return FetchNotModified
	case resp.StatusCode >= 500:
		return FetchServerError
	case resp.StatusCode >= 400:
		return FetchClientError
	case resp.StatusCode >= 300:
		return FetchRedirect
	}
	return FetchOK
}

func (t *limitTransport) roundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > t.maxBytes && resp.Header.Get("Content-Encoding") == "" {
		resp.Body.Close()
		return nil, fmt.Errorf("%w: Content-Length %d over %d", errBodyTooLarge, resp.ContentLength, t.maxBytes)
	}
	ce := strings.ToLower(resp.Header.Get("Content-Encoding"))
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	if !resp.Uncompressed && (strings.Contains(ce, "gzip") || (ce == "" && strings.Contains(ct, "gzip")) ||
		strings.HasSuffix(strings.ToLower(req.URL.Path), ".gz")) {
		resp.Body = &gunzipBody{raw: resp.Body, max: t.maxBytes}
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
		if strings.Contains(ct, "gzip") || ct == "" {
			resp.Header.Set("Content-Type", "application/xml")
		}
	}
	if isText(resp.Header.Get("Content-Type")) && resp.StatusCode == http.StatusOK {
		if err := toUTF8(resp, t.maxBytes); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

func isText(contentType string) bool {
	ct := strings.ToLower(contentType)
	return ct == "" || strings.Contains(ct, "html") || strings.Contains(ct, "xml") || strings.HasPrefix(ct, "text/")
}

// toUTF8 reads the body (up to one byte over the limit, so the caller can
// still tell it was too large) and replaces it with its UTF-8 form.
func toUTF8(resp *http.Response, maxBytes int64) error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	resp.Body.Close()
	if err != nil {
		return err
	}
	ct := resp.Header.Get("Content-Type")
	body = DecodeHTML(body, ct)
	// Valid UTF-8 with non-ASCII bytes is almost never text in another
	// encoding, so a declared latin-1 is ignored here.
	mediatype, _, err := mime.ParseMediaType(ct)
	if err != nil || mediatype == "" {
		mediatype = "text/html"
	}
	resp.Header.Set("Content-Type", mediatype+"; charset=utf-8")
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return nil
}

// gunzipBody decompresses lazily and stops one byte past max.
type gunzipBody struct {
	raw io.ReadCloser
	max int64
	r   io.Reader
	err error
}

func (g *gunzipBody) Read(p []byte) (int, error) {
	if g.r == nil && g.err == nil {
		zr, err := gzip.NewReader(g.raw)
		if err != nil {
			g.err = fmt.Errorf("gunzip: %w", err)
		} else {
			g.r = io.LimitReader(zr, g.max+1)
		}
	}
	if g.err != nil {
		return 0, g.err
	}
	return g.r.Read(p)
}

func (g *gunzipBody) Close() error { return g.raw.Close() }

// DecodeHTML returns page bytes as UTF-8 the way the crawler stores them.
// Bytes that are valid UTF-8 are kept as they are, whatever the declared
// charset: non-ASCII text that happens to be valid UTF-8 almost never is
// another encoding. Otherwise the Content-Type's charset (unless it claims
// UTF-8, which the bytes just disproved), a BOM or a <meta charset> decide,
// with windows-1252 as the fallback, as browsers do; bytes that still do
// not decode become U+FFFD. contentType may be empty.
func DecodeHTML(body []byte, contentType string) []byte {
	if utf8.Valid(body) {
		return body
	}
	mediatype, params, _ := mime.ParseMediaType(contentType)
	if cs := strings.ToLower(params["charset"]); cs == "utf-8" || cs == "utf8" {
		contentType = mediatype
	}
	enc, _, certain := charset.DetermineEncoding(body, contentType)
	if !certain {
		// The prescan reads only the first 1024 bytes; a <meta charset>
		// after a long head (or an archive's injected toolbar) still counts.
		if m := metaCharset.FindSubmatch(body[:min(len(body), 64<<10)]); m != nil {
			if e, err := htmlindex.Get(string(m[1])); err == nil {
				enc = e
			}
		}
	}
	if decoded, err := enc.NewDecoder().Bytes(body); err == nil {
		body = decoded
	}
	return bytes.ToValidUTF8(body, []byte("\uFFFD"))
}
