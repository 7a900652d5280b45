package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

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
			v.add(lexNum, w, lex[i], true)
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
				v.add(lexNum, w, lex[i], false)
			}
		}
		v.sortLexemes()
		out = append(out, v)
	}
	return out, nil
}

// add keeps word, which PostgreSQL makes lexemes of, by the rules of
// newSearchVocab; lexNum numbers the lexemes kept so far.
func (v *searchVocab) add(lexNum map[string]int32, word string, lexemes []string, real bool) {
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

// sortLexemes places every lexeme in byte order, as a tsvector sorts them.
func (v *searchVocab) sortLexemes() {
	v.order = make([]int32, len(v.lexemes))
	byBytes := make([]int32, len(v.lexemes))
	for i := range byBytes {
		byBytes[i] = int32(i)
	}
	slices.SortFunc(byBytes, func(a, b int32) int { return strings.Compare(v.lexemes[a], v.lexemes[b]) })
	for place, n := range byBytes {
		v.order[n] = int32(place)
	}
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
