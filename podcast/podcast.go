// Package podcast makes Newsline's episodes: it chooses the day's articles
// (the selection policy over trending terms and listed sites) and reads
// each aloud into an MP3 file with its Podcasting 2.0 chapters and a
// WebVTT transcript beside it, recorded as a store.Episode. The files sit
// under the audio directory as YYYY/MM/slug-id.mp3, a layout a web server
// serves as it is.
package podcast

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/audio"
	"github.com/newsline/newsline/store"
)

// Maker makes episodes.
type Maker struct {
	DB      *store.DB
	Speaker *audio.Speaker
	Dir     string // the audio directory
	Album   string // the podcast's title, the ID3 album
	Logger  *slog.Logger
	// Now is the clock that dates the files' folders; time.Now when nil.
	Now func() time.Time
}

// ErrBusy means another job is making the same article's episode; the job
// that meets it tries again later.
var ErrBusy = errors.New("podcast: the article's episode is being made by another job")

// Make returns the article's episode by the engine that reads its
// language, making it unless it exists: a job run twice makes one
// episode. created says whether this call made it.
func (m *Maker) Make(ctx context.Context, articleID int64) (store.Episode, bool, error) {
	a, err := m.DB.Article(ctx, articleID)
	if err != nil {
		return store.Episode{}, false, err
	}
	eng, err := m.Speaker.Engine(a.Language)
	if err != nil {
		return store.Episode{}, false, err
	}
	if ep, err := m.DB.EpisodeFor(ctx, a.ID, eng.Version()); err == nil || newsline.ErrorCode(err) != newsline.ENOTFOUND {
		return ep, false, err
	}
	var ep store.Episode
	var created bool
	locked, err := m.DB.WithArticleLock(ctx, a.ID, func() error {
		// Made while this job waited for the lock?
		ep, err = m.DB.EpisodeFor(ctx, a.ID, eng.Version())
		if newsline.ErrorCode(err) != newsline.ENOTFOUND {
			return err
		}
		ep, created, err = m.render(ctx, &a)
		return err
	})
	if err == nil && !locked {
		err = ErrBusy
	}
	return ep, created, err
}

// render reads the article into its files and records the episode.
func (m *Maker) render(ctx context.Context, a *newsline.Article) (store.Episode, bool, error) {
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	rel := EpisodePath(a, now())
	abs := filepath.Join(m.Dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return store.Episode{}, false, fmt.Errorf("podcast: %w", err)
	}
	sc := audio.ScriptFor(a)
	start := time.Now()
	res, err := m.Speaker.Render(ctx, sc, sc.Tags(m.Album, a.CanonicalURL), abs+".mp3")
	if err != nil {
		return store.Episode{}, false, fmt.Errorf("podcast: article %d: %w", a.ID, err)
	}
	files := []string{rel + ".mp3", rel + ".chapters.json", rel + ".vtt"}
	chapters := audio.Chapters(res.Chunks, 0)
	var cb, vb bytes.Buffer
	err1 := audio.WriteChapters(&cb, chapters)
	err2 := audio.WriteVTT(&vb, audio.Cues(res.Chunks))
	err3 := writeAtomic(abs+".chapters.json", cb.Bytes())
	err4 := writeAtomic(abs+".vtt", vb.Bytes())
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return store.Episode{}, false, errors.Join(fmt.Errorf("podcast: %w", err), RemoveFiles(m.Dir, files...))
	}
	st, err := os.Stat(abs + ".mp3")
	if err != nil {
		return store.Episode{}, false, fmt.Errorf("podcast: %w", err)
	}
	ep, created, err := m.DB.AddEpisode(ctx, store.Episode{ArticleID: a.ID, Engine: res.Engine, EngineVersion: res.Version,
		Language: a.Language, Path: files[0], Bytes: st.Size(), Duration: res.Duration, ChaptersPath: files[1],
		TranscriptPath: files[2], Chapters: len(chapters)})
	if err != nil || (!created && ep.Path != files[0]) {
		// Not recorded, or another episode was: these files are no one's.
		err = errors.Join(err, RemoveFiles(m.Dir, files...))
	}
	if err == nil && m.Logger != nil {
		m.Logger.InfoContext(ctx, "episode made", "article_id", a.ID, "path", ep.Path, "engine", res.Engine,
			"seconds", res.Duration.Seconds(), "bytes", st.Size(), "took", time.Since(start).Round(time.Millisecond))
	}
	return ep, created, err
}

// EpisodePath is where an article's episode made at t goes, relative to
// the audio directory and without extension: YYYY/MM/slug-id.
func EpisodePath(a *newsline.Article, t time.Time) string {
	slug := newsline.Slug(a.Title)
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:60], "-")
	}
	if slug == "" {
		slug = "article"
	}
	t = t.UTC()
	return fmt.Sprintf("%04d/%02d/%s-%d", t.Year(), int(t.Month()), slug, a.ID)
}

// writeAtomic writes b to path through a temporary file in the same
// directory, renamed into place, so a reader never sees half of it.
func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	_, err1 := tmp.Write(b)
	err2 := tmp.Close()
	if err := errors.Join(err1, err2, os.Chmod(tmp.Name(), 0o644)); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// RemoveFiles removes episode files given relative to dir; one already
// gone is no error.
func RemoveFiles(dir string, paths ...string) error {
	var errs []error
	for _, p := range paths {
		if p == "" || !fs.ValidPath(p) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(p))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
