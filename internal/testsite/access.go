package testsite

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Config returns the effective configuration (defaults applied).
func (s *Site) Config() Config {
	c := s.cfg
	c.Sections = slices.Clone(c.Sections)
	c.ExternalLinks = slices.Clone(c.ExternalLinks)
	return c
}

// DeadLinks returns the paths linked from article bodies that answer 404
// (with Config.LinkInBodies; nil without), in article order.
func (s *Site) DeadLinks() []string {
	var out []string
	for _, rd := range s.render {
		if rd.deadLink != "" {
			out = append(out, rd.deadLink)
		}
	}
	return out
}

// Sections returns the section names in configuration order.
func (s *Site) Sections() []string { return slices.Clone(s.cfg.Sections) }

// Articles returns all articles, newest first. The result is a copy.
func (s *Site) Articles() []Article {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Article, len(s.articles))
	for i, a := range s.articles {
		out[i] = a.clone()
	}
	return out
}

// Allowed returns the articles that robots.txt does not disallow, newest first.
func (s *Site) Allowed() []Article {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Article, 0, len(s.articles))
	for _, a := range s.articles {
		if !a.Disallowed {
			out = append(out, a.clone())
		}
	}
	return out
}

// SectionArticles returns the articles of one section, newest first (nil for
// an unknown section).
func (s *Site) SectionArticles(section string) []Article {
	if !slices.Contains(s.cfg.Sections, section) {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	idx := s.bySection[section]
	out := make([]Article, len(idx))
	for k, i := range idx {
		out[k] = s.articles[i].clone()
	}
	return out
}

// Lookup returns the article served at the site-relative path.
func (s *Site) Lookup(path string) (Article, bool) {
	i, ok := s.byPath[path]
	if !ok {
		return Article{}, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.articles[i].clone(), true
}

// CorrectionText opens the paragraph Revise appends.
const CorrectionText = "Correction: an earlier version of this article misstated a figure."

// Revise publishes a correction of the article at path, as a news site
// does after publication: it appends the paragraph
// CorrectionText + " Revision N." (N counts this article's revisions, so every
// call changes the page again) and moves Modified one hour later. The page
// and its ETag and Last-Modified change, and so do the documents that show
// the article's Modified: the sitemaps that list it, and the feed's
// lastBuildDate when the article becomes the most recently modified.
// Revise is deterministic and safe to call while the site is being served.
// It returns the revised article.
func (s *Site) Revise(path string) (Article, error) {
	i, ok := s.byPath[path]
	if !ok {
		return Article{}, fmt.Errorf("testsite: no article at %q", path)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revisions[i]++
	a := &s.articles[i]
	// A fresh slice, so copies handed out earlier never see the change.
	paras := make([]string, len(a.Paragraphs), len(a.Paragraphs)+1)
	copy(paras, a.Paragraphs)
	a.Paragraphs = append(paras, CorrectionText+" Revision "+strconv.Itoa(s.revisions[i])+".")
	a.Modified = a.Modified.Add(time.Hour)
	return a.clone(), nil
}
