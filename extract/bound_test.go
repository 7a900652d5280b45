package extract

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// bigPage builds a page of about n bytes: an article of many paragraphs
// inside link-heavy boilerplate. words sets the paragraph length, so the
// same size can be many small elements or few large ones.
func bigPage(n, words int) []byte {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><title>A very long page</title></head><body>`)
	for i := 0; b.Len() < n/10; i++ {
		fmt.Fprintf(&b, `<div class="nav"><ul><li><a href="/s/%d">Section %d</a></li><li><a href="/t/%d">Topic %d</a></li></ul></div>`, i, i, i, i)
	}
	b.WriteString("<article><h1>A very long page</h1>")
	para := strings.Repeat("of a report about the river, the council and the budget ", words/10)
	for i := 0; b.Len()+len(para)+100 < n; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d %s</p>", i, para)
	}
	b.WriteString("</article></body></html>")
	return []byte(b.String())
}

func TestLargePageIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("large page")
	}
	for _, words := range []int{20, 200, 2000} {
		page := bigPage(MaxPageBytes-1024, words)
		start := time.Now()
		a, err := New().Extract(context.Background(), "https://news.example/long", page)
		elapsed := time.Since(start)
		switch {
		case err == nil:
			if a.WordCount == 0 {
				t.Fatalf("no text from a 5 MB page")
			}
		case errors.Is(err, ErrTooComplex):
			// Cut off with a reason: fine.
		default:
			t.Fatalf("5 MB page: %v", err)
		}
		// The bound itself is measured here, not asserted: timing belongs
		// in benchmarks. See BenchmarkLargePage.
		t.Logf("5 MB page of %d-word paragraphs: %s, err %v, %d words", words, elapsed, err, a.WordCount)
	}
	// Just under the text limit: extracted in full.
	page := bigPage(MaxTextBytes*9/10, 200)
	start := time.Now()
	a, err := New().Extract(context.Background(), "https://news.example/long", page)
	if err != nil || a.WordCount < 100000 {
		t.Fatalf("0.9 MB page: %v, %d words", err, a.WordCount)
	}
	t.Logf("0.9 MB of text: %s, %d words", time.Since(start), a.WordCount)
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte(`<html><head><title>T</title></head><body><article><p>Hello world.</p></article></body></html>`))
	f.Add([]byte(`<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"H","author":[{"name":"A"}],"datePublished":"2026-01-01"}</script></head><body><p>x</p>`))
	f.Add([]byte(`<p><div><table><tr><td><p>unclosed <!-- comment`))
	f.Add([]byte("\x00\xff\xfe<html><body>\xc3\x28</body>"))
	f.Add([]byte(`<meta property="og:title" content="&amp;&lt;"><time datetime="99999-99-99">x</time><div class="byline">By , and &amp;</div>`))
	x := New()
	f.Fuzz(func(t *testing.T, page []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		a, err := x.Extract(ctx, "https://news.example/fuzz", page)
		if err == nil && a.Kind == "" {
			t.Fatalf("extracted an article without a kind")
		}
	})
}

func BenchmarkLargePage(b *testing.B) {
	x := New()
	b.Run("text_just_under_the_limit", func(b *testing.B) {
		page := bigPage(MaxTextBytes*9/10, 200)
		for b.Loop() {
			x.Extract(context.Background(), "https://news.example/long", page)
		}
	})
	for _, words := range []int{20, 200, 2000} {
		page := bigPage(MaxPageBytes-1024, words)
		b.Run(fmt.Sprintf("paragraphs_of_%d_words", words), func(b *testing.B) {
			for b.Loop() {
				x.Extract(context.Background(), "https://news.example/long", page)
			}
		})
	}
}
