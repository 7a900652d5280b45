package extract

import (
	"fmt"
	"regexp"
	"time"

	"golang.org/x/net/html"
)

var (
	// urlDate and urlISODate find /2026/11/19/ and 2026-11-19 in a URL path.
	urlDate    = regexp.MustCompile(`/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)`)
	urlISODate = regexp.MustCompile(`(?:^|[/_-])((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)
	// updatedWord splits "Published 5 May 2026 | Updated 6 May 2026".
	updatedWord = regexp.MustCompile(`(?i)\b(?:updated|last modified|modified|aktualisiert|mis à jour|actualizado|aggiornato)\b`)
	// dateLabel starts a line of visible text that states a date.
	dateLabel = regexp.MustCompile(`(?i)^(?:first published|published|posted|updated|last updated|publiziert|veröffentlicht|publié|publicado|pubblicato)\b`)
)

// timeElement reads a <time>: one marked as the publication time, or in the
// article, beats one elsewhere (teasers and comments carry times too).
func (c *collector) timeElement(n *html.Node, ctx walkCtx, names []string) {
	if ctx.comments {
		return
	}
	v := firstNonEmpty(attr(n, "datetime"), spacedText(n))
	if hasToken(names, "update", "modified") {
		c.offer(fModified, srcTime, c.textRank(ctx), v)
		return
	}
	rank := c.textRank(ctx) + 1
	if _, ok := attrOK(n, "pubdate"); ok || hasToken(names, "publish") {
		rank = 0
	}
	c.offer(fPublished, srcTime, rank, v)
}

// pickDate returns the best candidate for f that parses and is neither
// in the future (a day of slack covers time zones) nor before 1990.
// Visible text may hold words around the date, so it is searched.
//
// A bare date ("2026-11-19") gives way to a later candidate with a clock
// time on the same day: the URL or a JSON-LD object may say only the day
// where OpenGraph or a WebPage object says the minute.
func (c *collector) pickDate(f field, lang string, now time.Time, m *Metadata) *time.Time {
	var best *time.Time
	for _, cand := range c.sorted(f) {
		var t *time.Time
		if cand.src == srcText {
			t = textDate(cand.val, lang, f == fModified)
		} else {
			t = ParseDateLang(cand.val, lang)
		}
		if t == nil || t.After(now.Add(24*time.Hour)) {
			continue
		}
		hasClock := t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0
		switch {
		case best == nil:
			best = t
			m.Sources[f.String()] = cand.src.String()
			if hasClock {
				return best
			}
		case hasClock && t.Format(time.DateOnly) == best.Format(time.DateOnly):
			m.Sources[f.String()] = cand.src.String()
			return t
		}
	}
	return best
}

// textDate reads a date from visible text: the whole text if it is a
// date ("Published 10:02 AM EST Nov 19, 2019"), else the first date in it.
// "Updated" separates the modification date from the publication date.
func textDate(text, lang string, modified bool) *time.Time {
	if loc := updatedWord.FindStringIndex(text); loc != nil {
		if modified {
			text = text[loc[1]:]
		} else {
			text = text[:loc[0]]
		}
	}
	if t := ParseDateLang(text, lang); t != nil {
		return t
	}
	t, _ := findDate(text, lang)
	return t
}

// urlDate offers the date in a /2026/11/19/ or 2026-11-19 URL path, the
// last resort for the publication date.
func (c *collector) urlDate() {
	for _, re := range []*regexp.Regexp{urlDate, urlISODate} {
		if p := re.FindStringSubmatch(c.base.Path); p != nil {
			c.offer(fPublished, srcURL, 0, fmt.Sprintf("%s-%02s-%02s", p[1], p[2], p[3]))
			return
		}
	}
}
