package crawler

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// parseSitemap reads a sitemap or sitemap index (already decompressed and
// size-limited by the transport) and returns the child sitemaps and the page
// URLs it lists. Google News sitemaps are urlsets too.
func parseSitemap(data []byte) (sitemaps, pages []string, err error) {
	var doc struct {
		XMLName  xml.Name
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("parse sitemap: %w", err)
	}
	for _, s := range doc.Sitemaps {
		if l := strings.TrimSpace(s.Loc); l != "" {
			sitemaps = append(sitemaps, l)
		}
	}
	for _, u := range doc.URLs {
		if l := strings.TrimSpace(u.Loc); l != "" {
			pages = append(pages, l)
		}
	}
	return sitemaps, pages, nil
}
