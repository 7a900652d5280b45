package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/mmcdole/gofeed"

	"github.com/newsline/newsline/api"
)

// loadOpenAPI parses an OpenAPI document and validates it as strictly as
// kin-openapi can: defaults, examples and patterns included. A 3.1
// document is validated as 3.1 (Validate sees the version), and
// openapi3filter checks values against it with JSON Schema 2020-12.
func loadOpenAPI(t *testing.T, data []byte) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		t.Fatalf("load the OpenAPI document: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() || doc.OpenAPI != "3.1.0" {
		t.Fatalf("the document is OpenAPI %q, want 3.1.0", doc.OpenAPI)
	}
	if err := doc.Validate(loader.Context, openapi3.EnableMultiError(), openapi3.EnableSchemaDefaultsValidation(),
		openapi3.EnableExamplesValidation(), openapi3.EnableSchemaPatternValidation(),
		openapi3.EnableSchemaFormatValidation()); err != nil {
		t.Fatalf("the OpenAPI document is not valid:\n%v", err)
	}
	return doc
}

func readOpenAPIFile(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestOpenAPIRoutes holds the document and Server.Routes to each other:
// every route is documented, and every documented operation is served by
// a route, as net/http's own matching decides.
func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t, readOpenAPIFile(t))
	routes := (&api.Server{}).Routes()
	mux := http.NewServeMux()
	for _, p := range routes {
		mux.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
	}
	covered := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			target := examplePath(t, path, item, op)
			_, pattern := mux.Handler(httptest.NewRequest(method, target, nil))
			if pattern == "" {
				t.Errorf("%s %s (%s) is documented, but no route serves it", method, path, target)
				continue
			}
			covered[pattern] = true
		}
	}
	for _, p := range routes {
		if !covered[p] {
			t.Errorf("route %q is not in the OpenAPI document (api/openapi.json)", p)
		}
	}
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// examplePath fills a documented path's parameters with their examples.
func examplePath(t *testing.T, path string, item *openapi3.PathItem, op *openapi3.Operation) string {
	t.Helper()
	return pathParam.ReplaceAllStringFunc(path, func(m string) string {
		name := m[1 : len(m)-1]
		p := op.Parameters.GetByInAndName(openapi3.ParameterInPath, name)
		if p == nil {
			p = item.Parameters.GetByInAndName(openapi3.ParameterInPath, name)
		}
		if p == nil || p.Example == nil {
			t.Fatalf("%s: path parameter %s has no example", path, name)
		}
		return url.PathEscape(fmt.Sprint(p.Example))
	})
}

// validator checks live exchanges against the document and records which
// documented responses it has seen.
type validator struct {
	doc    *openapi3.T
	router routers.Router
	seen   map[string]bool // "operationId status"
}

func newValidator(t *testing.T, doc *openapi3.T) *validator {
	t.Helper()
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &validator{doc: doc, router: router, seen: map[string]bool{}}
}

// exchange is a request made and the answer it got.
type exchange struct {
	req    *http.Request
	status int
	header http.Header
	body   []byte // decompressed
}

// send makes a request with header and reads the whole answer. The
// transport would ask for gzip and undo it itself; tests ask for it only
// when a case does, and see the body as sent.
func send(t *testing.T, method, target string, header http.Header) exchange {
	t.Helper()
	req, err := http.NewRequest(method, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return exchange{req: req, status: resp.StatusCode, header: resp.Header, body: body}
}

// do is send, with a gzipped body decompressed.
func do(t *testing.T, method, target string, header http.Header) exchange {
	t.Helper()
	x := send(t, method, target, header)
	body := x.body
	if x.header.Get("Content-Encoding") == "gzip" && len(body) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s %s: %v", method, target, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s %s: %v", method, target, err)
		}
	}
	x.body = body
	return x
}

func (x exchange) String() string {
	return fmt.Sprintf("%s %s → %d", x.req.Method, x.req.URL.RequestURI(), x.status)
}

// operation validates x against its documented operation: the request
// (which the document must reject when invalid is set, and accept
// otherwise), then the status, headers and body of the answer.
func (v *validator) operation(t *testing.T, x exchange, invalid bool) {
	t.Helper()
	ctx := context.Background()
	route, params, err := v.router.FindRoute(x.req)
	if err != nil {
		t.Errorf("%v: not in the document: %v", x, err)
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: x.req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{SkipSettingDefaults: true, MultiError: true, AuthenticationFunc: hasCredentials}}
	switch err := openapi3filter.ValidateRequest(ctx, in); {
	case invalid && err == nil:
		t.Errorf("%v: the document accepts a request the server refuses", x)
	case !invalid && err != nil:
		t.Errorf("%v: the document refuses a request the server takes: %v", x, err)
	}
	v.response(t, x, in)
	v.seen[fmt.Sprintf("%s %d", route.Operation.OperationID, x.status)] = true
}

