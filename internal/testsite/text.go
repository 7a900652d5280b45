package testsite

import (
	"strconv"
	"strings"
)

// textGen produces news-like prose from a small phrase grammar whose word
// categories are sampled with Zipf-like frequencies. Sentences start with a
// capital letter and end with a period.
type textGen struct {
	detS, detP, nounS, nounP, measurable, adj, past, base, modal *zipf
	report, reportTail, movement, prep, conj, when, place, fixed *zipf

	toks []token // scratch, reused between paragraphs
	buf  []byte  // scratch, reused between paragraphs
}

type token struct {
	w     string
	punct byte // 0, ',' or '.'
	noun  bool // a noun not starting a sentence: may be replaced by a unique word
	start bool // first token of a sentence
}

func newTextGen() *textGen {
	return &textGen{
		detS:       newZipf(detSingular, 0.6, 1.3),
		detP:       newZipf(detPlural, 0.6, 1.3),
		nounS:      newZipf(nounsSingular, 2, 0.9),
		nounP:      newZipf(nounsPlural, 2, 0.9),
		measurable: newZipf(measurables, 1, 1),
		adj:        newZipf(adjectives, 2, 0.9),
		past:       newZipf(verbsPast, 2, 0.9),
		base:       newZipf(verbsBase, 2, 0.9),
		modal:      newZipf(modals, 1, 1),
		report:     newZipf(reportingVerbs, 0.5, 1.2),
		reportTail: newZipf(reportingTail, 0.5, 1.2),
		movement:   newZipf(movementVerbs, 1, 1),
		prep:       newZipf(prepositions, 1, 1),
		conj:       newZipf(conjunctions, 1, 1),
		when:       newZipf(timePhrases, 2, 1),
		place:      newZipf(places, 2, 1),
		fixed:      newZipf(fixedSentences, 1, 1),
	}
}

const (
	minParagraphWords = 40
	maxParagraphWords = 90
)

// paragraph returns a paragraph of at least target words and at most
// maxParagraphWords words (target in [minParagraphWords, maxParagraphWords]).
// If inject is not empty it replaces exactly one noun that does not start a
// sentence in some sentence other than the first.
func (g *textGen) paragraph(r *rng, target int, inject string) string {
	g.toks = g.toks[:0]
	firstEnd := -1
	for len(g.toks) < target {
		n := len(g.toks)
		g.sentence(r)
		if len(g.toks) > maxParagraphWords {
			// Only possible when the paragraph is already long enough:
			// sentences are far shorter than maxParagraphWords-minParagraphWords.
			g.toks = g.toks[:n]
			break
		}
		g.toks[n].start = true
		g.toks[len(g.toks)-1].punct = '.'
		if firstEnd < 0 {
			firstEnd = len(g.toks)
		}
	}
	if inject != "" {
		g.inject(r, inject, firstEnd)
	}

	b := g.buf[:0]
	for k, t := range g.toks {
		if k > 0 {
			b = append(b, ' ')
		}
		w := t.w
		if w == "a" && k+1 < len(g.toks) && startsWithVowelSound(g.toks[k+1].w) {
			w = "an"
		}
		if t.start && w[0] >= 'a' && w[0] <= 'z' {
			b = append(b, w[0]-'a'+'A')
			w = w[1:]
		}
		b = append(b, w...)
		if t.punct != 0 {
			b = append(b, t.punct)
		}
	}
	g.buf = b
	return string(b)
}

// inject replaces one eligible noun at or after token index from (falling
// back to any eligible noun, then to the last word).
func (g *textGen) inject(r *rng, word string, from int) {
	if from < 0 || from >= len(g.toks) {
		from = 0
	}
	count := 0
	for _, t := range g.toks[from:] {
		if t.noun && !t.start {
			count++
		}
	}
	if count == 0 {
		// Cannot happen with the current grammar (every sentence has an
		// object noun); keep the invariant anyway.
		g.toks[len(g.toks)-1].w = word
		return
	}
	k := r.intn(count)
	for i := from; i < len(g.toks); i++ {
		if t := &g.toks[i]; t.noun && !t.start {
			if k == 0 {
				t.w = word
				return
			}
			k--
		}
	}
}

