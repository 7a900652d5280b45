package crawler

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// parseSitemap reads a sitemap or sitemap index (already decompressed and
// size-limited by the transport) token by token, and hands each child
// sitemap to sitemap and each page URL it lists to page as it reads them,
// so a sitemap of any length costs no more than its body. Google News
// sitemaps are urlsets too. The <loc> of an element other than <sitemap>
// or <url> (an image's, say) is no entry.
func parseSitemap(data []byte, sitemap, page func(string)) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var (
		path  []string // local names of the open elements
		loc   strings.Builder
		inLoc bool
		root  bool
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if !root {
				return fmt.Errorf("parse sitemap: %w", io.EOF)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("parse sitemap: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			root = true
			path = append(path, t.Name.Local)
			// root > sitemap|url > loc
			if len(path) == 3 && t.Name.Local == "loc" && (path[1] == "sitemap" || path[1] == "url") {
				inLoc = true
				loc.Reset()
			}
		case xml.CharData:
			if inLoc {
				loc.Write(t)
			}
		case xml.EndElement:
			if inLoc && len(path) == 3 {
				inLoc = false
				if l := strings.TrimSpace(loc.String()); l != "" {
					if path[1] == "sitemap" {
						sitemap(l)
					} else {
						page(l)
					}
				}
			}
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		}
	}
}