// hasCredentials is the validator's check of an operation's security: the
// request carries the credentials a scheme names (whether they are valid
// is the server's business).
func hasCredentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch in.SecuritySchemeName {
	case "bearer":
		if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			return nil
		}
	case "cookie":
		if _, err := r.Cookie(api.SessionCookie); err == nil {
			return nil
		}
	}
	return fmt.Errorf("no credentials for %s", in.SecuritySchemeName)
}

// response validates x's answer against in's route, which must document
// its status.
func (v *validator) response(t *testing.T, x exchange, in *openapi3filter.RequestValidationInput) {
	t.Helper()
	ref := in.Route.Operation.Responses.Status(x.status)
	if ref == nil {
		t.Errorf("%v: status not documented", x)
		return
	}
	if x.status == http.StatusNotModified {
		// openapi3filter skips a 304 altogether.
		v.headers(t, x, ref.Value)
		if len(x.body) > 0 {
			t.Errorf("%v: a body", x)
		}
		return
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: x.status, Header: x.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(x.body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%v: %v\n%.600s", x, err, x.body)
	}
	mt, _, _ := strings.Cut(x.header.Get("Content-Type"), ";")
	media := ref.Value.Content.Get(mt)
	if media != nil && media.Schema == nil {
		v.opaque(t, x, mt)
	}
}

// opaque checks a body the document gives no schema: XML feeds, HTML,
// PNG, MP3, WebVTT and JSON chapters are what their media type says.
func (v *validator) opaque(t *testing.T, x exchange, mediaType string) {
	t.Helper()
	switch mediaType {
	case "application/rss+xml", "application/atom+xml":
		f, err := gofeed.NewParser().ParseString(string(x.body))
		if err != nil {
			t.Errorf("%v: %s does not parse: %v", x, mediaType, err)
			return
		}
		if want := strings.TrimSuffix(strings.TrimPrefix(mediaType, "application/"), "+xml"); f.FeedType != want {
			t.Errorf("%v: a %s feed served as %s", x, f.FeedType, mediaType)
		}
	case "text/css":
		if !strings.Contains(string(x.body), "{") {
			t.Errorf("%v: not a stylesheet: %.100s", x, x.body)
		}
	case "text/html", "image/png":
		if got, _, _ := strings.Cut(http.DetectContentType(x.body), ";"); got != mediaType {
			t.Errorf("%v: the body is %s, served as %s", x, got, mediaType)
		}
	case "audio/mpeg":
		// A whole file starts with its ID3 tag or a frame's sync bits; a
		// range is what Content-Range says.
		b := x.body
		whole := len(b) > 3 && (string(b[:3]) == "ID3" || b[0] == 0xff && b[1]&0xe0 == 0xe0)
		if x.status == http.StatusOK && !whole || x.status == http.StatusPartialContent && len(b) == 0 {
			t.Errorf("%v: not MP3 (%d bytes)", x, len(b))
		}
	case "text/vtt":
		if !strings.HasPrefix(string(x.body), "WEBVTT") {
			t.Errorf("%v: not WebVTT", x)
		}
	case "application/json+chapters":
		var doc struct {
			Version  string
			Chapters []struct {
				StartTime *float64
				Title     string
			}
		}
		if err := json.Unmarshal(x.body, &doc); err != nil || doc.Version == "" || len(doc.Chapters) == 0 || doc.Chapters[0].StartTime == nil {
			t.Errorf("%v: not JSON chapters (%v)", x, err)
		}
	case "text/plain":
		if len(x.body) == 0 {
			t.Errorf("%v: empty", x)
		}
	default:
		t.Errorf("%v: %s has no schema and no check", x, mediaType)
	}
}

// headers checks x's headers against a documented response's, for the
// answers openapi3filter does not look at.
func (v *validator) headers(t *testing.T, x exchange, resp *openapi3.Response) {
	t.Helper()
	for name, h := range resp.Headers {
		value := x.header.Get(name)
		if value == "" {
			if h.Value.Required {
				t.Errorf("%v: no %s header", x, name)
			}
			continue
		}
		if err := h.Value.Schema.Value.VisitJSON(value, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("%v: header %s: %v", x, name, err)
		}
	}
}

// head checks that HEAD answers as GET did, without a body, and validates
// its headers against the GET operation.
func (v *validator) head(t *testing.T, get, head exchange) {
	t.Helper()
	if head.status != get.status || head.header.Get("Content-Type") != get.header.Get("Content-Type") || len(head.body) > 0 {
		t.Errorf("%v: %q and %d bytes; GET answered %d %q", head, head.header.Get("Content-Type"), len(head.body),
			get.status, get.header.Get("Content-Type"))
	}
	route, params, err := v.router.FindRoute(get.req)
	if err != nil {
		t.Errorf("%v: %v", get, err)
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: get.req, PathParams: params, Route: route}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: head.status, Header: head.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, ExcludeResponseBody: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%v: %v", head, err)
	}
}

