package api

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/newsline/newsline"
)

// Article page figures.
const (
	wordsPerMinute = 230 // an adult's silent reading speed
	relatedOnPage  = 5
)

type articleView struct {
	page
	A       newsline.Article
	Body    template.HTML
	Minutes int
	Image   string // the article's image, when it can be loaded over HTTPS (the pages' CSP)
	Buttons []formButton
	Related []newsline.Article
}

// articlePage serves one article: its sanitized body, who wrote it and
// when, the way to the source, and related articles.
func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.pageError(w, r, newsline.Errorf(newsline.ENOTFOUND, "no article %q: an article's address ends in its number", r.PathValue("id")))
		return
	}
	a, err := s.DB.Article(r.Context(), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	data := &articleView{page: page{Title: a.Title}, A: a, Body: s.articleBody(a),
		Minutes: max(1, (a.WordCount+wordsPerMinute/2)/wordsPerMinute)}
	if strings.HasPrefix(a.ImageURL, "https://") {
		data.Image = a.ImageURL
	}
	data.Buttons = s.articleButtons(r, a)
	// Related articles are a nicety: the page goes on without them.
	if data.Related, err = s.DB.Related(r.Context(), a.ID, a.Keywords, relatedOnPage); err != nil {
		s.Logger.Warn("article page: related", "id", a.ID, "err", err)
	}
	s.render(w, r, http.StatusOK, "article", data)
}

// articleBody is the article's HTML, sanitized again at the edge (the
// extractor's policy may change; this one is the page's), or its text in
// paragraphs when it has no HTML.
func (s *Server) articleBody(a newsline.Article) template.HTML {
	if strings.TrimSpace(a.HTML) != "" {
		return template.HTML(s.web.policy.Sanitize(a.HTML))
	}
	var b strings.Builder
	for _, p := range strings.Split(a.Text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("<p>" + template.HTMLEscapeString(p) + "</p>\n")
		}
	}
	return template.HTML(b.String())
}
