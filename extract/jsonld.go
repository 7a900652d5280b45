package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

var (
	// blockTag and anyTag turn an HTML articleBody into plain text
	// (plainText): JSON-LD strings are not parsed as a document.
	blockTag = regexp.MustCompile(`(?i)<\s*(?:br|/p|p|/div|/h[1-6]|/li|/blockquote|/tr)\b[^>]*>`)
	anyTag   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// parseJSONLD decodes the values in one ld+json script, repairing what
// publishers commonly break (see sanitizeJSON). What cannot be parsed is
// skipped; it never panics.
func parseJSONLD(raw string) []any {
	clean := sanitizeJSON(raw)
	var out []any
	// Values one after another, or separated by commas or semicolons.
	for rest := clean; ; {
		rest = strings.TrimLeft(rest, " \t\r\n,;")
		if rest == "" {
			break
		}
		dec := json.NewDecoder(strings.NewReader(rest))
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		out = append(out, v)
		rest = rest[dec.InputOffset():]
	}
	return out
}

// sanitizeJSON repairs the JSON-LD mistakes seen in the wild: HTML comments
// and CDATA markers around the script, JavaScript comments, trailing commas,
// raw newlines and tabs inside strings, and invalid escapes such as \'.
// It works on bytes outside and inside strings separately, so it never
// changes string contents other than those characters.
func sanitizeJSON(s string) string {
	var b bytes.Buffer
	b.Grow(len(s))
	inStr := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if inStr {
			switch {
			case ch == '\\' && i+1 < len(s):
				i++
				if strings.IndexByte(`"\/bfnrtu`, s[i]) >= 0 {
					b.WriteByte('\\')
				}
				b.WriteByte(s[i])
			case ch == '\\':
			case ch == '"':
				inStr = false
				b.WriteByte(ch)
			case ch < 0x20:
				fmt.Fprintf(&b, `\u%04x`, ch)
			default:
				b.WriteByte(ch)
			}
			continue
		}
		rest := s[i:]
		switch {
		case ch == '"':
			inStr = true
			b.WriteByte(ch)
		case strings.HasPrefix(rest, "<!--"):
			i += 3
		case strings.HasPrefix(rest, "-->"):
			i += 2
		case strings.HasPrefix(rest, "<![CDATA["):
			i += 8
		case strings.HasPrefix(rest, "]]>"):
			i += 2
		case strings.HasPrefix(rest, "//"):
			if j := strings.IndexByte(rest, '\n'); j >= 0 {
				i += j
			} else {
				i = len(s)
			}
		case strings.HasPrefix(rest, "/*"):
			if j := strings.Index(rest[2:], "*/"); j >= 0 {
				i += j + 3
			} else {
				i = len(s)
			}
		case ch == ',':
			next := strings.TrimLeft(rest[1:], " \t\r\n")
			if next == "" || next[0] == '}' || next[0] == ']' {
				continue
			}
			b.WriteByte(ch)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

// ldGraph indexes the objects of a page's JSON-LD.
type ldGraph struct {
	byID     map[string]map[string]any
	articles []map[string]any
	pages    []map[string]any
	sites    []map[string]any
}

// add indexes v: objects, arrays of objects, @graph lists, and the
// mainEntity of a page. Other nested objects are reached by reference.
func (g *ldGraph) add(v any, depth int) {
	if depth > 8 {
		return
	}
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			g.add(x, depth+1)
		}
	case map[string]any:
		if id, ok := v["@id"].(string); ok && id != "" && len(v) > 1 {
			if _, dup := g.byID[id]; !dup {
				g.byID[id] = v
			}
		}
		for _, t := range ldTypes(v) {
			switch {
			case articleTypes[t]:
				g.articles = append(g.articles, v)
			case pageTypes[t]:
				g.pages = append(g.pages, v)
			case t == "website":
				g.sites = append(g.sites, v)
			}
		}
		g.add(v["@graph"], depth+1)
		if me, ok := v["mainEntity"].(map[string]any); ok {
			g.add(me, depth+1)
		}
	}
}

// ldTypes returns an object's @type values, lower-cased, without a schema
// URL prefix.
func ldTypes(o map[string]any) []string {
	var out []string
	switch t := o["@type"].(type) {
	case string:
		out = append(out, schemaType(t))
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, schemaType(s))
			}
		}
	}
	return out
}

// resolve follows an {"@id": ...} reference to the object it names.
func (g *ldGraph) resolve(v any) any {
	if o, ok := v.(map[string]any); ok && len(o) == 1 {
		if id, ok := o["@id"].(string); ok {
			if full, ok := g.byID[id]; ok {
				return full
			}
		}
	}
	return v
}

