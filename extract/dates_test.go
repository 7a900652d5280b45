package extract

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	est := time.FixedZone("", -5*3600)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-11-19T14:05:00Z", time.Date(2026, 11, 19, 14, 5, 0, 0, time.UTC)},
		{"2026-11-19T14:05:00+01:00", time.Date(2026, 11, 19, 13, 5, 0, 0, time.UTC)},
		{"2026-11-19", time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)},
		{"November 19, 2026", time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)},
		{"19 Nov 2026 14:05 UTC", time.Date(2026, 11, 19, 14, 5, 0, 0, time.UTC)},
		{"Nov. 19, 2026 2:05 PM EST", time.Date(2026, 11, 19, 14, 5, 0, 0, est)},
		{"Nov. 19, 2026 at 2:05 p.m. EST", time.Date(2026, 11, 19, 14, 5, 0, 0, est)},
		{"Sept. 3, 2026", time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC)},
		{"Published: November 19, 2026", time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)},
		{"Thu, 19 Nov 2026 14:05:00 +0000", time.Date(2026, 11, 19, 14, 5, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got := ParseDate(tt.in)
		if got == nil || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "By Jane Doe", "3 comments", "1850-01-01"} {
		if got := ParseDate(bad); got != nil {
			t.Errorf("ParseDate(%q) = %v, want nil", bad, got)
		}
	}
}

