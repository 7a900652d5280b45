package testsite

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// jsonLDZones are the offsets used for JSON-LD timestamps.
var jsonLDZones = []*time.Location{
	time.FixedZone("UTC", 0),
	time.FixedZone("EST", -5*3600),
	time.FixedZone("CET", 1*3600),
	time.FixedZone("PST", -8*3600),
	time.FixedZone("IST", 5*3600+1800),
}

var estZone = time.FixedZone("EST", -5*3600)

// Generate builds the site described by cfg.
func Generate(cfg Config) *Site {
	cfg = cfg.withDefaults()
	n := cfg.Articles
	s := &Site{
		cfg:       cfg,
		articles:  make([]Article, n),
		render:    make([]render, n),
		byPath:    make(map[string]int, n),
		bySection: make(map[string][]int, len(cfg.Sections)),
		images:    map[string]bool{logoImage: true},
		revisions: make([]int, n),
		limits:    map[string]int{},
	}
	g := &siteGen{
		now:     cfg.Now.Truncate(time.Minute),
		offsets: publicationOffsets(cfg, n),
		text:    newTextGen(),
		titles:  make(map[string]bool, n),
		tr:      newRNG(cfg.Seed, streamTitles),
		uniq:    newUniqueWords(),
		ur:      newRNG(cfg.Seed, streamUniqueWords),
	}
	for i := range n {
		s.generateArticle(g, i)
	}
	for i := range n {
		s.render[i].related = s.pickRelated(i)
		s.render[i].comments = makeComments(newRNG(cfg.Seed, articleStream(streamComments, i)))
		if cfg.LinkInBodies {
			s.render[i].deadLink = s.deadPath(i)
		}
	}
	return s
}

// siteGen holds what the articles of one site draw from in turn: the
// random streams shared by all of them and the titles and words already
// used.
type siteGen struct {
	now     time.Time
	offsets []int // minutes before now, ascending
	text    *textGen
	titles  map[string]bool
	tr      *rng // titles
	uniq    *uniqueWords
	ur      *rng // unique words
}

// publicationOffsets draws each article's age in minutes, sorted, so index
// 0 is the newest article.
func publicationOffsets(cfg Config, n int) []int {
	dr := newRNG(cfg.Seed, streamDates)
	offsets := make([]int, n)
	for i := range offsets {
		offsets[i] = 1 + dr.intn(int(cfg.Span/time.Minute)-1)
	}
	slices.Sort(offsets)
	return offsets
}

// generateArticle makes article i and its presentation. The order of the
// draws from the article's stream is part of the site: changing it changes
// every page.
func (s *Site) generateArticle(g *siteGen, i int) {
	r := newRNG(s.cfg.Seed, articleStream(streamArticle, i))
	a := &s.articles[i]
	rd := &s.render[i]

	a.Title = newTitle(g.tr, g.titles)
	a.UniqueWord = g.uniq.next(g.ur)
	a.Section = pick(r, s.cfg.Sections)
	a.Disallowed = (i+1)%s.cfg.DisallowedEvery == 0
	a.Published = g.now.Add(-time.Duration(g.offsets[i]) * time.Minute)
	a.Modified = a.Published.Add(time.Duration(r.between(0, 240)) * time.Minute)
	if a.Modified.After(g.now) {
		a.Modified = g.now
	}
	a.Authors = drawAuthors(r)
	writeBody(r, g.text, a)
	drawPresentation(r, a, rd)
	s.drawImage(r, a)
	a.Path = s.articlePath(r, i, a)
	s.byPath[a.Path] = i
	s.bySection[a.Section] = append(s.bySection[a.Section], i)
}

// drawAuthors returns one author, or two in three articles out of ten.
func drawAuthors(r *rng) []string {
	first := r.intn(len(firstNames))
	authors := []string{firstNames[first] + " " + pick(r, lastNames)}
	if r.chance(0.3) {
		second := (first + 1 + r.intn(len(firstNames)-1)) % len(firstNames)
		authors = append(authors, firstNames[second]+" "+pick(r, lastNames))
	}
	return authors
}

// writeBody decides whether the page carries JSON-LD and writes the
// paragraphs, one of them (never the first) holding the unique word, and
// the teaser.
func writeBody(r *rng, text *textGen, a *Article) {
	a.JSONLD = r.chance(jsonLDShare)
	np := r.between(5, 12)
	uniquePara := r.between(1, np-1)
	a.Paragraphs = make([]string, np)
	for p := range a.Paragraphs {
		inject := ""
		if p == uniquePara {
			inject = a.UniqueWord
		}
		a.Paragraphs[p] = text.paragraph(r, r.between(40, 90), inject)
	}
	a.Teaser = firstSentence(a.Paragraphs[0])
}

