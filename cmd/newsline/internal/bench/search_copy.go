package bench

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// articleColumns are the columns COPY fills, in appendRow's order; the
// rest keep their defaults.
func articleColumns() []string {
	return []string{"id", "site_id", "url", "canonical_url", "title", "byline", "published_at", "sort_at",
		"body_text", "body_html", "excerpt", "site_name", "language", "word_count", "fetched_at",
		"ts_config", "section", "section_key", "kind", "search"}
}

// copyChunk generates articles [from, to) and COPYs them and their author
// links; it returns the number of links.
func (l *searchLoader) copyChunk(ctx context.Context, conn *pgx.Conn, gen *searchGen, from, to int, done *atomic.Int64) (int, error) {
	src := &copyStream{l: l, gen: gen, next: from, to: to, done: done}
	sql := `COPY articles (` + strings.Join(articleColumns(), ", ") + `) FROM STDIN (FORMAT binary)`
	if _, err := conn.PgConn().CopyFrom(ctx, src, sql); err != nil {
		return 0, fmt.Errorf("bench: copy articles: %w", err)
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"article_authors"}, []string{"article_id", "author_id", "position"}, pgx.CopyFromRows(src.links)); err != nil {
		return 0, fmt.Errorf("bench: copy article_authors: %w", err)
	}
	return len(src.links), nil
}

// copyStream is the binary COPY of articles [next, to), generated as
// PostgreSQL reads it: each article's text and vector are written straight
// into the stream, never held as strings (the Go side was half the load's
// time when the rows went through pgx's encoders).
type copyStream struct {
	l        *searchLoader
	gen      *searchGen
	next, to int
	done     *atomic.Int64
	links    [][]any
	buf      []byte
	off      int
	started  bool
	ended    bool
}

// copyFlush is how much of the stream is generated at a time.
const copyFlush = 256 << 10

func (s *copyStream) Read(p []byte) (int, error) {
	if s.off == len(s.buf) {
		if s.ended {
			return 0, io.EOF
		}
		s.buf, s.off = s.buf[:0], 0
		if !s.started {
			s.started = true
			s.buf = append(s.buf, "PGCOPY\n\xff\r\n\x00"...)
			s.buf = binary.BigEndian.AppendUint64(s.buf, 0) // flags, header extension length
		}
		n := 0
		for len(s.buf) < copyFlush && s.next < s.to {
			s.buf = s.appendRow(s.buf, s.next)
			s.next++
			n++
		}
		s.done.Add(int64(n))
		if s.next >= s.to {
			s.buf = binary.BigEndian.AppendUint16(s.buf, 0xffff) // trailer
			s.ended = true
		}
	}
	n := copy(p, s.buf[s.off:])
	s.off += n
	return n, nil
}

// pgEpoch is where PostgreSQL's binary timestamps count from.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// appendRow writes article n as one binary COPY row of articleColumns.
func (s *copyStream) appendRow(b []byte, n int) []byte {
	g, l := s.gen, s.l
	g.draw(n)
	v := g.vocabs[g.lang]
	id := int64(n + 1)
	b = binary.BigEndian.AppendUint16(b, uint16(len(articleColumns())))
	b = pgInt8(b, id)
	b = pgInt8(b, l.siteIDs[g.site])
	b, start := pgField(b) // url
	b = append(b, "https://"...)
	b = append(b, searchSiteHost(g.site)...)
	b = append(b, '/')
	b = append(b, g.section...)
	b = append(b, '/')
	b = g.pub.AppendFormat(b, "2006/01/02")
	b = append(b, "/article-"...)
	b = strconv.AppendInt(b, id, 10)
	b = pgEnd(b, start)
	urlStart, urlEnd := start, len(b)
	b, start = pgField(b) // canonical_url
	b = append(b, b[urlStart:urlEnd]...)
	b = pgEnd(b, start)
	b, start = pgField(b) // title
	b = g.appendWords(b, v, g.title, nil, 0, len(g.title))
	b = pgEnd(b, start)
	b, start = pgField(b) // byline
	switch len(g.written) {
	case 1:
		b = append(append(b, "By "...), g.authors[g.written[0]]...)
	case 2:
		b = append(append(b, "By "...), g.authors[g.written[0]]...)
		b = append(append(b, " and "...), g.authors[g.written[1]]...)
	}
	b = pgEnd(b, start)
	b = pgTimestamp(b, g.pub) // published_at
	b = pgTimestamp(b, g.pub) // sort_at
	b = appendBody(b, g, v)   // body_text, body_html
	b, start = pgField(b)     // excerpt: the first sentence
	b = g.appendSentences(b, v, 0, 1)
	b = pgEnd(b, start)
	b = pgText(b, l.siteNames[g.site])
	b = pgText(b, v.lang.Code)
	b = binary.BigEndian.AppendUint32(append(b, 0, 0, 0, 4), uint32(len(g.tokens))) // word_count
	b = pgTimestamp(b, g.pub.Add(7*time.Minute))                                    // fetched_at
	b = binary.BigEndian.AppendUint32(append(b, 0, 0, 0, 4), l.regcfg[g.lang])      // ts_config
	b = pgText(b, g.section)
	b = pgText(b, g.sectionKey)
	b = pgText(b, "article")
	b, start = pgField(b) // search
	b = g.appendVector(b, v)
	b = pgEnd(b, start)
	for i, au := range g.written {
		s.links = append(s.links, []any{id, l.authorID[au], int32(i + 1)})
	}
	return b
}

// appendBody appends the fields body_text, the drawn article's paragraphs
// parted by blank lines, and body_html, the same paragraphs in <p>
// elements.
func appendBody(b []byte, g *searchGen, v *searchVocab) []byte {
	b, start := pgField(b)
	var paras [][2]int // byte ranges of the paragraphs in b
	for pi, p := range g.paras {
		if pi > 0 {
			b = append(b, "\n\n"...)
		}
		from := len(b)
		b = g.appendSentences(b, v, p[0], p[1])
		paras = append(paras, [2]int{from, len(b)})
	}
	b = pgEnd(b, start)
	b, start = pgField(b)
	for _, p := range paras {
		b = append(b, "<p>"...)
		b = append(b, b[p[0]:p[1]]...)
		b = append(b, "</p>\n"...)
	}
	return pgEnd(b, start)
}

// Fields of PostgreSQL's binary COPY format: a field is its length, then
// its bytes. pgField starts one of unknown length, pgEnd writes it.
func pgField(b []byte) ([]byte, int) { return append(b, 0, 0, 0, 0), len(b) + 4 }

func pgEnd(b []byte, start int) []byte {
	binary.BigEndian.PutUint32(b[start-4:], uint32(len(b)-start))
	return b
}

func pgInt8(b []byte, x int64) []byte {
	return binary.BigEndian.AppendUint64(append(b, 0, 0, 0, 8), uint64(x))
}

func pgTimestamp(b []byte, t time.Time) []byte { return pgInt8(b, t.Sub(pgEpoch).Microseconds()) }

func pgText(b []byte, t string) []byte {
	return append(binary.BigEndian.AppendUint32(b, uint32(len(t))), t...)
}
