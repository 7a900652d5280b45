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
