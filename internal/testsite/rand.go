package testsite

import "math/bits"

// rng is a small deterministic pseudo-random generator (SplitMix64).
//
// The package deliberately does not use math/rand: the generated site must be
// byte-identical for the same seed across Go releases, so the generator
// algorithm and every derived helper are owned here.
type rng struct{ state uint64 }

// Stream identifiers: every independent aspect of generation draws from its
// own stream, so changing how (say) titles are generated does not shift the
// text of every article.
const (
	streamDates uint64 = iota + 1
	streamTitles
	streamUniqueWords
	streamArticle  // + article index << 8
	streamRelated  // + article index << 8
	streamComments // + article index << 8
	streamOpaque   // + article index << 8
	streamDeadLink // + article index << 8
)

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// newRNG returns a generator for the given seed and stream.
func newRNG(seed int64, stream uint64) *rng {
	return &rng{state: mix64(uint64(seed)+0x9E3779B97F4A7C15) ^ mix64(stream*0xD1B54A32D192ED03+0x632BE59BD9B4E019)}
}

// articleStream derives the stream id of a per-article stream.
func articleStream(base uint64, i int) uint64 { return base | uint64(i+1)<<8 }

func (r *rng) next() uint64 {
	r.state += 0x9E3779B97F4A7C15
	return mix64(r.state)
}

// intn returns a value in [0, n). n must be > 0.
func (r *rng) intn(n int) int {
	// Multiply-shift reduction: bias is negligible for the small n used here.
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// between returns a value in [lo, hi] inclusive.
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// float returns a value in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }
