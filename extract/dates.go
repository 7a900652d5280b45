package extract

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/araddon/dateparse"
)

// zoneOffsets maps the time-zone abbreviations news sites print to their
// offsets; Go's parser would otherwise read an unknown abbreviation as UTC.
var zoneOffsets = map[string]string{
	"UTC": "+0000", "GMT": "+0000", "Z": "+0000",
	"EST": "-0500", "EDT": "-0400", "ET": "-0500",
	"CST": "-0600", "CDT": "-0500", "CT": "-0600",
	"MST": "-0700", "MDT": "-0600", "MT": "-0700",
	"PST": "-0800", "PDT": "-0700", "PT": "-0800",
	"BST": "+0100", "CET": "+0100", "CEST": "+0200", "EET": "+0200", "EEST": "+0300",
	"IST": "+0530", "JST": "+0900", "AEST": "+1000", "AEDT": "+1100",
}

var (
	zoneWord   = regexp.MustCompile(`\b([A-Z]{1,4})$`)
	monthDot   = regexp.MustCompile(`\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.`)
	meridiem   = regexp.MustCompile(`(?i)\b([ap])\.?m\.?(\s|$)`)
	clock12    = regexp.MustCompile(`\b(\d{1,2}):(\d{2})\s*(AM|PM)\b`)
	datePrefix = regexp.MustCompile(`(?i)^(published|updated|posted|last updated|on)\s*:?\s*`)
)

// ParseDate reads a date as news pages print it: ISO 8601, RFC 1123,
// "November 19, 2026", "Nov. 19, 2026 2:05 p.m. EST", "19 Nov 2026 14:05 UTC".
// It returns nil when s holds no date it can trust.
func ParseDate(s string) *time.Time {
	s = strings.Join(strings.Fields(s), " ")
	s = datePrefix.ReplaceAllString(s, "")
	if s == "" || len(s) > 80 {
		return nil
	}
	s = strings.Replace(s, " at ", " ", 1)
	s = monthDot.ReplaceAllString(s, "$1")
	s = strings.Replace(s, "Sept ", "Sep ", 1)
	s = meridiem.ReplaceAllStringFunc(s, func(m string) string {
		suffix := ""
		if strings.HasSuffix(m, " ") {
			suffix = " "
		}
		return strings.ToUpper(m[:1]) + "M" + suffix
	})
	// dateparse misreads "2:05 PM -0500"; hand it a 24-hour clock.
	s = clock12.ReplaceAllStringFunc(s, func(m string) string {
		p := clock12.FindStringSubmatch(m)
		h, _ := strconv.Atoi(p[1])
		switch {
		case p[3] == "PM" && h < 12:
			h += 12
		case p[3] == "AM" && h == 12:
			h = 0
		}
		return fmt.Sprintf("%02d:%s", h, p[2])
	})
	s = strings.TrimSpace(s)
	if m := zoneWord.FindStringSubmatch(s); m != nil {
		if off, ok := zoneOffsets[m[1]]; ok {
			s = strings.TrimSpace(strings.TrimSuffix(s, m[1])) + " " + off
		}
	}
	t, err := dateparse.ParseStrict(s)
	if err != nil {
		return nil
	}
	if t.Year() < 1990 || t.Year() > 2100 {
		return nil
	}
	return &t
}