// component validates an answer no operation has (a 405, a 404 for a
// path without a route) against the named component response.
func (v *validator) component(t *testing.T, x exchange, name string, status int) {
	t.Helper()
	if x.status != status {
		t.Errorf("%v, want %d: %.300s", x, status, x.body)
		return
	}
	ref := v.doc.Components.Responses[name]
	if ref == nil {
		t.Fatalf("no component response %s", name)
	}
	if _, _, err := v.router.FindRoute(x.req); err == nil && status == http.StatusNotFound {
		t.Errorf("%v: the document has the path", x)
	}
	op := &openapi3.Operation{OperationID: name, Responses: openapi3.NewResponses(openapi3.WithStatus(status, ref))}
	get := x.req.Clone(context.Background())
	get.Method = http.MethodGet // openapi3filter skips HEAD; the method matters to nothing else here
	in := &openapi3filter.RequestValidationInput{Request: get, Route: &routers.Route{Spec: v.doc, Method: get.Method, Operation: op}}
	v.response(t, x, in)
}

// everyResponseSeen fails for each documented status of an operation
// that no exchange had: a document that promises answers the server never
// gives is as wrong as one that misses some.
func (v *validator) everyResponseSeen(t *testing.T) {
	t.Helper()
	for path, item := range v.doc.Paths.Map() {
		for method, op := range item.Operations() {
			var missing []string
			for status := range op.Responses.Map() {
				if !v.seen[op.OperationID+" "+status] {
					missing = append(missing, status)
				}
			}
			slices.Sort(missing)
			if len(missing) > 0 {
				t.Errorf("%s %s (%s): never answered %s", method, path, op.OperationID, strings.Join(missing, ", "))
			}
		}
	}
}

// TestOpenAPIValidatorRejects makes sure the validator is strict where the
// live test relies on it: an undocumented field, a wrong type, a bad time,
// a missing required field and a stray null all fail.
func TestOpenAPIValidatorRejects(t *testing.T) {
	doc := loadOpenAPI(t, readOpenAPIFile(t))
	v := newValidator(t, doc)
	good := map[string]any{"id": 7, "site": "news.example", "url": "https://news.example/a", "canonical_url": "https://news.example/a",
		"title": "A", "authors": []string{}, "published_at": nil, "excerpt": "", "word_count": 3, "fetched_at": "2026-11-19T08:00:00Z",
		"keywords": []string{}, "kind": "article", "completeness": 0.9, "text": "Text.", "html": "<p>Text.</p>"}
	for _, tt := range []struct {
		name   string
		change func(map[string]any)
		ok     bool
	}{
		{"as is", func(map[string]any) {}, true},
		{"undocumented field", func(a map[string]any) { a["secret"] = "x" }, false},
		{"a search hit's field", func(a map[string]any) { a["rank"] = 1.0 }, false},
		{"wrong type", func(a map[string]any) { a["id"] = "7" }, false},
		{"bad time", func(a map[string]any) { a["fetched_at"] = "yesterday" }, false},
		{"missing field", func(a map[string]any) { delete(a, "kind") }, false},
		{"null not allowed", func(a map[string]any) { a["modified_at"] = nil }, false},
		{"unknown kind", func(a map[string]any) { a["kind"] = "blog" }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := map[string]any{}
			for k, val := range good {
				a[k] = val
			}
			tt.change(a)
			body, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodGet, "/api/v1/articles/7", nil)
			route, params, err := v.router.FindRoute(req)
			if err != nil {
				t.Fatal(err)
			}
			out := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
				Status:                 200, Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
				Options: &openapi3filter.Options{IncludeResponseStatus: true}}
			out.SetBodyBytes(body)
			if err := openapi3filter.ValidateResponse(context.Background(), out); (err == nil) != tt.ok {
				t.Errorf("valid: %v, want %v (%v)", err == nil, tt.ok, err)
			}
		})
	}
}
