package testsite

import (
	"html"
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
	s.sectionLinks(b)
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
	s.sectionLinks(b)
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

// sectionLinks writes one list item linking each section's first page.
func (s *Site) sectionLinks(b *htmlBuf) {
	for _, sec := range s.cfg.Sections {
		b.raw("<li><a href=\"")
		b.text(sectionURL(sec, 1))
		b.raw("\">")
		b.text(sectionLabel(sec))
		b.raw("</a></li>\n")
	}
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
