package testsite

import (
	"math"
	"math/bits"
	"strings"
)

// zipf samples the entries of a list with weight 1/(rank+q)^s, so earlier
// entries are more frequent. Entries may be multi-word phrases. Sampling
// uses Vose's alias method: one random draw per sample.
type zipf struct {
	items [][]string
	prob  []float64 // acceptance threshold per slot
	alias []int32
}

func newZipf(entries []string, q, s float64) *zipf {
	n := len(entries)
	z := &zipf{items: make([][]string, n), prob: make([]float64, n), alias: make([]int32, n)}
	weights := make([]float64, n)
	total := 0.0
	for i, e := range entries {
		z.items[i] = strings.Fields(e)
		weights[i] = 1 / math.Pow(float64(i)+q, s)
		total += weights[i]
	}
	var small, large []int
	for i := range weights {
		weights[i] *= float64(n) / total
		if weights[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		l, g := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		z.prob[l], z.alias[l] = weights[l], int32(g)
		weights[g] -= 1 - weights[l]
		if weights[g] < 1 {
			large = large[:len(large)-1]
			small = append(small, g)
		}
	}
	for _, i := range append(small, large...) {
		z.prob[i], z.alias[i] = 1, int32(i)
	}
	return z
}

func (z *zipf) sample(r *rng) []string {
	// The high word of the product picks a slot; the low word is an
	// independent uniform fraction for the acceptance test.
	slot, frac := bits.Mul64(r.next(), uint64(len(z.items)))
	if float64(frac>>11)/(1<<53) < z.prob[slot] {
		return z.items[slot]
	}
	return z.items[z.alias[slot]]
}

// word samples a single-word entry list.
func (z *zipf) word(r *rng) string { return z.sample(r)[0] }
