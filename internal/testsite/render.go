package testsite

import (
	"encoding/json"
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// htmlBuf accumulates a page.
type htmlBuf struct{ strings.Builder }

// raw appends markup verbatim.
func (b *htmlBuf) raw(parts ...string) {
	for _, p := range parts {
		b.WriteString(p)
	}
}

// text appends HTML-escaped text (also safe inside quoted attributes).
func (b *htmlBuf) text(s string) { b.WriteString(html.EscapeString(s)) }

// Boilerplate copy. Listed in boilerplateText so made-up unique words are
// guaranteed never to collide with it.
const (
	cookieText        = "We use cookies and similar technologies to improve your experience, measure audiences and show relevant advertising. You can change your choices at any time."
	newsletterTitle   = "Get the Morning Briefing"
	newsletterText    = "Our editors’ pick of the most important stories of the day, in your inbox every weekday morning."
	newsletterSmall   = "You can unsubscribe at any time. Read our privacy policy."
	commentsNote      = "Comments are moderated and may take a few minutes to appear."
	partnersTitle     = "From our partners"
	relatedTitle      = "Related stories"
	shareLabel        = "Share this story"
	adLabel           = "Advertisement"
	copyrightText     = "All rights reserved."
	notFoundText      = "Sorry, we could not find the page you were looking for. It may have been moved or deleted."
	notAllowedText    = "This address only supports GET and HEAD requests."
	siteTagline       = "Independent news and analysis, every day."
	noStoriesText     = "There are no stories in this section yet."
	olderStoriesText  = "Older stories"
	newerStoriesText  = "Newer stories"
	seeAlsoText       = "See also:"
	earlierReportText = "Our earlier report"
)

var adCopy = []string{
	"Compare the best savings rates this month",
	"Upgrade your home office with spring deals",
	"Book flexible city breaks from the coast",
	"Try our crossword app free for thirty days",
	"Switch energy supplier and save on winter bills",
}

type staticPage struct {
	slug, title string
	body        []string
}

var staticPages = []staticPage{
	{"about", "About us", []string{
		"The Daily Meridian is an independent news organisation covering world affairs, politics, business, technology, science and sport.",
		"Our newsroom follows a published code of conduct, and we correct our mistakes promptly and openly.",
	}},
	{"contact", "Contact us", []string{
		"For news tips, write to our newsdesk. For subscriptions and delivery questions, contact customer services during office hours.",
		"Press enquiries are handled by our communications team.",
	}},
	{"privacy", "Privacy policy", []string{
		"This policy explains what personal data we collect when you use our websites and apps, why we collect it and how long we keep it.",
		"You have the right to access, correct and delete your personal data. Contact our data protection officer to make a request.",
	}},
	{"terms", "Terms of use", []string{
		"By using this website you agree to these terms. Content is provided for personal, non-commercial use only.",
		"We may update these terms from time to time; the current version always applies.",
	}},
	{"careers", "Careers", []string{
		"We are always looking for curious, talented people to join our newsroom, product and commercial teams.",
		"Current vacancies are listed on this page and updated every week.",
	}},
	{"cookies", "Cookie settings", []string{
		"Strictly necessary cookies keep the site working. Analytics and advertising cookies are only set with your consent.",
	}},
	{"advertise", "Advertise with us", []string{
		"Reach an engaged audience of millions of readers each month across web, app and newsletters.",
	}},
	{"corrections", "Corrections and clarifications", []string{
		"We aim to correct significant errors as soon as possible. Corrections are noted at the foot of the relevant article.",
	}},
	{"accessibility", "Accessibility", []string{
		"We want everyone to be able to use our website. If you have difficulty accessing any content, please let us know.",
	}},
}

var footerCompany = []staticPage{staticPages[0], staticPages[1], staticPages[4], staticPages[6], staticPages[7]}
var footerLegal = []staticPage{staticPages[2], staticPages[3], staticPages[5], staticPages[8]}

var boilerplateText = func() []string {
	out := []string{
		siteName, cookieText, newsletterTitle, newsletterText, newsletterSmall, commentsNote,
		partnersTitle, relatedTitle, shareLabel, adLabel, copyrightText, notFoundText, notAllowedText,
		siteTagline, noStoriesText, olderStoriesText, newerStoriesText, seeAlsoText, earlierReportText, styleSheet,
		"Accept all Manage preferences Privacy policy Home Search Latest news Browse sections Follow us RSS feed Sign up Email address Comments Staff Reporter Page not found Method not allowed Go to the homepage Sections Legal Follow Social Partner Read more Share on Facebook Email Copy link Skip to content Page of",
	}
	out = append(out, adCopy...)
	for _, p := range staticPages {
		out = append(out, p.title)
		out = append(out, p.body...)
	}
	return out
}()

const logoImage = "logo.jpg"

// baseURL returns scheme://host of the request.
func baseURL(r requestInfo) string {
	scheme := "http"
	if r.tls {
		scheme = "https"
	}
	host := r.host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

func sectionLabel(s string) string { return capitalize(s) }

func sectionURL(section string, page int) string {
	u := "/section/" + section
	if page > 1 {
		u += "?page=" + strconv.Itoa(page)
	}
	return u
}

func listDate(t time.Time) string { return t.UTC().Format("Jan 2, 2006") }

// pageStart writes everything up to and including the top ad and opens <main>.
func (s *Site) pageStart(b *htmlBuf, base, title, description, canonical string, head func(*htmlBuf)) {
	b.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	b.text(title)
	b.raw("</title>\n")
	if description != "" {
		b.raw("<meta name=\"description\" content=\"")
		b.text(description)
		b.raw("\">\n")
	}
	if canonical != "" {
		b.raw("<link rel=\"canonical\" href=\"")
		b.text(base + canonical)
		b.raw("\">\n")
	}
	b.raw("<link rel=\"stylesheet\" href=\"/static/site.css\">\n",
		"<link rel=\"alternate\" type=\"application/rss+xml\" title=\"", siteName, " RSS\" href=\"/feed.xml\">\n")
	if head != nil {
		head(b)
	}
	b.raw("</head>\n<body>\n<a class=\"skip-link\" href=\"#content\">Skip to content</a>\n")
	b.raw("<div id=\"cookie-banner\" class=\"cookie-banner\" role=\"dialog\" aria-label=\"Cookie consent\">\n<p>", cookieText,
		" <a href=\"/privacy\">Privacy policy</a></p>\n<button type=\"button\" class=\"accept\">Accept all</button>\n",
		"<button type=\"button\" class=\"manage\">Manage preferences</button>\n</div>\n")
	b.raw("<header class=\"site-header\">\n<a class=\"logo\" href=\"/\">", siteName, "</a>\n<p class=\"tagline\">", siteTagline, "</p>\n",
		"<nav class=\"main-nav\" aria-label=\"Sections\">\n<ul>\n<li><a href=\"/\">Home</a></li>\n")
	for _, sec := range s.cfg.Sections {
		b.raw("<li><a href=\"")
		b.text(sectionURL(sec, 1))
		b.raw("\">")
		b.text(sectionLabel(sec))
		b.raw("</a></li>\n")
	}
	b.raw("</ul>\n</nav>\n<form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">",
		"<input type=\"search\" name=\"q\" placeholder=\"Search\" aria-label=\"Search\"><button type=\"submit\">Search</button></form>\n</header>\n")
	adBlock(b, "leaderboard", 0)
	b.raw("<main id=\"content\">\n")
}

// pageEnd closes <main> and writes the footer.
func (s *Site) pageEnd(b *htmlBuf) {
	b.raw("</main>\n")
	adBlock(b, "footer", 3)
	b.raw("<footer class=\"site-footer\">\n<div class=\"footer-col\">\n<h3>Sections</h3>\n<ul>\n")
	for _, sec := range s.cfg.Sections {
		b.raw("<li><a href=\"")
		b.text(sectionURL(sec, 1))
		b.raw("\">")
		b.text(sectionLabel(sec))
		b.raw("</a></li>\n")
	}
	b.raw("</ul>\n</div>\n")
	footerList(b, siteName, footerCompany)
	footerList(b, "Legal", footerLegal)
	b.raw("<div class=\"footer-col\">\n<h3>Follow</h3>\n<ul>\n<li><a href=\"/feed.xml\">RSS feed</a></li>\n",
		"<li><a href=\"https://social.example/dailymeridian\" rel=\"noopener\">Social</a></li>\n")
	if !s.cfg.NoSitemap {
		b.raw("<li><a href=\"/sitemap.xml\">Sitemap</a></li>\n")
	}
	b.raw("</ul>\n</div>\n",
		"<p class=\"copyright\">© ", strconv.Itoa(s.cfg.Now.Year()), " ", siteName, ". ", copyrightText, "</p>\n",
		"</footer>\n</body>\n</html>\n")
}

func footerList(b *htmlBuf, heading string, pages []staticPage) {
	b.raw("<div class=\"footer-col\">\n<h3>", heading, "</h3>\n<ul>\n")
	for _, p := range pages {
		b.raw("<li><a href=\"/", p.slug, "\">", p.title, "</a></li>\n")
	}
	b.raw("</ul>\n</div>\n")
}

func adBlock(b *htmlBuf, slot string, n int) {
	id := strconv.Itoa(4000 + n*137)
	b.raw("<div class=\"ad ad-", slot, "\" data-slot=\"", slot, "\">\n<span class=\"ad-label\">", adLabel, "</span>\n",
		"<a href=\"https://ads.example/click?slot=", slot, "&amp;c=", id, "\" rel=\"sponsored nofollow\">",
		adCopy[n%len(adCopy)], "</a>\n</div>\n")
}

// storyList writes a list of article teasers.
func (s *Site) storyList(b *htmlBuf, idx []int) {
	b.raw("<ol class=\"story-list\">\n")
	for _, i := range idx {
		a := &s.articles[i]
		b.raw("<li class=\"story\">\n<h3 class=\"story-title\"><a href=\"")
		b.text(a.Path)
		b.raw("\">")
		b.text(a.Title)
		b.raw("</a></h3>\n<p class=\"teaser\">")
		b.text(a.Teaser)
		b.raw("</p>\n<p class=\"meta\"><a class=\"section-label\" href=\"")
		b.text(sectionURL(a.Section, 1))
		b.raw("\">")
		b.text(sectionLabel(a.Section))
		b.raw("</a> · <time datetime=\"", a.Published.Format(time.RFC3339), "\">", listDate(a.Published), "</time></p>\n</li>\n")
	}
	b.raw("</ol>\n")
}

func (s *Site) renderHome(req requestInfo) string {
	var b htmlBuf
	b.Grow(16 << 10)
	base := baseURL(req)
	s.pageStart(&b, base, siteName+" | Latest news", siteTagline, "/", nil)
	b.raw("<section class=\"latest\" aria-labelledby=\"latest-heading\">\n<h2 id=\"latest-heading\">Latest news</h2>\n")
	n := min(homeLatest, len(s.articles))
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	s.storyList(&b, idx)
	b.raw("</section>\n")
	if s.cfg.Duplicates {
		s.moreBox(&b)
	}
	adBlock(&b, "mpu", 1)
	b.raw("<section class=\"browse\">\n<h2>Browse sections</h2>\n<ul>\n")
	for _, sec := range s.cfg.Sections {
		b.raw("<li><a href=\"")
		b.text(sectionURL(sec, 1))
		b.raw("\">")
		b.text(sectionLabel(sec))
		b.raw("</a></li>\n")
	}
	b.raw("</ul>\n</section>\n<section class=\"follow\">\n<h2>Follow us</h2>\n<p><a class=\"rss\" href=\"/feed.xml\">RSS feed</a></p>\n</section>\n")
	s.pageEnd(&b)
	return b.String()
}

// Duplicate URLs linked from the homepage's "More" box.
const (
	mirrorPrefix   = "/mirror"
	trackingParams = "?utm_source=homepage&utm_medium=web&fbclid=abc123"
	moreCount      = 10
)

// moreBox links the newest allowed articles under URLs that serve the same
// article again: its /mirror copy and its own URL with tracking parameters.
func (s *Site) moreBox(b *htmlBuf) {
	b.raw("<section class=\"more\" aria-labelledby=\"more-heading\">\n<h2 id=\"more-heading\">More</h2>\n<ul class=\"more-list\">\n")
	n := 0
	for i := range s.articles {
		a := &s.articles[i]
		if a.Disallowed {
			continue
		}
		if n++; n > moreCount {
			break
		}
		b.raw("<li><a href=\"")
		b.text(mirrorPrefix + a.Path)
		b.raw("\">")
		b.text(a.Title)
		b.raw("</a> · <a class=\"also\" href=\"")
		b.text(a.Path + trackingParams)
		b.raw("\">Also: ")
		b.text(a.Title)
		b.raw("</a></li>\n")
	}
	b.raw("</ul>\n</section>\n")
}

// renderSection renders page (1-based) of a section; ok is false when the
// section is unknown or the page is out of range.
func (s *Site) renderSection(req requestInfo, section string, page int) (string, bool) {
	known := false
	for _, sec := range s.cfg.Sections {
		known = known || sec == section
	}
	idx := s.bySection[section]
	pages := max(1, (len(idx)+sectionPageSize-1)/sectionPageSize)
	if !known || page < 1 || page > pages {
		return "", false
	}
	var b htmlBuf
	b.Grow(16 << 10)
	title := sectionLabel(section) + " | " + siteName
	if page > 1 {
		title = sectionLabel(section) + " – page " + strconv.Itoa(page) + " | " + siteName
	}
	s.pageStart(&b, baseURL(req), title, "The latest "+section+" news from "+siteName+".", sectionURL(section, page), nil)
	b.raw("<section class=\"section-page\">\n<h1>")
	b.text(sectionLabel(section))
	b.raw("</h1>\n")
	lo := (page - 1) * sectionPageSize
	hi := min(lo+sectionPageSize, len(idx))
	if lo >= hi {
		b.raw("<p>", noStoriesText, "</p>\n")
	} else {
		s.storyList(&b, idx[lo:hi])
	}
	b.raw("<nav class=\"pagination\" aria-label=\"Pagination\">\n")
	if page > 1 {
		b.raw("<a class=\"newer\" rel=\"prev\" href=\"")
		b.text(sectionURL(section, page-1))
		b.raw("\">", newerStoriesText, "</a>\n")
	}
	b.raw("<span class=\"page-number\">Page ", strconv.Itoa(page), " of ", strconv.Itoa(pages), "</span>\n")
	if page < pages {
		b.raw("<a class=\"older\" rel=\"next\" href=\"")
		b.text(sectionURL(section, page+1))
		b.raw("\">", olderStoriesText, "</a>\n")
	}
	b.raw("</nav>\n</section>\n")
	adBlock(&b, "mpu", 2)
	s.pageEnd(&b)
	return b.String(), true
}

type ldThing struct {
	Type string   `json:"@type"`
	Name string   `json:"name,omitempty"`
	URL  string   `json:"url,omitempty"`
	Logo *ldThing `json:"logo,omitempty"`
}

type ldArticle struct {
	Context          string    `json:"@context"`
	Type             string    `json:"@type"`
	MainEntityOfPage string    `json:"mainEntityOfPage"`
	Headline         string    `json:"headline"`
	Description      string    `json:"description"`
	Image            []string  `json:"image"`
	DatePublished    string    `json:"datePublished"`
	DateModified     string    `json:"dateModified"`
	Author           []ldThing `json:"author"`
	Publisher        ldThing   `json:"publisher"`
	ArticleSection   string    `json:"articleSection"`
}

const isoOffset = "2006-01-02T15:04:05-07:00"

func (s *Site) jsonLD(a *Article, rd *render, base, self string) string {
	ld := ldArticle{
		Context:          "https://schema.org",
		Type:             "NewsArticle",
		MainEntityOfPage: self,
		Headline:         a.Title,
		Description:      a.Teaser,
		Image:            []string{base + a.Image},
		DatePublished:    a.Published.In(rd.zone).Format(isoOffset),
		DateModified:     a.Modified.In(rd.zone).Format(isoOffset),
		Publisher: ldThing{Type: "Organization", Name: siteName,
			Logo: &ldThing{Type: "ImageObject", URL: base + "/images/" + logoImage}},
		ArticleSection: a.Section,
	}
	for _, au := range a.Authors {
		ld.Author = append(ld.Author, ldThing{Type: "Person", Name: au})
	}
	out, err := json.MarshalIndent(ld, "", "  ")
	if err != nil { // cannot happen: only strings and structs
		panic(err)
	}
	return string(out)
}

// renderArticle renders article i. A mirror copy (served under
// /mirror{path}) behaves like a careless duplicate: it has no canonical link
// and no og:url, and the URLs by which the page refers to itself (share
// links, JSON-LD mainEntityOfPage) are its own, so only the content tells it
// is the same article. The caller holds s.mu for reading.
func (s *Site) renderArticle(req requestInfo, i int, mirror bool) string {
	a := &s.articles[i]
	rd := &s.render[i]
	base := baseURL(req)
	self, canonicalPath := base+a.Path, a.Path
	if mirror {
		self, canonicalPath = base+mirrorPrefix+a.Path, ""
	}
	var b htmlBuf
	b.Grow(24 << 10)
	s.pageStart(&b, base, a.Title+" | "+siteName, a.Teaser, canonicalPath, func(b *htmlBuf) {
		b.raw("<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:site_name\" content=\"", siteName, "\">\n",
			"<meta property=\"og:title\" content=\"")
		b.text(a.Title)
		b.raw("\">\n")
		if !mirror {
			b.raw("<meta property=\"og:url\" content=\"")
			b.text(self)
			b.raw("\">\n")
		}
		if a.OGImage {
			b.raw("<meta property=\"og:image\" content=\"")
			b.text(base + a.Image)
			b.raw("\">\n")
		}
		if a.JSONLD {
			b.raw("<script type=\"application/ld+json\">\n", s.jsonLD(a, rd, base, self), "\n</script>\n")
		}
	})

	b.raw("<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\"><a href=\"/\">Home</a> › <a href=\"")
	b.text(sectionURL(a.Section, 1))
	b.raw("\">")
	b.text(sectionLabel(a.Section))
	b.raw("</a></nav>\n<article class=\"story\">\n<header class=\"story-header\">\n<h1 class=\"headline\">")
	b.text(a.Title)
	b.raw("</h1>\n<div class=\"story-meta\">\n")
	s.writeByline(&b, a, i)
	b.raw("<p class=\"dateline\">")
	if rd.timeTag {
		b.raw("<time datetime=\"", a.Published.Format(time.RFC3339), "\">")
		b.text(a.DateText)
		b.raw("</time>")
	} else {
		b.raw("<span class=\"date\">")
		b.text(a.DateText)
		b.raw("</span>")
	}
	b.raw("</p>\n</div>\n</header>\n")

	esc := url.QueryEscape(self)
	b.raw("<div class=\"share\">\n<span>", shareLabel, "</span>\n",
		"<a class=\"share-facebook\" href=\"https://social.example/share?network=facebook&amp;u=", esc, "\" rel=\"noopener\">Share on Facebook</a>\n",
		"<a class=\"share-x\" href=\"https://social.example/share?network=x&amp;u=", esc, "\" rel=\"noopener\">Share on X</a>\n",
		"<a class=\"share-email\" href=\"mailto:?subject=")
	b.text(url.PathEscape(a.Title))
	b.raw("&amp;body=", esc, "\">Email</a>\n<button type=\"button\" class=\"copy-link\">Copy link</button>\n</div>\n")

	b.raw("<div class=\"story-body\">\n")
	for p, text := range a.Paragraphs {
		b.raw("<p>")
		b.text(text)
		b.raw("</p>\n")
		if p == 2 && len(a.Paragraphs) > 4 {
			adBlock(&b, "inline", rd.adID)
		}
		if p == 1 && rd.deadLink != "" {
			s.seeAlso(&b, rd)
		}
	}
	b.raw("</div>\n</article>\n")

	b.raw("<aside class=\"related\">\n<h2>", relatedTitle, "</h2>\n<ul>\n")
	for _, j := range rd.related {
		b.raw("<li><a href=\"")
		b.text(s.articles[j].Path)
		b.raw("\">")
		b.text(s.articles[j].Title)
		b.raw("</a></li>\n")
	}
	b.raw("</ul>\n</aside>\n")

	if len(s.cfg.ExternalLinks) > 0 {
		b.raw("<aside class=\"partners\">\n<h2>", partnersTitle, "</h2>\n<ul>\n")
		for _, link := range s.cfg.ExternalLinks {
			label := link
			if u, err := url.Parse(link); err == nil && u.Host != "" {
				label = u.Host
			}
			b.raw("<li><a href=\"")
			b.text(link)
			b.raw("\" rel=\"noopener\">Read more at ")
			b.text(label)
			b.raw("</a></li>\n")
		}
		b.raw("</ul>\n</aside>\n")
	}

	b.raw("<section class=\"newsletter\">\n<h2>", newsletterTitle, "</h2>\n<p>", html.EscapeString(newsletterText), "</p>\n",
		"<form action=\"/newsletter/subscribe\" method=\"post\">\n<label for=\"nl-email\">Email address</label>\n",
		"<input id=\"nl-email\" type=\"email\" name=\"email\" required>\n<input type=\"hidden\" name=\"source\" value=\"article\">\n",
		"<button type=\"submit\">Sign up</button>\n</form>\n<p class=\"small\">", newsletterSmall, "</p>\n</section>\n")

	b.raw("<section class=\"comments\" id=\"comments\">\n<h2>Comments (", strconv.Itoa(len(rd.comments)), ")</h2>\n<ol class=\"comment-list\">\n")
	for _, c := range rd.comments {
		b.raw("<li class=\"comment\">\n<p class=\"comment-meta\"><span class=\"comment-author\">")
		b.text(c.author)
		b.raw("</span> <span class=\"comment-time\">", c.ago, "</span></p>\n<p class=\"comment-body\">")
		b.text(c.text)
		b.raw("</p>\n</li>\n")
	}
	b.raw("</ol>\n<p class=\"small\">", commentsNote, "</p>\n</section>\n")
	s.pageEnd(&b)
	return b.String()
}

// seeAlso writes the body paragraph of Config.LinkInBodies: links to two
// related articles and to a path that answers 404.
func (s *Site) seeAlso(b *htmlBuf, rd *render) {
	b.raw("<p class=\"see-also\">", seeAlsoText, " ")
	for k, j := range rd.related[:min(2, len(rd.related))] {
		if k > 0 {
			b.raw(" and ")
		}
		b.raw("<a href=\"")
		b.text(s.articles[j].Path)
		b.raw("\">")
		b.text(s.articles[j].Title)
		b.raw("</a>")
	}
	b.raw(". <a href=\"")
	b.text(rd.deadLink)
	b.raw("\">", earlierReportText, "</a>.</p>\n")
}

// writeByline renders the visible byline; its text content equals a.Byline.
func (s *Site) writeByline(b *htmlBuf, a *Article, i int) {
	if strings.HasSuffix(a.Byline, ", Staff Reporter") || i%2 == 1 {
		b.raw("<div class=\"byline\">")
		b.text(a.Byline)
		b.raw("</div>\n")
		return
	}
	b.raw("<p class=\"byline\">By ")
	for k, au := range a.Authors {
		if k > 0 {
			b.raw(" and ")
		}
		b.raw("<span class=\"author\">")
		b.text(au)
		b.raw("</span>")
	}
	b.raw("</p>\n")
}

func (s *Site) renderStatic(req requestInfo, p staticPage) string {
	var b htmlBuf
	s.pageStart(&b, baseURL(req), p.title+" | "+siteName, "", "/"+p.slug, nil)
	b.raw("<section class=\"static-page\">\n<h1>", p.title, "</h1>\n")
	for _, para := range p.body {
		b.raw("<p>", para, "</p>\n")
	}
	b.raw("</section>\n")
	s.pageEnd(&b)
	return b.String()
}

func renderNotFound() string { return renderError("Page not found", notFoundText) }

// renderError renders a small error page.
func renderError(title, text string) string {
	return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title + " | " + siteName +
		"</title>\n</head>\n<body>\n<h1>" + title + "</h1>\n<p>" + text +
		"</p>\n<p><a href=\"/\">Go to the homepage</a></p>\n</body>\n</html>\n"
}

const styleSheet = `body{font-family:Georgia,serif;margin:0 auto;max-width:60rem;color:#222}
.site-header,.site-footer{font-family:Helvetica,Arial,sans-serif}
.main-nav ul{display:flex;gap:1rem;list-style:none;padding:0}
.ad{background:#f3f3f3;border:1px solid #ddd;padding:.5rem;margin:1rem 0;font-size:.8rem}
.cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#111;color:#fff;padding:1rem}
.story-body p{line-height:1.6}
.footer-col{display:inline-block;vertical-align:top;margin-right:2rem}
`