// readJSONLD offers the fields of the page's article object: the one whose
// URL is this page, else the first with a headline, else the first (or,
// without an article, the WebPage object).
func (c *collector) readJSONLD(vals []any) {
	g := &ldGraph{byID: map[string]map[string]any{}}
	for _, v := range vals {
		g.add(v, 0)
	}
	art := c.chooseArticle(g.articles)
	if art == nil {
		art = c.chooseArticle(g.pages)
	}
	if art == nil {
		for _, s := range g.sites {
			c.offer(fSiteName, srcJSONLD, 1, ldText(s["name"]))
		}
		return
	}
	c.offer(fType, srcJSONLD, 0, typeName(ldString(art["@type"])))
	c.offer(fTitle, srcJSONLD, 0, firstNonEmpty(ldText(art["headline"]), ldText(art["name"])))
	c.offer(fDescription, srcJSONLD, 0, ldText(art["description"]))
	c.offer(fPublished, srcJSONLD, 0, ldString(art["datePublished"]))
	c.offer(fPublished, srcJSONLD, 1, ldString(art["dateCreated"]))
	c.offer(fModified, srcJSONLD, 0, ldString(art["dateModified"]))
	c.offer(fSection, srcJSONLD, 0, ldText(art["articleSection"]))
	c.offer(fImage, srcJSONLD, 0, absolute(c.base, g.imageURL(art["image"])))
	c.offer(fImage, srcJSONLD, 1, absolute(c.base, g.imageURL(art["thumbnailUrl"])))
	c.offer(fLanguage, srcJSONLD, 0, g.language(art["inLanguage"]))
	c.offer(fCanonical, srcJSONLD, 0, absolute(c.base, g.pageURL(art)))
	for _, k := range ldStrings(art["keywords"]) {
		c.offer(fKeywords, srcJSONLD, 0, k)
	}
	for _, a := range g.persons(art["author"]) {
		c.offer(fAuthors, srcJSONLD, 0, a)
	}
	if pub, ok := g.resolve(art["publisher"]).(map[string]any); ok {
		c.offer(fSiteName, srcJSONLD, 0, ldText(pub["name"]))
	}
	for _, s := range g.sites {
		c.offer(fSiteName, srcJSONLD, 1, ldText(s["name"]))
	}
	for _, p := range g.pages {
		c.offer(fPublished, srcJSONLD, 2, ldString(p["datePublished"]))
		c.offer(fModified, srcJSONLD, 2, ldString(p["dateModified"]))
	}
	c.body = plainText(ldString(art["articleBody"]))
}

func (c *collector) chooseArticle(objs []map[string]any) map[string]any {
	if len(objs) == 0 {
		return nil
	}
	here := urlKey(c.base.String())
	for _, o := range objs {
		for _, k := range []string{"url", "@id", "mainEntityOfPage"} {
			var u string
			switch v := o[k].(type) {
			case string:
				u = v
			case map[string]any:
				u, _ = v["@id"].(string)
			}
			if u != "" && urlKey(absolute(c.base, u)) == here {
				return o
			}
		}
	}
	for _, o := range objs {
		if ldText(o["headline"]) != "" {
			return o
		}
	}
	return objs[0]
}

// urlKey is a URL without scheme, "www.", query, fragment and trailing
// slash, for telling whether two URLs name one page.
func urlKey(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return strings.TrimPrefix(strings.ToLower(u.Host), "www.") + strings.TrimSuffix(u.Path, "/")
}

// persons returns the names of the people in a JSON-LD author value: a
// string, a Person, a reference, or an array of them. Organizations are
// left out: an agency or the publisher is not a person author.
func (g *ldGraph) persons(v any) []string {
	var out []string
	switch v := g.resolve(v).(type) {
	case string:
		out = append(out, html.UnescapeString(v))
	case []any:
		for _, x := range v {
			out = append(out, g.persons(x)...)
		}
	case map[string]any:
		for _, t := range ldTypes(v) {
			if strings.Contains(t, "organization") || t == "corporation" || t == "newsmediaorganization" {
				return nil
			}
		}
		name := ldText(v["name"])
		if name == "" {
			name = strings.TrimSpace(ldText(v["givenName"]) + " " + ldText(v["familyName"]))
		}
		if name != "" {
			out = append(out, name)
		}
	}
	return out
}

// imageURL returns the first image URL in a JSON-LD image value: a string,
// an ImageObject (url or contentUrl), a reference, or an array of them.
func (g *ldGraph) imageURL(v any) string {
	switch v := g.resolve(v).(type) {
	case string:
		return v
	case []any:
		for _, x := range v {
			if u := g.imageURL(x); u != "" {
				return u
			}
		}
	case map[string]any:
		return firstNonEmpty(ldString(v["url"]), ldString(v["contentUrl"]))
	}
	return ""
}

// language reads inLanguage: a code, or a Language object.
func (g *ldGraph) language(v any) string {
	switch v := g.resolve(v).(type) {
	case string:
		return v
	case map[string]any:
		return firstNonEmpty(ldString(v["alternateName"]), ldString(v["name"]))
	}
	return ""
}

// pageURL is the URL an article object says it lives at.
func (g *ldGraph) pageURL(o map[string]any) string {
	switch v := o["mainEntityOfPage"].(type) {
	case string:
		return v
	case map[string]any:
		if u := firstNonEmpty(ldString(v["@id"]), ldString(v["url"])); u != "" {
			return u
		}
	}
	return ldString(o["url"])
}

// ldString returns v if it is a string, or the first string of an array.
func ldString(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case []any:
		for _, x := range v {
			if s := ldString(x); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldStrings returns every string in v (a string or an array).
func ldStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// ldText is ldString with HTML entities decoded and tags removed: JSON-LD
// headlines often arrive escaped ("Q&amp;A") or with <em> markup.
func ldText(v any) string {
	s := ldString(v)
	if strings.ContainsAny(s, "<&") {
		s = html.UnescapeString(anyTag.ReplaceAllString(s, ""))
	}
	return strings.Join(strings.Fields(s), " ")
}

// plainText turns an HTML or plain-text articleBody into paragraphs
// separated by blank lines, the form Extract gives the body text.
func plainText(s string) string {
	if s == "" {
		return ""
	}
	s = blockTag.ReplaceAllString(s, "\n")
	s = anyTag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	var paras []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			paras = append(paras, line)
		}
	}
	return strings.Join(paras, "\n\n")
}
