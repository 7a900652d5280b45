package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/newsline/newsline"
)

// limited checks a form's rate limits: nil, or an ERATELIMITED error
// for the page, with Retry-After set on w.
func (s *Server) limited(w http.ResponseWriter, r *http.Request, limits []rateLimit) error {
	rec := &limitRecorder{header: http.Header{}}
	if s.allow(rec, r, limits...) {
		return nil
	}
	return rec.refused(w)
}

// pageLogin is checkLogin for the login form: a rate limit it meets is an
// ERATELIMITED error for the page rather than the API's JSON answer.
func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request, login, pw string) (newsline.User, error) {
	rec := &limitRecorder{header: http.Header{}}
	u, err := s.checkLogin(rec, r, login, pw)
	if err == errLimited {
		return u, rec.refused(w)
	}
	return u, err
}

// refused copies the Retry-After that allow set to w and says when to try
// again.
func (l *limitRecorder) refused(w http.ResponseWriter) error {
	after := l.header.Get("Retry-After")
	w.Header().Set("Retry-After", after)
	return newsline.Errorf(newsline.ERATELIMITED, "too many attempts; try again in %s seconds", after)
}

// limitRecorder keeps what allow writes when it refuses, so a page can
// answer instead of the API's JSON.
type limitRecorder struct{ header http.Header }

