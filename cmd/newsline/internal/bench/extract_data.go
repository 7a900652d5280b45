package bench

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/internal/textscore"
)

// ErrNoData means the evaluation data set is not where it was looked for.
var ErrNoData = errors.New("extraction data not found")

// Formats of extraction data set, each with its own metric.
const (
	// FormatBody is the article-extraction-benchmark layout
	// (ground-truth.json): whole-body shingle F1, pages weighted equally.
	FormatBody = "body"
	// FormatSnippets is trafilatura's evaluation layout (snippets.json):
	// snippets that must and must not appear, pooled over all pages.
	FormatSnippets = "snippets"
)

// ExtractPage is one page of an extraction data set.
type ExtractPage struct {
	ID  string
	URL string
	// HTML is the page decoded to UTF-8 as the crawler decodes it.
	HTML []byte
	// Truth is the whole article body (FormatBody).
	Truth string
	// Snippets are the page's checks (FormatSnippets).
	Snippets textscore.SnippetPage
}

// ExtractData is a loaded data set.
type ExtractData struct {
	Format string
	Pages  []ExtractPage
}

// SharedDataDir is where the project's shared data sets sit: the
// NEWSLINE_SHARED_DATA environment variable, else ../shared/data seen from
// the repository root, found by walking up from the working directory.
func SharedDataDir() string {
	if d := os.Getenv("NEWSLINE_SHARED_DATA"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "data")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// LoadExtractionData reads a data set in either layout: ground-truth.json
// or snippets.json beside html/<id>.html.gz.
func LoadExtractionData(dir string) (*ExtractData, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "snippets.json"))
	if err == nil {
		return loadSnippets(dir, raw)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("bench: %w", err)
	}
	raw, err = os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("%w in %s: no snippets.json or ground-truth.json: %v", ErrNoData, dir, err)
	}
	return loadBodies(dir, raw)
}

func loadBodies(dir string, raw []byte) (*ExtractData, error) {
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		return nil, fmt.Errorf("bench: %s/ground-truth.json: %w", dir, err)
	}
	d := &ExtractData{Format: FormatBody}
	for id, g := range gt {
		p := ExtractPage{ID: id, URL: g.URL, Truth: g.ArticleBody}
		if err := p.read(dir); err != nil {
			return nil, err
		}
		d.Pages = append(d.Pages, p)
	}
	d.sort()
	return d, nil
}

func loadSnippets(dir string, raw []byte) (*ExtractData, error) {
	var sn map[string]struct {
		URL     string   `json:"url"`
		With    []string `json:"with"`
		Without []string `json:"without"`
	}
	if err := json.Unmarshal(raw, &sn); err != nil {
		return nil, fmt.Errorf("bench: %s/snippets.json: %w", dir, err)
	}
	d := &ExtractData{Format: FormatSnippets}
	for id, s := range sn {
		p := ExtractPage{ID: id, URL: pageURL(s.URL), Snippets: textscore.SnippetPage{With: s.With, Without: s.Without}}
		if err := p.read(dir); err != nil {
			return nil, err
		}
		d.Pages = append(d.Pages, p)
	}
	d.sort()
	return d, nil
}

// pageURL gives a page without a usable address one, since extractors
// resolve links against it.
func pageURL(u string) string {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return u
	}
	return "https://example.invalid/" + strings.TrimLeft(u, "/")
}

func (p *ExtractPage) read(dir string) error {
	raw, err := readGzip(filepath.Join(dir, "html", p.ID+".html.gz"))
	if err != nil {
		return fmt.Errorf("bench: page %s: %w", p.ID, err)
	}
	p.HTML = crawler.DecodeHTML(raw, "")
	return nil
}

func (d *ExtractData) sort() {
	slices.SortFunc(d.Pages, func(a, b ExtractPage) int { return strings.Compare(a.ID, b.ID) })
}

func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
