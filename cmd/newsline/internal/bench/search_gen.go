package bench

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/newsline/newsline"
)

// The synthetic archive of the search benchmark. Everything is a pure
// function of the seed and the article number, so an article can be made
// again at any time (the phrase queries are drawn that way) and the load
// can be split among streams in any order.

// Shape of the generated archive.
const (
	searchSites          = 50
	searchAuthorsPerSite = 60 // 3,000 authors in all
	searchYears          = 3
	searchZipfS          = 1.07
	// DefaultSearchVocabulary is the number of word types per language.
	DefaultSearchVocabulary = 50_000
)

// searchEpoch is where the archive's three years begin.
func searchEpoch() time.Time { return time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC) }

func searchSiteHost(i int) string { return fmt.Sprintf("site%02d.bench.example", i+1) }

// searchSiteLang gives site i (0-based) its language: 40 English sites,
// then 4 German, 3 French, 3 Spanish.
func searchSiteLang(i int) int {
	switch {
	case i < 40:
		return 0
	case i < 44:
		return 1
	case i < 47:
		return 2
	default:
		return 3
	}
}

func searchSections() []string {
	return []string{"world", "politics", "business", "technology", "science", "sport", "culture", "opinion", "health", "local"}
}

// searchAuthorNames returns the authors' names; author i writes for site
// i mod 50.
func searchAuthorNames() []string {
	first := strings.Fields("Anna Ben Carla David Emma Felix Grace Hugo Ines Jonas Kara Liam Maria Noah Olga Paul Quinn Rosa Sam Tara Umar Vera Will Xena Yusuf Zoe Leon Mia Omar Lena")
	last := strings.Fields("Adams Berg Costa Dubois Evans Fischer Garcia Hansen Ito Jensen Kowalski Lopez Meyer Novak Olsen Petrov Quist Rossi Schmidt Torres Urban Vogel Weber Young Zimmer Moreau Silva Brown Khan Lindqvist")
	out := make([]string, searchSites*searchAuthorsPerSite)
	for i := range out {
		out[i] = fmt.Sprintf("%s %c. %s", first[i%len(first)], 'A'+rune(i/len(first)%26), last[(i/7+i)%len(last)])
	}
	return out
}

// searchGen makes articles; one per goroutine (it holds scratch space).
// An article is first drawn (draw: its site, dates, authors and words, as
// token ranks), then written as one row of a binary COPY (appendRow).
type searchGen struct {
	seed     int64
	articles int
	vocabs   []*searchVocab
	zipf     *zipfTable
	authors  []string // names

	// The article drawn last.
	cur        int // its number
	site       int
	lang       int
	section    string
	sectionKey string // newsline.Slug(section)
	pub        time.Time
	written    []int   // author numbers, 0-based
	title      []int32 // ranks of the title's words
	tokens     []int32 // ranks of the body's words, in order
	sentEnd    []int   // token index after each sentence's last word
	comma      []bool  // a comma follows the token
	paras      [][2]int

	// Scratch for the search vector: entries of the lexemes seen, found
	// by lexeme number, and a bitmap over the lexemes' byte order that
	// lists them sorted.
	stamp  []uint32 // lexeme number → generation when last seen
	slot   []int32  // lexeme number → index into ents
	ents   []genEntry
	gen    uint32
	sorted []uint64 // bit i set: the lexeme in place i of byte order is in ents
	byOrd  []int32  // place in byte order → index into ents
}

type genEntry struct {
	lex int32
	pos []uint16 // weight<<14 | position, as PostgreSQL packs them
}

func newSearchGen(seed int64, articles int, vocabs []*searchVocab, zipf *zipfTable) *searchGen {
	n := 0
	for _, v := range vocabs {
		n = max(n, len(v.lexemes))
	}
	return &searchGen{seed: seed, articles: articles, vocabs: vocabs, zipf: zipf, authors: searchAuthorNames(),
		stamp: make([]uint32, n), slot: make([]int32, n), sorted: make([]uint64, (n+63)/64), byOrd: make([]int32, n), cur: -1}
}

