package extract

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"testing"

	readability "github.com/go-shiori/go-readability"

	"github.com/newsline/newsline/internal/textscore"
)

const devData = "../../shared/data/extraction-dev"

// TestExtractionDevSet scores Newsline's extractor and plain go-readability
// on the shared development pages and logs the figures; `newsline bench
// extract` is the full benchmark. It asserts only that Newsline does not
// score below plain readability.
func TestExtractionDevSet(t *testing.T) {
	gtBytes, err := os.ReadFile(filepath.Join(devData, "ground-truth.json"))
	if err != nil {
		t.Skipf("extraction dev data not available (%v)", err)
	}
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(gtBytes, &gt); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 0, len(gt))
	for id := range gt {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	x := New()
	var ours, plain []textscore.Page
	preds := map[string]string{}
	type worst struct {
		id string
		f1 float64
	}
	var worsts []worst
	for _, id := range ids {
		f, err := os.Open(filepath.Join(devData, "html", id+".html.gz"))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		truth := gt[id].ArticleBody
		a, _ := x.Extract(context.Background(), gt[id].URL, page)
		preds[id] = a.Text
		p := textscore.Score(truth, a.Text)
		ours = append(ours, p)
		worsts = append(worsts, worst{id, textscore.Summarize([]textscore.Page{p}).F1})
		u, _ := url.Parse(gt[id].URL)
		r, err := readability.FromReader(bytes.NewReader(page), u)
		if err != nil {
			plain = append(plain, textscore.Score(truth, ""))
			continue
		}
		plain = append(plain, textscore.Score(truth, r.TextContent))
	}
	o, p := textscore.Summarize(ours), textscore.Summarize(plain)
	t.Logf("newsline:        P %.4f R %.4f F1 %.4f (%d pages)", o.Precision, o.Recall, o.F1, o.Pages)
	t.Logf("go-readability:  P %.4f R %.4f F1 %.4f", p.Precision, p.Recall, p.F1)
	sort.Slice(worsts, func(i, j int) bool { return worsts[i].f1 < worsts[j].f1 })
	for _, w := range worsts[:8] {
		t.Logf("worst: %s F1 %.3f", w.id, w.f1)
	}
	if out := os.Getenv("NEWSLINE_EVAL_OUT"); out != "" {
		b, _ := json.Marshal(preds)
		os.WriteFile(out, b, 0o644)
	}
	if o.F1 < p.F1-0.005 {
		t.Errorf("Newsline's extractor (F1 %.4f) scores below plain go-readability (%.4f)", o.F1, p.F1)
	}
}
