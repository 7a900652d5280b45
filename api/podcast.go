package api

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/feed"
	"github.com/newsline/newsline/internal/artwork"
	"github.com/newsline/newsline/store"
)

// PodcastImageSize is the generated cover's side: within Apple's
// 1400–3000 px.
const PodcastImageSize = 1400

// audioCacheControl: an episode's files never change once written (a new
// voice makes a new episode at a new path).
const audioCacheControl = "public, max-age=86400"

// podcastArt draws the generated cover once, on first request.
type podcastArt struct {
	once sync.Once
	png  *cachedResponse
	err  error
}

func (p *podcastArt) get(modified time.Time) (*cachedResponse, error) {
	p.once.Do(func() {
		var b []byte
		if b, p.err = artwork.PNG(PodcastImageSize); p.err == nil {
			p.png = newCachedResponse("/feeds/podcast.png", b, modified, "image/png", "public, max-age=86400")
		}
	})
	return p.png, p.err
}

func (s *Server) podcastRoutes() []route {
	return []route{
		{"GET /feeds/podcast.rss", s.podcastFeed(false)},
		{"GET /feeds/podcast/sites/{file}", s.podcastFeed(true)},
		{"GET /feeds/podcast.png", s.podcastImage},
		{"GET /feeds/me/{secret}/podcast.rss", s.personalPodcast},
		{"GET /audio/{path...}", s.serveAudio},
	}
}

// podcastOn reports whether the server has a podcast: an audio directory.
func (s *Server) podcastOn() bool { return s.Podcast.AudioDir != "" }

// podcastLimit checks a podcast feed's parameters (only limit) and that
// the server makes a podcast, and returns the limit.
func (s *Server) podcastLimit(r *http.Request) (int, error) {
	if err := checkParams(r, "limit"); err != nil {
		return 0, err
	}
	limit, err := feedLimit(r)
	if err != nil {
		return 0, err
	}
	if !s.podcastOn() {
		return 0, newsline.Errorf(newsline.ENOTFOUND, "this server makes no podcast (NEWSLINE_PODCAST=false)")
	}
	return limit, nil
}

func (s *Server) podcastFeed(bySite bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		limit, err := s.podcastLimit(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		q := store.EpisodeQuery{Limit: limit}
		title, self, page := s.Podcast.Title, "/feeds/podcast.rss", s.BaseURL+"/"
		if bySite {
			file := r.PathValue("file")
			host, ok := strings.CutSuffix(strings.ToLower(file), ".rss")
			if !ok {
				s.error(w, r, newsline.Errorf(newsline.ENOTFOUND, "no podcast %q: a site's podcast is HOST.rss", file))
				return
			}
			site, err := s.DB.Site(r.Context(), host)
			if err != nil {
				s.error(w, r, s.unknown(r.Context(), "site", host, err))
				return
			}
			q.SiteID = site.ID
			title = s.Podcast.Title + " – " + site.Name
			self, page = "/feeds/podcast/sites/"+url.PathEscape(site.Host)+".rss", s.BaseURL+"/sites/"+url.PathEscape(site.Host)
		}
		if limit != defaultFeedItems {
			self += "?limit=" + strconv.Itoa(limit)
		}
		s.writePodcast(w, r, q, title, s.BaseURL+self, page, feedCacheControl)
	}
}

