package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// prose is a paragraph long enough to count as article prose.
const prose = `<p>The river council met again on Tuesday to weigh the new accord, and members argued for hours about water rights and fishing quotas.</p>`

// snippetRoot parses body as the article node readability would return.
func snippetRoot(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(`<html><body><div id="readability-page-1">` + body + `</div></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	var root *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if root == nil && n.Type == html.ElementNode && n.DataAtom == atom.Div {
			root = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	return root
}

// cleanSnippet parses body as the article node readability would return,
// cleans it and renders its text.
func cleanSnippet(t *testing.T, body, title string) string {
	t.Helper()
	root := snippetRoot(t, body)
	cleanBody(root, &Metadata{Title: title})
	return blockText(root)
}

func TestCleanBody(t *testing.T) {
	tests := []struct {
		name  string
		title string
		body  string
		gone  []string // text that must be removed
		kept  []string // text that must survive
	}{
		{
			name: "nav and role=navigation",
			body: `<nav><a href="/">Home</a> <a href="/news">News</a></nav><ul role="menu"><li><a href="/s">Sports</a></li></ul>` + prose,
			gone: []string{"Home", "Sports"},
			kept: []string{"river council"},
		},
		{
			name: "figcaption",
			body: `<figure><img src="a.jpg"><figcaption>The dam at dawn.</figcaption></figure>` + prose,
			gone: []string{"dam at dawn"},
			kept: []string{"river council"},
		},
		{
			name: "boilerplate id",
			body: prose + `<div id="share-tools">Tweet this story now</div>` + prose,
			gone: []string{"Tweet this"},
		},
		{
			name: "boilerplate class in camelCase",
			body: prose + `<div class="newsletterSignupBox">Get our daily email delivered</div>` + prose,
			gone: []string{"daily email"},
		},
		{
			name: "boilerplate name on the main container is kept",
			body: `<div id="comments-and-article">` + prose + prose + `</div>`,
			kept: []string{"river council"},
		},
		{
			name: "header block inside the article",
			body: `<header><span>Politics</span><p>Published Nov. 19, 2019</p></header>` + prose,
			gone: []string{"Politics", "Published"},
		},
		{
			name: "list of short links",
			body: prose + `<ul><li><a href="/a">Story one</a></li><li><a href="/b">Story two</a></li><li><a href="/c">Story three</a></li></ul>` + prose,
			gone: []string{"Story one", "Story three"},
		},
		{
			name: "list of prose items is kept",
			body: prose + `<ul><li>Bring water and a map.</li><li>Leave early.</li></ul>` + prose,
			kept: []string{"Bring water", "Leave early"},
		},
		{
			name:  "title, category, byline and date above the body",
			title: "Council weighs river accord",
			body:  `<p>Politics</p><h2>Council weighs river accord</h2><p>By Jane Doe</p><p>Updated 4:00 am, Nov. 20, 2019</p><p>https://news.example/river</p>` + prose,
			gone:  []string{"Politics", "weighs river accord", "Jane Doe", "Updated", "https"},
			kept:  []string{"river council"},
		},
		{
			name: "section heading opening the body is kept",
			body: `<h2>Background</h2>` + prose,
			kept: []string{"Background"},
		},
		{
			name: "photo credits",
			body: prose + `<p>Photo: Jane Doe / Associated Press</p><p>The dam at dawn. (AP Photo/Jane Doe)</p><p>Alex Wong | Getty Images</p><p>A rabbit in a fieldCredit: EPA</p>` + prose,
			gone: []string{"Jane Doe", "dam at dawn", "Alex Wong", "rabbit"},
		},
		{
			name: "calls to action",
			body: prose + `<p>Sign up for our morning briefing.</p><p>Read more: Council delays vote</p><p>Get the latest news in your inbox. Subscribe to our newsletters.</p>` + prose,
			gone: []string{"briefing", "delays vote", "inbox"},
		},
		{
			name: "author contact line",
			body: prose + prose + `<p>Have a tip? Jane Doe may be reached at jdoe@news.example. Follow her on Twitter.</p>`,
			gone: []string{"tip?"},
		},
		{
			name: "related label and its links",
			body: prose + `<p>More Great Stories</p><ul><li><a href="/a">A long-form piece about the river and its many moods</a></li><li><a href="/b">Why the dam matters</a> to you</li></ul>` + prose,
			gone: []string{"More Great", "many moods", "dam matters"},
		},
		{
			name: "heading and teasers after the last paragraph",
			body: prose + prose + `<h2>Most Popular</h2><p><a href="/x">Something else happened</a></p>`,
			gone: []string{"Most Popular", "Something else"},
		},
		{
			name: "repeated caption",
			body: prose + `<p>The council chamber during the vote.</p><p>The council chamber during the vote.</p>` + prose,
			kept: []string{"chamber"},
		},
		{
			name: "real paragraph mentioning subscribe survives",
			body: prose + `<p>Residents who subscribe to the water district's alerts learned of the vote late on Monday, weeks after the council had first promised to publish its plans and open the meeting to the public.</p>` + prose,
			kept: []string{"subscribe to the water district"},
		},
		{
			name: "real paragraph mentioning a photo survives",
			body: prose + `<p>The mayor, who posed for a photo with the council after the vote, said the new accord would hold for a decade, whatever the courts and the upstream towns decide next year.</p>` + prose,
			kept: []string{"posed for a photo"},
		},
		{
			name: "short list items at the top survive",
			body: `<p>What is new in this release?</p><ul><li>New tasks</li><li>Bugs fixed</li></ul>` + prose,
			kept: []string{"New tasks", "Bugs fixed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cleanSnippet(t, tt.body, tt.title)
			for _, s := range tt.gone {
				if strings.Contains(got, s) {
					t.Errorf("%q kept in %q", s, got)
				}
			}
			for _, s := range tt.kept {
				if !strings.Contains(got, s) {
					t.Errorf("%q lost from %q", s, got)
				}
			}
		})
	}
}

func TestCleanBodyRepeatKeptOnce(t *testing.T) {
	body := prose + `<p>The council chamber during the vote.</p><p>The council chamber during the vote.</p>` + prose
	got := cleanSnippet(t, body, "")
	if n := strings.Count(got, "council chamber"); n != 1 {
		t.Errorf("caption printed %d times, want 1: %q", n, got)
	}
}

// TestCleanBodyNil: readability may return no node, a page may have no
// metadata, and a body may be empty; none of them is an error.
func TestCleanBodyNil(t *testing.T) {
	cleanBody(nil, nil) // returns without touching anything

	if got := cleanSnippet(t, "", ""); got != "" {
		t.Errorf("empty body: got %q, want no text", got)
	}

	// Without metadata there is no title to drop, but boilerplate still goes.
	root := snippetRoot(t, `<h1>River council weighs accord</h1>`+prose+`<div id="share-tools">Tweet this story now</div>`)
	cleanBody(root, nil)
	got := blockText(root)
	if !strings.Contains(got, "river council") {
		t.Errorf("nil metadata lost the prose: %q", got)
	}
	for _, gone := range []string{"Tweet this", "River council weighs"} {
		if strings.Contains(got, gone) {
			t.Errorf("nil metadata kept %q: %q", gone, got)
		}
	}
}

func TestCleanNameTokens(t *testing.T) {
	got := strings.Join(cleanNameTokens("articleLabel__list read-more shareBar"), " ")
	if want := "article label list read more share bar"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