// drawPresentation chooses how the page shows the date and byline, the
// JSON-LD time zone and the inline ad.
func drawPresentation(r *rng, a *Article, rd *render) {
	rd.dateStyle = r.intn(numDateStyle)
	rd.timeTag = r.chance(0.5)
	rd.zone = pick(r, jsonLDZones)
	rd.adID = r.between(1000, 9999)
	a.DateText = dateText(rd.dateStyle, a.Published)
	style := bylinePlain
	if len(a.Authors) == 1 && r.chance(0.4) {
		style = bylineUpperRole
	}
	a.Byline = bylineText(style, a.Authors)
}

// drawImage gives half the articles an og:image, and every article with
// one or with JSON-LD an image of its own.
func (s *Site) drawImage(r *rng, a *Article) {
	a.OGImage = r.chance(0.5)
	if a.JSONLD || a.OGImage {
		// Hex names cannot contain a unique word (those need x, z, v or k).
		name := strconv.FormatUint(1<<48|r.next()>>16, 16)[1:] + ".jpg"
		a.Image = "/images/" + name
		s.images[name] = true
	}
}

// articlePath returns article i's path: section, date, slug and a hex
// suffix (the next free one), under /private/ when disallowed, or an opaque
// /news/ path with Config.OpaqueURLs. The suffix is drawn either way, so
// the rest of the site does not depend on the URL style.
func (s *Site) articlePath(r *rng, i int, a *Article) string {
	suffix := r.intn(0x10000)
	for {
		hex := strconv.FormatInt(int64(0x10000+suffix), 16)[1:]
		path := "/" + a.Section + a.Published.Format("/2006/01/02/") + slugify(a.Title) + "-" + hex
		if a.Disallowed {
			path = "/private" + path
		}
		if s.cfg.OpaqueURLs {
			path = s.opaquePath(i, a.Disallowed)
		}
		if _, dup := s.byPath[path]; !dup {
			return path
		}
		suffix = (suffix + 1) % 0x10000
	}
}

// opaquePath returns a /news/<16 hex>.html path for article i, drawn from a
// stream of its own so the rest of the site is the same with or without
// Config.OpaqueURLs. A (most unlikely) collision draws again.
func (s *Site) opaquePath(i int, disallowed bool) string {
	r := newRNG(s.cfg.Seed, articleStream(streamOpaque, i))
	for {
		path := fmt.Sprintf("/news/%016x.html", r.next())
		if disallowed {
			path = "/private" + path
		}
		if _, dup := s.byPath[path]; !dup {
			return path
		}
	}
}

// deadPath returns the path article i's body links to that answers 404:
// shaped like the site's article URLs, but no article's.
func (s *Site) deadPath(i int) string {
	r := newRNG(s.cfg.Seed, articleStream(streamDeadLink, i))
	for {
		path := fmt.Sprintf("/news/%016x.html", r.next())
		if !s.cfg.OpaqueURLs {
			path = "/" + s.articles[i].Section + "/2000/01/01/" + slugify(s.articles[i].Title) + fmt.Sprintf("-%x", r.next()>>48)
		}
		if _, real := s.byPath[path]; !real {
			return path
		}
	}
}

// pickRelated chooses up to relatedCount other articles, preferring the same
// section.
func (s *Site) pickRelated(i int) []int {
	n := len(s.articles)
	if n-1 <= relatedCount {
		var all []int
		for j := range n {
			if j != i {
				all = append(all, j)
			}
		}
		return all
	}
	r := newRNG(s.cfg.Seed, articleStream(streamRelated, i))
	out := make([]int, 0, relatedCount)
	same := s.bySection[s.articles[i].Section]
	want := min(3, len(same)-1)
	for len(out) < want {
		j := pick(r, same)
		if j != i && !slices.Contains(out, j) {
			out = append(out, j)
		}
	}
	for len(out) < relatedCount {
		j := r.intn(n)
		if j != i && !slices.Contains(out, j) {
			out = append(out, j)
		}
	}
	return out
}

func makeComments(r *rng) []comment {
	cs := make([]comment, r.between(2, 4))
	for k := range cs {
		cs[k] = comment{
			author: pick(r, commenters),
			text:   pick(r, commentTexts),
			ago:    strconv.Itoa(r.between(1, 23)) + " hours ago",
		}
	}
	return cs
}

func dateText(style int, t time.Time) string {
	t = t.UTC()
	switch style {
	case dateLong:
		return t.Format("January 2, 2006")
	case dateUTC:
		return t.Format("2 Jan 2006 15:04") + " UTC"
	case dateISO:
		return t.Format("2006-01-02")
	default:
		et := t.In(estZone)
		month := et.Month().String()
		if len(month) > 3 {
			month = month[:3] + "."
		}
		return month + et.Format(" 2, 2006 3:04 PM MST")
	}
}

func bylineText(style int, authors []string) string {
	if style == bylineUpperRole && len(authors) == 1 {
		return "By " + upper(authors[0]) + ", Staff Reporter"
	}
	switch len(authors) {
	case 1:
		return "By " + authors[0]
	default:
		return "By " + authors[0] + " and " + authors[1]
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
