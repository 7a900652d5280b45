package testsite

import (
	"strconv"
	"time"
)

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
	s.sectionLinks(&b)
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
