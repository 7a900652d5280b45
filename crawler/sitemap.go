package crawler

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// sitemapsFromRobots returns the Sitemap: lines of a robots.txt.
func sitemapsFromRobots(body []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "sitemap") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// parseSitemap reads a sitemap or sitemap index, gzipped or not, and
// returns the child sitemaps and the page URLs it lists. maxBytes bounds
// the decompressed size, so a gzip bomb is cut off.
func parseSitemap(body []byte, maxBytes int) (sitemaps, pages []string, err error) {
	var r io.Reader = bytes.NewReader(body)
	if len(body) > 2 && body[0] == 0x1f && body[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("gunzip sitemap: %w", err)
		}
		defer zr.Close()
		r = zr
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(maxBytes)+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read sitemap: %w", err)
	}
	if len(data) > maxBytes {
		return nil, nil, fmt.Errorf("sitemap larger than %d bytes", maxBytes)
	}
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