// articleRNG is article n's own random source.
func articleRNG(seed int64, n int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed)^0x6e6577736c696e65, uint64(n)))
}

// draw makes article n's choices: everything but the text itself.
func (g *searchGen) draw(n int) {
	if g.cur == n {
		return
	}
	g.cur = n
	rng := articleRNG(g.seed, n)
	g.site = rng.IntN(searchSites)
	g.lang = searchSiteLang(g.site)
	secs := searchSections()
	g.section = secs[min(int(rng.ExpFloat64()*2.5), len(secs)-1)]
	g.sectionKey = newsline.Slug(g.section)

	// Mostly in crawl order: the archive grows day by day, with some
	// articles published (or backdated) a few days off their neighbours.
	span := time.Duration(searchYears) * 365 * 24 * time.Hour
	at := time.Duration(float64(span) * (float64(n) + 0.5) / float64(g.articles))
	at += time.Duration(rng.NormFloat64() * float64(36*time.Hour))
	at = min(max(at, 0), span-time.Second)
	g.pub = searchEpoch().Add(at).Truncate(time.Second)

	g.written = g.written[:0]
	switch x := rng.IntN(100); {
	case x < 15:
	case x < 85:
		g.written = append(g.written, searchAuthorOf(g.site, rng.IntN(searchAuthorsPerSite)))
	default:
		p, q := rng.IntN(searchAuthorsPerSite), rng.IntN(searchAuthorsPerSite-1)
		if q >= p {
			q++
		}
		g.written = append(g.written, searchAuthorOf(g.site, p), searchAuthorOf(g.site, q))
	}

	// Title: 6–12 words, no punctuation.
	g.title = g.title[:0]
	for range 6 + rng.IntN(7) {
		g.title = append(g.title, g.zipf.draw(rng))
	}
	// Body: 300–600 words in sentences of 8–25 words, 3–7 sentences a
	// paragraph. The excerpt is the first sentence.
	total := 300 + rng.IntN(301)
	g.tokens, g.sentEnd, g.comma = g.tokens[:0], g.sentEnd[:0], g.comma[:0]
	for len(g.tokens) < total {
		l := 8 + rng.IntN(18)
		if rest := total - len(g.tokens); rest-l < 4 {
			l = rest
		}
		for i := range l {
			g.tokens = append(g.tokens, g.zipf.draw(rng))
			g.comma = append(g.comma, i > 1 && i < l-2 && rng.IntN(16) == 0)
		}
		g.sentEnd = append(g.sentEnd, len(g.tokens))
	}
	g.paras = g.paras[:0]
	for s := 0; s < len(g.sentEnd); {
		e := min(s+3+rng.IntN(5), len(g.sentEnd))
		g.paras = append(g.paras, [2]int{s, e})
		s = e
	}
}

func searchAuthorOf(site, k int) int { return site + searchSites*k }

// appendSentences writes sentences [from, to) of the body.
func (g *searchGen) appendSentences(b []byte, v *searchVocab, from, to int) []byte {
	for s := from; s < to; s++ {
		if s > from {
			b = append(b, ' ')
		}
		start := 0
		if s > 0 {
			start = g.sentEnd[s-1]
		}
		b = g.appendWords(b, v, g.tokens, g.comma, start, g.sentEnd[s])
		b = append(b, '.')
	}
	return b
}

// appendWords writes tokens[from:to] as words separated by spaces (and
// the odd comma), the first capitalised when it starts with an ASCII
// letter.
func (g *searchGen) appendWords(b []byte, v *searchVocab, tokens []int32, comma []bool, from, to int) []byte {
	for i := from; i < to; i++ {
		w := v.words[tokens[i]]
		if i > from {
			if comma != nil && comma[i-1] {
				b = append(b, ',')
			}
			b = append(b, ' ')
		} else if c := w[0]; c >= 'a' && c <= 'z' {
			b = append(b, c-'a'+'A')
			w = w[1:]
		}
		b = append(b, w...)
	}
	return b
}