func TestParseDateFormats(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	zone := func(hours float64) *time.Location { return time.FixedZone("", int(hours*3600)) }
	tests := []struct {
		name, in string
		want     time.Time
	}{
		{"ISO fractional offset", "2026-11-19T14:05:00.123+05:30", time.Date(2026, 11, 19, 14, 5, 0, 123e6, zone(5.5))},
		{"ISO basic offset", "2026-11-19T14:05:00-0500", time.Date(2026, 11, 19, 14, 5, 0, 0, zone(-5))},
		{"ISO no zone", "2026-11-19T14:05", utc(2026, 11, 19, 14, 5)},
		{"ISO space", "2026-11-19 14:05:00 +0000", utc(2026, 11, 19, 14, 5)},
		{"compact", "20261119", utc(2026, 11, 19, 0, 0)},
		{"unix seconds", "1574179200", utc(2019, 11, 19, 16, 0)},
		{"RFC 1123", "Thu, 19 Nov 2026 14:05:00 GMT", utc(2026, 11, 19, 14, 5)},
		{"RFC 822 two-digit year", "19 Nov 26 14:05 EST", time.Date(2026, 11, 19, 14, 5, 0, 0, zone(-5))},
		{"JavaScript Date", "Thu Nov 19 2026 14:05:00 GMT+0000", utc(2026, 11, 19, 14, 5)},
		{"weekday long", "Thursday, November 19, 2026", utc(2026, 11, 19, 0, 0)},
		{"ordinal", "November 19th, 2026", utc(2026, 11, 19, 0, 0)},
		{"ET in winter", "Nov 19, 2026, 2:05 PM ET", time.Date(2026, 11, 19, 14, 5, 0, 0, zone(-5))},
		{"ET in summer", "June 5, 2026 2:05 p.m. ET", time.Date(2026, 6, 5, 14, 5, 0, 0, zone(-4))},
		{"PT", "June 5, 2026 9:00 a.m. PT", time.Date(2026, 6, 5, 9, 0, 0, 0, zone(-7))},
		{"clock first", "2:05 PM ET, Thu November 19, 2026", time.Date(2026, 11, 19, 14, 5, 0, 0, zone(-5))},
		{"clock first with label", "Published 10:02 AM EST Nov 19, 2019", time.Date(2019, 11, 19, 10, 2, 0, 0, zone(-5))},
		{"dotted clock", "Thu 19 Nov 2026 14.05 GMT", utc(2026, 11, 19, 14, 5)},
		{"am without space, lower-case zone", "Nov 20 2019, 10:18am ist", time.Date(2019, 11, 20, 10, 18, 0, 0, zone(5.5))},
		{"CET", "19 Nov 2026 14:05 CET", time.Date(2026, 11, 19, 14, 5, 0, 0, zone(1))},
		{"AEDT", "19 Nov 2026 14:05 AEDT", time.Date(2026, 11, 19, 14, 5, 0, 0, zone(11))},
		{"at and a.m.", "Monday, November 18th, 2019 at 11:08 a.m.", utc(2019, 11, 18, 11, 8)},
		{"label", "Updated: Nov. 19, 2026", utc(2026, 11, 19, 0, 0)},
		{"trailing updated", "November 18, 2019 / 6:04 AM / Updated 2 hours ago", utc(2019, 11, 18, 6, 4)},
		{"German", "Dienstag, 19. November 2026, 14:05 Uhr", utc(2026, 11, 19, 14, 5)},
		{"French", "le 19 novembre 2026 à 14h05", utc(2026, 11, 19, 14, 5)},
		{"Spanish", "19 de noviembre de 2026", utc(2026, 11, 19, 0, 0)},
		{"Italian", "19 marzo 2026 alle 14:05", utc(2026, 3, 19, 14, 5)},
		{"Dutch", "19 maart 2026", utc(2026, 3, 19, 0, 0)},
		{"Portuguese", "19 de março de 2026", utc(2026, 3, 19, 0, 0)},
		{"dotted numeric is day first", "03.04.2026", utc(2026, 4, 3, 0, 0)},
		{"dotted numeric with time", "13.11.2019, 23:06", utc(2019, 11, 13, 23, 6)},
		{"day over 12", "19/11/2026", utc(2026, 11, 19, 0, 0)},
		{"day over 12 with time", "19/11/2026 14:05", utc(2026, 11, 19, 14, 5)},
		{"month first, day over 12", "11/19/2026", utc(2026, 11, 19, 0, 0)},
		{"day equals month", "04/04/2026", utc(2026, 4, 4, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseDate(tt.in)
			if got == nil || !got.Equal(tt.want) {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"2 hours ago", "13/13/2026", "31/31/2026", "Nov 19", "1989-12-31T10:00:00Z",
		"2101-01-01", "11/19/2026 extra words that are not a date", "2026-11-19 was a Thursday", "Page 2 of 3",
		"2026", "November 2026", "Chapter 11 2026"} {
		if got := ParseDate(bad); got != nil {
			t.Errorf("ParseDate(%q) = %v, want nil", bad, got)
		}
	}
}

// TestParseDateLang checks the rule for numeric dates whose day and month
// could be swapped: the page's language settles them, and without a
// regional hint they are refused rather than guessed.
func TestParseDateLang(t *testing.T) {
	march4 := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	april3 := time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		lang string
		want *time.Time
	}{
		{"", nil},
		{"en", nil},
		{"en-US", &march4},
		{"en_us", &march4},
		{"en-PH", &march4},
		{"en-GB", &april3},
		{"en-AU", &april3},
		{"de", &april3},
		{"fr-FR", &april3},
		{"pt-BR", &april3},
	}
	for _, tt := range tests {
		got := ParseDateLang("03/04/2026", tt.lang)
		if (got == nil) != (tt.want == nil) || got != nil && !got.Equal(*tt.want) {
			t.Errorf("ParseDateLang(03/04/2026, %q) = %v, want %v", tt.lang, got, tt.want)
		}
	}
}

func TestFindDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339, "" for none
		at   int
	}{
		{"By Jane Doe Monday, November 18, 2019 at 5:00 PM EST", "2019-11-18T17:00:00-05:00", 20},
		{"Tanza Loudenback, Business Insider 13.11.2019, 23:06", "2019-11-13T23:06:00Z", 35},
		{"by Jeff Foust 2019-11-18T12:48:14Z Space", "2019-11-18T12:48:14Z", 14},
		{"Von Moritz Bachmann publiziert am 25. September 2018", "2018-09-25T00:00:00Z", 34},
		{"By Jane Doe", "", -1},
		{"Page 3 of 12", "", -1},
	}
	for _, tt := range tests {
		got, at := findDate(tt.in, "")
		s := ""
		if got != nil {
			s = got.Format(time.RFC3339)
		}
		if s != tt.want || at != tt.at {
			t.Errorf("findDate(%q) = %q at %d, want %q at %d", tt.in, s, at, tt.want, tt.at)
		}
	}
}
