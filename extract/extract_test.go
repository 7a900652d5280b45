package extract

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func page(head, body string) []byte {
	return []byte(`<!doctype html><html lang="en"><head>` + head + `</head><body>` + body + `</body></html>`)
}

func paragraphs(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d says that the river council met again on Tuesday to weigh the new accord, and members argued for hours about water rights, fishing quotas and the cost of the dam repairs.</p>\n", i)
	}
	return b.String()
}

func TestExtractArticle(t *testing.T) {
	html := page(`<title>River accord signed | Daily Planet</title>
		<link rel="canonical" href="/world/river-accord">
		<meta property="og:image" content="/img/river.jpg">
		<script>alert("x")</script>`,
		`<nav><a href="/">Home</a><a href="/world">World</a></nav>
		<article><h1>River accord signed</h1>
		<p class="byline">By Jane Doe and John Roe</p>
		<time datetime="2026-11-19T14:05:00Z">November 19, 2026</time>
		`+paragraphs(6)+`<p><a href="javascript:alert(1)" onclick="evil()">click</a></p></article>
		<footer>Copyright</footer>`)
	a, err := New().Extract(context.Background(), "https://news.example/world/river-accord?utm_source=x", html)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "River accord signed" && !strings.HasPrefix(a.Title, "River accord signed") {
		t.Errorf("title %q", a.Title)
	}
	if want := []string{"Jane Doe", "John Roe"}; !reflect.DeepEqual(a.Authors, want) {
		t.Errorf("authors %q, want %q (byline %q)", a.Authors, want, a.Byline)
	}
	if a.PublishedAt == nil || !a.PublishedAt.Equal(time.Date(2026, 11, 19, 14, 5, 0, 0, time.UTC)) {
		t.Errorf("published %v", a.PublishedAt)
	}
	if a.CanonicalURL != "https://news.example/world/river-accord" {
		t.Errorf("canonical %q", a.CanonicalURL)
	}
	if a.ImageURL != "https://news.example/img/river.jpg" {
		t.Errorf("image %q", a.ImageURL)
	}
	if got := strings.Count(a.Text, "\n\n"); got < 5 {
		t.Errorf("text lost its paragraph breaks (%d breaks): %q", got, a.Text)
	}
	if strings.Contains(a.Text, "Copyright") || strings.Contains(a.Text, "Home") {
		t.Errorf("boilerplate kept: %q", a.Text)
	}
	for _, bad := range []string{"<script", "javascript:", "onclick"} {
		if strings.Contains(a.HTML, bad) {
			t.Errorf("sanitized HTML still has %s: %s", bad, a.HTML)
		}
	}
	if a.Language != "en" || a.WordCount < MinWords {
		t.Errorf("language %q, words %d", a.Language, a.WordCount)
	}
}

func TestExtractRejects(t *testing.T) {
	tests := []struct {
		name string
		page []byte
		want error
	}{
		{"nothing", page("", ""), ErrNotArticle},
		{"too large", make([]byte, MaxPageBytes+1), ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().Extract(context.Background(), "https://news.example/x", tt.page)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestExtractKinds(t *testing.T) {
	longParas := paragraphs(6)
	tests := []struct {
		name, url string
		page      []byte
		kind      string
	}{
		{"article", "https://news.example/world/river-accord-signed", page("<title>River accord signed</title>",
			`<article><h1>River accord signed</h1><p class="byline">By Jane Doe</p><time datetime="2026-11-19">Nov 19</time>`+longParas+`</article>`), KindArticle},
		{"stub", "https://news.example/world/short-note", page("<title>Short</title>", "<p>Just a few words here, nothing more to read.</p>"), KindStub},
		{"index", "https://news.example/world", page("<title>World</title>", strings.Repeat(`<li><a href="/a">A headline about something that happened</a></li>`, 40)), KindIndex},
		{"error", "https://news.example/missing", page("<title>Page not found</title>", "<h1>Page not found</h1><p>Sorry, the page you asked for does not exist or has moved somewhere else entirely.</p>"), KindError},
		{"paywall", "https://news.example/world/deal", page("<title>Big deal agreed</title>",
			"<article><h1>Big deal agreed</h1><p>Negotiators reached a deal late on Tuesday after weeks of talks in the capital, officials said, and the details will be published next week by the ministry.</p><p>Subscribe to continue reading this article.</p></article>"), KindPaywall},
		{"gallery", "https://news.example/gallery/best-photos", page("<title>Best photos</title>",
			"<article><h1>Best photos of the week</h1>"+strings.Repeat(`<figure><img src="/p.jpg"><figcaption>A photo of the river at dawn</figcaption></figure>`, 12)+"<p>Our pick of the week's pictures from around the world, chosen by the photo desk.</p></article>"), KindGallery},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := New().Extract(context.Background(), tt.url, tt.page)
			if err != nil {
				t.Fatal(err)
			}
			if a.Kind != tt.kind {
				t.Fatalf("kind %q (%s), want %q", a.Kind, a.KindReason, tt.kind)
			}
			if (a.Kind == KindArticle) != (a.Completeness >= MinCompleteness) {
				t.Fatalf("kind %s with completeness %.2f", a.Kind, a.Completeness)
			}
			if a.Kind != KindArticle && a.KindReason == "" {
				t.Fatalf("no reason for kind %s", a.Kind)
			}
		})
	}
}

func TestJSONLDBodyWhenReadabilityFindsNone(t *testing.T) {
	body := strings.Repeat("The council approved the budget after a long debate about roads and schools. ", 8)
	p := page(`<title>Budget approved</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"Budget approved","articleBody":"`+body+`"}</script>`,
		`<div id="app"></div><script>render()</script>`)
	a, err := New().Extract(context.Background(), "https://news.example/budget-approved-today", p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "council approved the budget") || a.Sources["text"] != "json-ld" || !strings.Contains(a.HTML, "<p>") {
		t.Fatalf("text %q from %q, html %q", a.Text, a.Sources["text"], a.HTML)
	}
}

// TestDeclaredLanguageFallback: when the text is too short to detect, the
// page's declared language counts, reduced to its primary subtag, and a
// declaration that is no language tag counts for nothing.
func TestDeclaredLanguageFallback(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"pt-BR", "pt"},
		{"DE", "de"},
		{"english-usa", ""},
		{"", ""},
	}
	for _, tt := range tests {
		doc := `<!doctype html><html lang="` + tt.lang + `"><head><title>Short notice from the council</title></head>` +
			`<body><article><h1>Short notice from the council</h1><p>Closed today.</p></article></body></html>`
		a, err := New().Extract(context.Background(), "https://news.example/notice", []byte(doc))
		if err != nil {
			t.Fatalf("lang %q: %v", tt.lang, err)
		}
		if a.Language != tt.want {
			t.Errorf("lang %q: language %q, want %q", tt.lang, a.Language, tt.want)
		}
	}
}
