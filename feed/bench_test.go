package feed

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchFeed is a front page: 50 items with bodies of about 5 KB.
func benchFeed(format Format) *Feed {
	para := "<p>The council met on Tuesday to discuss the budget for the coming year, " +
		"and <a href=\"https://example.org/budget?y=2027&amp;v=2\">the draft</a> was " +
		"<em>not</em> approved; members asked for the figures “in full” before any vote.</p>\n"
	body := strings.Repeat(para, 5000/len(para)+1)
	f := testFeed(format)
	f.Items = f.Items[:0]
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for i := range 50 {
		f.Items = append(f.Items, Item{
			GUID:        fmt.Sprintf("tag:news.example.org,2026:article/%d", i),
			Title:       fmt.Sprintf("Council budget, day %d: no vote yet — members want the figures", i),
			Link:        fmt.Sprintf("https://daily.example.com/news/%d/council-budget", i),
			Published:   t0.Add(-time.Duration(i) * time.Hour),
			Updated:     t0.Add(-time.Duration(i)*time.Hour + 30*time.Minute),
			Authors:     []string{"Anna Müller", "Seán O'Brien"},
			Summary:     "The council met to discuss the budget; the draft was not approved.",
			ContentHTML: body,
			Image:       &Enclosure{URL: fmt.Sprintf("https://daily.example.com/img/%d.jpg", i), Type: "image/jpeg", Length: 50_000},
			Categories:  []string{"Politics", "budget", "council"},
		})
	}
	return f
}

func BenchmarkWrite(b *testing.B) {
	for _, format := range allFormats() {
		b.Run(format.String(), func(b *testing.B) {
			f := benchFeed(format)
			var buf bytes.Buffer
			if err := Write(&buf, format, f); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(buf.Len()))
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := Write(&buf, format, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