func (l *limitRecorder) Header() http.Header         { return l.header }
func (l *limitRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (l *limitRecorder) WriteHeader(int)             {}

// myFeedPage lists the articles of the sites and authors the reader
// follows, newest first, page by page.
func (s *Server) myFeedPage(w http.ResponseWriter, r *http.Request, u newsline.User) {
	list, err := s.DB.FollowedArticles(r.Context(), u.ID, r.URL.Query().Get("cursor"), webPageSize)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	data := &listingView{page: page{Title: "My feed", Nav: "feed"}, Heading: "My feed", Items: listItems(list.Articles),
		Empty: "Nothing here yet: follow a site or an author from its page, and their articles come here."}
	data.Next = nextURL(r.URL.Path, url.Values{}, "cursor", list.NextCursor)
	if secret, err := s.DB.FeedSecret(r.Context(), u.ID); err == nil {
		data.Feeds = s.personalFeeds(s.personalFeedURLs(secret).Following, "My feed – Newsline")
	}
	s.render(w, r, http.StatusOK, "listing", data)
}

// myBookmarksPage lists the reader's bookmarks, the latest first.
func (s *Server) myBookmarksPage(w http.ResponseWriter, r *http.Request, u newsline.User) {
	list, err := s.DB.Bookmarks(r.Context(), u.ID, r.URL.Query().Get("cursor"), webPageSize)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	data := &listingView{page: page{Title: "Bookmarks", Nav: "bookmarks"}, Heading: "Bookmarks", Items: listItems(list.Articles),
		Empty: "No bookmarks yet: an article's page has a button to keep it here."}
	data.Next = nextURL(r.URL.Path, url.Values{}, "cursor", list.NextCursor)
	if secret, err := s.DB.FeedSecret(r.Context(), u.ID); err == nil {
		data.Feeds = s.personalFeeds(s.personalFeedURLs(secret).Bookmarks, "My bookmarks – Newsline")
	}
	s.render(w, r, http.StatusOK, "listing", data)
}

// personalFeeds are a personal feed's links for a page.
func (s *Server) personalFeeds(links FeedLinksJSON, title string) []feedLink {
	return []feedLink{
		{URL: links.RSS, Type: "application/rss+xml", Title: title + " (RSS)", Label: "RSS"},
		{URL: links.Atom, Type: "application/atom+xml", Title: title + " (Atom)", Label: "Atom"},
		{URL: links.JSON, Type: "application/feed+json", Title: title + " (JSON Feed)", Label: "JSON Feed"},
	}
}

// followForm follows or unfollows a site or author and goes back to the
// page the button was on.
func (s *Server) followForm(kind string, on bool) userHandler {
	return func(w http.ResponseWriter, r *http.Request, u newsline.User) {
		if err := parseForm(w, r); err != nil {
			s.pageError(w, r, err)
			return
		}
		ctx, name := r.Context(), r.PathValue("name")
		var err error
		switch {
		case kind == "site" && on:
			err = s.unknown(ctx, "site", name, s.DB.FollowSite(ctx, u.ID, name))
		case kind == "site":
			err = s.DB.UnfollowSite(ctx, u.ID, name)
		case on:
			err = s.unknown(ctx, "author", name, s.DB.FollowAuthor(ctx, u.ID, newsline.Slug(name)))
		default:
			err = s.DB.UnfollowAuthor(ctx, u.ID, newsline.Slug(name))
		}
		// Unfollowing what one does not follow leaves things as wanted.
		if err != nil && (on || newsline.ErrorCode(err) != newsline.ENOTFOUND) {
			s.pageError(w, r, err)
			return
		}
		http.Redirect(w, r, localPath(r.PostForm.Get("back"), "/"+kind+"s/"+url.PathEscape(name)), http.StatusSeeOther)
	}
}

// bookmarkForm adds or removes a bookmark and goes back to the article.
func (s *Server) bookmarkForm(on bool) userHandler {
	return func(w http.ResponseWriter, r *http.Request, u newsline.User) {
		if err := parseForm(w, r); err != nil {
			s.pageError(w, r, err)
			return
		}
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id < 1 {
			s.pageError(w, r, newsline.Errorf(newsline.ENOTFOUND, "no article %q", r.PathValue("id")))
			return
		}
		if on {
			err = s.DB.Bookmark(r.Context(), u.ID, id)
		} else if err = s.DB.Unbookmark(r.Context(), u.ID, id); newsline.ErrorCode(err) == newsline.ENOTFOUND {
			err = nil // not bookmarked: as wanted
		}
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		http.Redirect(w, r, localPath(r.PostForm.Get("back"), "/articles/"+strconv.FormatInt(id, 10)), http.StatusSeeOther)
	}
}

// followButton is the follow or unfollow button of a site's or author's
// page for the logged-in reader; nil when nobody is logged in.
func (s *Server) followButton(r *http.Request, kind, name string) *formButton {
	u, ok := viewer(r)
	if !ok || kind == "section" {
		return nil
	}
	on, err := s.DB.IsFollowing(r.Context(), u.ID, kind, name)
	if err != nil {
		s.Logger.Warn("web page: follow state", "err", err)
		return nil
	}
	b := &formButton{Action: "/" + kind + "s/" + url.PathEscape(name) + "/follow", Back: r.URL.RequestURI(), Label: "Follow", On: on}
	if on {
		b.Action, b.Label = "/"+kind+"s/"+url.PathEscape(name)+"/unfollow", "Unfollow"
	}
	return b
}

// articleButtons are the bookmark and follow-the-site buttons of an
// article's page for the logged-in reader; none when nobody is.
func (s *Server) articleButtons(r *http.Request, a newsline.Article) []formButton {
	u, ok := viewer(r)
	if !ok {
		return nil
	}
	marked, err := s.DB.IsBookmarked(r.Context(), u.ID, a.ID)
	if err != nil {
		s.Logger.Warn("article page: bookmark state", "err", err)
		return nil
	}
	id := strconv.FormatInt(a.ID, 10)
	b := formButton{Action: "/articles/" + id + "/bookmark", Back: "/articles/" + id, Label: "Bookmark"}
	if marked {
		b = formButton{Action: "/articles/" + id + "/unbookmark", Back: b.Back, Label: "Remove bookmark", On: true}
	}
	out := []formButton{b}
	if f := s.followButton(r, "site", a.Site); f != nil {
		f.Back, f.Label = b.Back, f.Label+" "+a.Site
		out = append(out, *f)
	}
	return out
}
