package bench

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

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

// searchLang is one language of the archive.
type searchLang struct {
	Code   string // articles.language
	Config string // articles.ts_config
	// Syllables the made-up words of the language are built from, so the
	// languages' vocabularies look different.
	onsets, nuclei, codas []string
	head                  []string // real common words, most frequent first
}

// searchLangs lists the languages; sites are split among them 40/4/3/3, so
// with articles spread evenly over sites 80% are English.
func searchLangs() []searchLang {
	return []searchLang{
		{
			Code: "en", Config: "english",
			onsets: strings.Fields("b c d f g h j k l m n p r s t v w z br cr dr fl gr pl st tr th sh"),
			nuclei: strings.Fields("a e i o u a e o ai ea oo"),
			codas:  []string{"", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck"},
			head:   englishHead(),
		},
		{
			Code: "de", Config: "german",
			onsets: strings.Fields("b d f g h k l m n p r s t w z sch kr pf st schw"),
			nuclei: strings.Fields("a e i o u ei au ie e a"),
			codas:  []string{"", "", "n", "r", "t", "ch", "ng", "lt", "rk", "tz"},
			head: strings.Fields(`der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als
				auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum
				war haben nur oder aber vor zur bis mehr durch man sein wurde sei jahr prozent regierung land stadt
				millionen menschen zeit polizei`),
		},
		{
			Code: "fr", Config: "french",
			onsets: strings.Fields("b ch d f g j l m n p qu r s t v gr tr pr"),
			nuclei: strings.Fields("a e i o ou eu ai au e a"),
			codas:  []string{"", "", "", "n", "r", "s", "l", "x", "nt"},
			head: strings.Fields(`de la le et les des en un une du est dans pour que qui au sur pas par plus il ce
				ne se avec sont elle ont nous mais comme ou leur on été aussi ses ans gouvernement pays ville président
				millions personnes police monde`),
		},
		{
			Code: "es", Config: "spanish",
			onsets: strings.Fields("b c d f g j l ll m n p r s t v ch br tr"),
			nuclei: strings.Fields("a e i o u ia ue io a o"),
			codas:  []string{"", "", "", "n", "s", "r", "l", "z"},
			head: strings.Fields(`de la que el en y los del se las por un para con no una su al es lo como más pero
				sus le ya o fue este ha sí porque esta entre cuando muy sin sobre también gobierno país ciudad
				presidente millones personas policía mundo años`),
		},
	}
}

// englishHead is a few hundred common English words in roughly falling
// frequency, stop words among them, so the head of the distribution (and
// what stop-word removal drops) looks like real news text.
func englishHead() []string {
	return strings.Fields(`the of and to a in that is for on it with was as he said at by his be from are
		have has an but not they this had were which or its who their been will after more one also new
		would two about people than first year we there when up out into her other can she all over could
		last if only our some them time government years president state no what so three percent him
		before most where may while against now just between because many told city since country police
		during four made million officials under world back through week how did being any news any like
		national public million do such report still well second those day like then minister five both
		party officials court law including house family these next group part security health company
		states department says should former military work children even market support news early long
		told office political business there according program team around death economic another season
		service war police prices billion policy election local found women high school case days power
		officials force months own use major water care help high end school best home international
		already set series among third show money plan until per does late lead left order president
		leader much several say system each way city general members place area energy control deal
		united early since taken less half high city killed without national old decision expected
		foreign rights north south east west trade leaders move best half according statement director
		meeting history including campaign free future workers issue continue based research war court
		growth attack economy companies open official council claims question change investigation
		industry agency budget federal growth officials union director community study schools result
		student students hospital patients doctors online internet technology bank banks interest rate
		rates oil gas climate weather storm fire museum film music game games player players coach league
		championship victory match final record points`)
}

// searchVocab is one language's vocabulary, ranked by frequency, with the
// lexeme PostgreSQL makes of each word in the language's configuration.
type searchVocab struct {
	lang    searchLang
	words   []string // by rank, 0 the most frequent
	lex     []int32  // lexeme number by rank; -1 for a stop word
	lexemes []string // lexeme by number
	order   []int32  // lexeme number → place in byte order, as a tsvector sorts them
	// stop lists the ranks of stop words, for the query generator.
	stop []bool
}

// newSearchVocab builds the vocabulary of every language: made-up words
// from the seed, then one batch query per language asking PostgreSQL what
// lexemes it makes of each word. A made-up word is kept when it makes
// exactly one lexeme no other kept word makes; a real head word is kept
// when it makes at most one (none: a stop word, which still takes a
// position in the text, as in PostgreSQL).
func newSearchVocab(ctx context.Context, conn *pgx.Conn, seed int64, size int) ([]*searchVocab, error) {
	langs := searchLangs()
	out := make([]*searchVocab, 0, len(langs))
	for li, lang := range langs {
		v := &searchVocab{lang: lang}
		lexNum := map[string]int32{}
		seen := map[string]bool{}
		add := func(word string, lexemes []string, real bool) {
			switch {
			case len(lexemes) > 1:
				return
			case len(lexemes) == 0:
				if !real {
					return
				}
				v.words = append(v.words, word)
				v.lex = append(v.lex, -1)
				v.stop = append(v.stop, true)
				return
			}
			n, ok := lexNum[lexemes[0]]
			if ok && !real {
				return
			}
			if !ok {
				n = int32(len(v.lexemes))
				lexNum[lexemes[0]] = n
				v.lexemes = append(v.lexemes, lexemes[0])
			}
			v.words = append(v.words, word)
			v.lex = append(v.lex, n)
			v.stop = append(v.stop, false)
		}
		var head []string
		for _, w := range lang.head {
			if !seen[w] && validWord(w) && len(head) < size/2 {
				seen[w] = true
				head = append(head, w)
			}
		}
		lex, err := lexemesOf(ctx, conn, lang.Config, head)
		if err != nil {
			return nil, err
		}
		for i, w := range head {
			add(w, lex[i], true)
		}
		rng := rand.New(rand.NewPCG(uint64(seed), uint64(0x766f63616200+li)))
		for len(v.words) < size {
			need := size - len(v.words)
			cands := make([]string, 0, need+need/5+64)
			for len(cands) < cap(cands) {
				w := madeUpWord(rng, lang, len(v.words)+len(cands))
				if !seen[w] {
					seen[w] = true
					cands = append(cands, w)
				}
			}
			lex, err := lexemesOf(ctx, conn, lang.Config, cands)
			if err != nil {
				return nil, err
			}
			for i, w := range cands {
				if len(v.words) == size {
					break
				}
				add(w, lex[i], false)
			}
		}
		v.order = make([]int32, len(v.lexemes))
		byBytes := make([]int32, len(v.lexemes))
		for i := range byBytes {
			byBytes[i] = int32(i)
		}
		slices.SortFunc(byBytes, func(a, b int32) int { return strings.Compare(v.lexemes[a], v.lexemes[b]) })
		for place, n := range byBytes {
			v.order[n] = int32(place)
		}
		out = append(out, v)
	}
	return out, nil
}

// madeUpWord returns a pronounceable made-up word; words further down the
// ranking (rarer) tend to be longer, as in real text.
func madeUpWord(rng *rand.Rand, lang searchLang, rank int) string {
	syl := 2 + rng.IntN(2)
	switch {
	case rank > 20_000:
		syl = 3 + rng.IntN(2)
	case rank < 2_000:
		syl = 1 + rng.IntN(2)
	}
	var b strings.Builder
	for range syl {
		b.WriteString(lang.onsets[rng.IntN(len(lang.onsets))])
		b.WriteString(lang.nuclei[rng.IntN(len(lang.nuclei))])
	}
	b.WriteString(lang.codas[rng.IntN(len(lang.codas))])
	return b.String()
}

// lexemesOf asks PostgreSQL, in one query, which lexemes to_tsvector(cfg,
// word) yields for each word.
func lexemesOf(ctx context.Context, conn *pgx.Conn, cfg string, words []string) ([][]string, error) {
	rows, err := conn.Query(ctx, `
		SELECT array(SELECT lexeme FROM unnest(to_tsvector($1::regconfig, w.word)) ORDER BY lexeme)
		FROM unnest($2::text[]) WITH ORDINALITY AS w(word, i) ORDER BY w.i`, cfg, words)
	if err != nil {
		return nil, fmt.Errorf("bench: vocabulary lexemes (%s): %w", cfg, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[[]string])
	if err != nil {
		return nil, fmt.Errorf("bench: vocabulary lexemes (%s): %w", cfg, err)
	}
	if len(out) != len(words) {
		return nil, fmt.Errorf("bench: vocabulary lexemes (%s): %d answers for %d words", cfg, len(out), len(words))
	}
	return out, nil
}

// zipfTable draws ranks 0…n-1 with P(r) ∝ (r+1)^-s in constant time
// (Walker's alias method).
type zipfTable struct {
	prob  []uint32 // threshold of the own rank, scaled to 2^32
	alias []int32
	p     []float64 // P(rank), for expected frequencies
}

func newZipfTable(n int, s float64) *zipfTable {
	z := &zipfTable{prob: make([]uint32, n), alias: make([]int32, n), p: make([]float64, n)}
	var sum float64
	for r := range n {
		z.p[r] = math.Pow(float64(r+1), -s)
		sum += z.p[r]
	}
	scaled := make([]float64, n)
	var small, large []int32
	for r := range n {
		z.p[r] /= sum
		scaled[r] = z.p[r] * float64(n)
		if scaled[r] < 1 {
			small = append(small, int32(r))
		} else {
			large = append(large, int32(r))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		l, g := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		z.prob[l] = uint32(scaled[l] * (1 << 32))
		z.alias[l] = g
		scaled[g] -= 1 - scaled[l]
		if scaled[g] < 1 {
			large = large[:len(large)-1]
			small = append(small, g)
		}
	}
	for _, r := range append(small, large...) {
		z.prob[r] = math.MaxUint32
		z.alias[r] = r
	}
	return z
}

func (z *zipfTable) draw(rng *rand.Rand) int32 {
	x := rng.Uint64()
	i := int32((x >> 32) * uint64(len(z.prob)) >> 32)
	if uint32(x) < z.prob[i] {
		return i
	}
	return z.alias[i]
}

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

// validWord reports whether w is plain enough for the generator: letters
// only, so PostgreSQL's parser sees exactly one word.
func validWord(w string) bool {
	if w == "" || !utf8.ValidString(w) {
		return false
	}
	for _, r := range w {
		if r == '-' || r == '\'' || r == '.' || (r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