func startsWithVowelSound(w string) bool {
	if w == "" || strings.HasPrefix(w, "uni") || strings.HasPrefix(w, "eu") || strings.HasPrefix(w, "one") {
		return false
	}
	return strings.IndexByte("aeiou", w[0]) >= 0 || strings.HasPrefix(w, "hour")
}

func (g *textGen) words(ws []string) {
	for _, w := range ws {
		g.toks = append(g.toks, token{w: w})
	}
}

func (g *textGen) word(w string) { g.toks = append(g.toks, token{w: w}) }

func (g *textGen) noun(r *rng, plural bool) {
	z := g.nounS
	if plural {
		z = g.nounP
	}
	g.toks = append(g.toks, token{w: z.word(r), noun: true})
}

func (g *textGen) comma() { g.toks[len(g.toks)-1].punct = ',' }

// np appends a noun phrase.
func (g *textGen) np(r *rng) {
	plural := r.chance(0.45)
	det := func() {
		if plural {
			g.words(g.detP.sample(r))
		} else {
			g.words(g.detS.sample(r))
		}
	}
	switch x := r.intn(20); {
	case x < 10:
		det()
		g.noun(r, plural)
	case x < 15:
		det()
		g.words(g.adj.sample(r))
		g.noun(r, plural)
	case x < 17:
		det()
		g.noun(r, plural)
		g.word("of")
		g.word("the")
		g.noun(r, r.chance(0.5))
	case plural:
		g.words(g.adj.sample(r))
		g.noun(r, true)
	default:
		g.words(g.place.sample(r))
	}
}

// adjunct appends an optional prepositional or time phrase.
func (g *textGen) adjunct(r *rng) {
	switch x := r.intn(10); {
	case x < 3:
		g.words(g.when.sample(r))
	case x < 6:
		g.words(g.prep.sample(r))
		g.np(r)
	case x < 7:
		g.word("in")
		g.words(g.place.sample(r))
	}
}

// sentence appends one sentence (without final punctuation handling).
func (g *textGen) sentence(r *rng) {
	switch x := r.intn(100); {
	case x < 22: // NP V NP [adjunct]
		g.clause(r)
		g.adjunct(r)
	case x < 36: // NP said [that] NP V NP [adjunct]
		g.np(r)
		g.words(g.report.sample(r))
		if r.chance(0.5) {
			g.word("that")
		}
		g.clause(r)
		g.adjunct(r)
	case x < 48: // NP V NP [adjunct], NP said
		g.clause(r)
		g.adjunct(r)
		g.comma()
		g.np(r)
		g.words(g.reportTail.sample(r))
	case x < 58: // adjunct, NP V NP
		if r.chance(0.5) {
			g.words(g.when.sample(r))
		} else {
			g.word("in")
			g.words(g.place.sample(r))
		}
		g.comma()
		g.clause(r)
	case x < 70: // NP modal V NP [adjunct]
		g.np(r)
		g.words(g.modal.sample(r))
		g.words(g.base.sample(r))
		g.np(r)
		g.adjunct(r)
	case x < 80: // NP V NP conj NP V NP
		g.clause(r)
		g.words(g.conj.sample(r))
		g.clause(r)
	case x < 88: // According to NP, NP V NP [adjunct]
		g.word("according")
		g.word("to")
		g.np(r)
		g.comma()
		g.clause(r)
		g.adjunct(r)
	case x < 97: // measurable rose by N percent [time]
		if r.chance(0.5) {
			g.word("the")
		}
		g.toks = append(g.toks, token{w: g.measurable.word(r), noun: true})
		g.words(g.movement.sample(r))
		g.word("by")
		g.word(strconv.Itoa(r.between(2, 40)))
		g.word("percent")
		if r.chance(0.6) {
			g.words(g.when.sample(r))
		}
	default:
		fixed := g.fixed.sample(r)
		g.words(fixed)
		last := &g.toks[len(g.toks)-1]
		last.w = strings.TrimSuffix(last.w, ".")
	}
}

// clause appends subject, verb and object: NP V NP.
func (g *textGen) clause(r *rng) {
	g.np(r)
	g.words(g.past.sample(r))
	g.np(r)
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// firstSentence returns the first sentence of a generated paragraph.
func firstSentence(p string) string {
	if i := strings.Index(p, ". "); i >= 0 {
		return p[:i+1]
	}
	return p
}