// addField adds one field's words to the vector as to_tsvector and
// setweight would, its positions shifted by offset as || shifts the right
// operand's, and returns the offset for the next field: the greatest
// position of the vector so far. Every word takes a position; a stop word
// makes no lexeme. Punctuation takes none.
func (g *searchGen) addField(v *searchVocab, tokens []int32, weight uint16, offset int) int {
	last := offset
	for i, r := range tokens {
		lex := v.lex[r]
		if lex < 0 {
			continue
		}
		pos := min(offset+i+1, 16383) // PostgreSQL's MAXENTRYPOS
		if g.stamp[lex] != g.gen {
			g.stamp[lex] = g.gen
			g.slot[lex] = int32(len(g.ents))
			if len(g.ents) < cap(g.ents) {
				g.ents = g.ents[:len(g.ents)+1]
				e := &g.ents[len(g.ents)-1]
				e.lex, e.pos = lex, e.pos[:0]
			} else {
				g.ents = append(g.ents, genEntry{lex: lex})
			}
			ord := v.order[lex]
			g.sorted[ord/64] |= 1 << (ord % 64)
			g.byOrd[ord] = g.slot[lex]
		}
		e := &g.ents[g.slot[lex]]
		if len(e.pos) < 256 { // PostgreSQL's MAXNUMPOS
			e.pos = append(e.pos, weight<<14|uint16(pos))
		}
		last = max(last, pos)
	}
	return last
}

// Weights as PostgreSQL packs them.
const (
	weightA = 3
	weightB = 2
	weightC = 1
)

// appendVector writes the drawn article's search vector in tsvector's
// binary form (lexemes in byte order), as setweight(title, A) ||
// setweight(excerpt, B) || setweight(body, C) makes it.
func (g *searchGen) appendVector(b []byte, v *searchVocab) []byte {
	g.gen++
	if g.gen == 0 { // wrapped: forget every stamp
		clear(g.stamp)
		g.gen = 1
	}
	g.ents = g.ents[:0]
	offset := g.addField(v, g.title, weightA, 0)
	offset = g.addField(v, g.tokens[:g.sentEnd[0]], weightB, offset)
	g.addField(v, g.tokens, weightC, offset)
	b = binary.BigEndian.AppendUint32(b, uint32(len(g.ents)))
	for wi, word := range g.sorted {
		for word != 0 {
			bit := bits.TrailingZeros64(word)
			word &^= 1 << bit
			e := &g.ents[g.byOrd[wi*64+bit]]
			b = append(b, v.lexemes[e.lex]...)
			b = append(b, 0)
			b = binary.BigEndian.AppendUint16(b, uint16(len(e.pos)))
			for _, p := range e.pos {
				b = binary.BigEndian.AppendUint16(b, p)
			}
		}
		g.sorted[wi] = 0
	}
	return b
}

// phrase returns two adjacent words of one sentence of article n's body,
// neither a stop word nor parted by a comma, or false when the article has
// none (or is not in language lang).
func (g *searchGen) phrase(n, lang int, rng *rand.Rand) (string, bool) {
	g.draw(n)
	if g.lang != lang {
		return "", false
	}
	v := g.vocabs[lang]
	var cands []int
	s := 0
	for i := 0; i+1 < len(g.tokens); i++ {
		for s < len(g.sentEnd) && g.sentEnd[s] <= i {
			s++
		}
		if i+1 >= g.sentEnd[s] || g.comma[i] || v.stop[g.tokens[i]] || v.stop[g.tokens[i+1]] {
			continue
		}
		cands = append(cands, i)
	}
	if len(cands) == 0 {
		return "", false
	}
	i := cands[rng.IntN(len(cands))]
	return v.words[g.tokens[i]] + " " + v.words[g.tokens[i+1]], true
}