// personalPodcast serves a user's podcast: the episodes of the sites and
// authors the user follows and of the articles the user bookmarked. As
// with the personal feeds, the secret in the URL is the credential (podcast
// apps cannot log in), and a secret nobody has is a 404.
func (s *Server) personalPodcast(w http.ResponseWriter, r *http.Request) {
	limit, err := s.podcastLimit(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	u, err := s.DB.UserByFeedSecret(r.Context(), r.PathValue("secret"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	self := s.BaseURL + "/feeds/me/" + url.PathEscape(r.PathValue("secret")) + "/podcast.rss"
	if limit != defaultFeedItems {
		self += "?limit=" + strconv.Itoa(limit)
	}
	s.writePodcast(w, r, store.EpisodeQuery{ListenerID: u.ID, Limit: limit}, u.Name+"’s podcast – "+s.Podcast.Title, self,
		s.BaseURL+"/", personalFeedCacheControl)
}

// writePodcast reads the episodes and answers with their feed.
func (s *Server) writePodcast(w http.ResponseWriter, r *http.Request, q store.EpisodeQuery, title, self, page, cacheControl string) {
	eps, err := s.DB.Episodes(r.Context(), q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.podcastDocument(eps, title, self, page)
	var body bytes.Buffer
	if err := feed.WritePodcast(&body, p); err != nil {
		s.error(w, r, err)
		return
	}
	var modified = p.Updated
	if len(eps) == 0 {
		modified = s.started
	}
	writeCached(w, r, newCachedResponse(self, body.Bytes(), modified, feed.RSS.ContentType(), cacheControl))
}

// podcastDocument makes the podcast feed of episodes.
func (s *Server) podcastDocument(eps []store.Episode, title, self, page string) *feed.Podcast {
	pc := s.Podcast
	p := &feed.Podcast{Title: title, Description: pc.Description, SelfURL: self, SiteURL: page, ImageURL: pc.ImageURL,
		Author: pc.Author, OwnerName: pc.OwnerName, OwnerEmail: pc.OwnerEmail, Category: pc.Category, Explicit: pc.Explicit,
		Updated: s.started}
	if p.ImageURL == "" {
		p.ImageURL = s.BaseURL + "/feeds/podcast.png"
	}
	if p.OwnerName == "" {
		p.OwnerName = pc.Author
	}
	langs := map[string]int{}
	for i, e := range eps {
		a := e.Article
		desc := a.Summary
		if desc == "" {
			desc = a.Excerpt
		}
		desc = strings.TrimSpace(desc + "\n\nRead the article: " + a.CanonicalURL)
		p.Episodes = append(p.Episodes, feed.Episode{GUID: fmt.Sprintf("newsline:episode:%d", e.ID), Title: a.Title,
			Link: a.CanonicalURL, Description: desc, Authors: a.Authors, Published: e.CreatedAt, Duration: e.Duration,
			Audio:      feed.Enclosure{URL: s.audioURL(e.Path), Type: feed.MP3Type, Length: e.Bytes},
			Transcript: s.audioURL(e.TranscriptPath), Chapters: s.audioURL(e.ChaptersPath)})
		if i == 0 || e.CreatedAt.After(p.Updated) {
			p.Updated = e.CreatedAt
		}
		langs[e.Language]++
	}
	if p.Language = majority(langs); p.Language == "" {
		p.Language = "en"
	}
	return p
}

// audioURL is the absolute URL of a file of the audio directory.
func (s *Server) audioURL(rel string) string {
	if rel == "" {
		return ""
	}
	parts := strings.Split(rel, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return s.BaseURL + "/audio/" + strings.Join(parts, "/")
}

// podcastImage serves the generated cover.
func (s *Server) podcastImage(w http.ResponseWriter, r *http.Request) {
	art, err := s.podcastArt.get(s.started)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeCached(w, r, art)
}

// audioTypes are the files of the audio directory served, by ending.
var audioTypes = map[string]string{
	".mp3":           feed.MP3Type,
	".vtt":           feed.VTTType, // always UTF-8
	".chapters.json": feed.ChaptersType,
}

// serveAudio serves an episode's files with Range requests (podcast apps
// seek and resume), ETag and Last-Modified. Only the episodes' files are
// served: a temporary file (its name starts with a dot) never, so a
// half-written file is not seen.
func (s *Server) serveAudio(w http.ResponseWriter, r *http.Request) {
	rel := r.PathValue("path")
	typ := ""
	for ext, t := range audioTypes {
		if strings.HasSuffix(rel, ext) {
			typ = t
		}
	}
	notFound := newsline.Errorf(newsline.ENOTFOUND, "no audio file %q", rel)
	if !s.podcastOn() || typ == "" || !fs.ValidPath(rel) || strings.HasPrefix(path.Base(rel), ".") {
		s.error(w, r, notFound)
		return
	}
	f, err := os.Open(filepath.Join(s.Podcast.AudioDir, filepath.FromSlash(rel)))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = notFound
		}
		s.error(w, r, err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		s.error(w, r, notFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", typ)
	h.Set("Cache-Control", audioCacheControl)
	// The file is renamed into place whole and never rewritten, so its
	// size and time name its content.
	h.Set("ETag", fmt.Sprintf(`"%x-%x"`, st.Size(), st.ModTime().UnixNano()))
	http.ServeContent(w, r, "", st.ModTime(), f)
}
