package extract

import (
	"fmt"
	"hash/fnv"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
)

func TestSimHash(t *testing.T) {
	var b strings.Builder
	subjects := []string{"The river council", "Farmers downstream", "The mayor", "Engineers", "Environmental groups", "Fishing crews"}
	verbs := []string{"argued about", "welcomed", "questioned", "studied", "rejected", "praised"}
	objects := []string{"the water rights", "the fishing quotas", "the dam repairs", "the public hearing", "the spring planting", "the budget"}
	for i := 0; i < 60; i++ { // an article of about 500 words
		fmt.Fprintf(&b, "%s %s %s on day %d of the talks. ", subjects[i%6], verbs[(i/6)%6], objects[(i+i/6)%6], i)
	}
	base := b.String()
	nearCopy := base + " This article first appeared in the Valley Gazette."
	other := "Shares in the carmaker fell sharply after it warned that chip shortages would cut production " +
		"for a third quarter, and analysts lowered their forecasts for the whole industry as suppliers struggled."
	if a, b := SimHash(base), SimHash(strings.Clone(base)); a != b {
		t.Fatalf("same text: %d bits apart", bits.OnesCount64(a^b))
	}
	if d := bits.OnesCount64(SimHash(base) ^ SimHash(nearCopy)); d > 3 {
		t.Errorf("near copy: %d bits apart, want at most 3", d)
	}
	if d := bits.OnesCount64(SimHash(base) ^ SimHash(other)); d < 10 {
		t.Errorf("unrelated texts: only %d bits apart", d)
	}
	if SimHash("") != 0 {
		t.Errorf("empty text should hash to 0")
	}
}

// simHashReference is SimHash as first written: stored hashes were made
// by it, so the fast version must agree with it bit for bit.
func simHashReference(text string) uint64 {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
	if len(words) == 0 {
		return 0
	}
	const shingle = 3
	var v [64]int
	h := fnv.New64a()
	for i := 0; i+shingle <= len(words) || (i == 0 && len(words) < shingle); i++ {
		h.Reset()
		for j := i; j < min(i+shingle, len(words)); j++ {
			h.Write([]byte(words[j]))
			h.Write([]byte{' '})
		}
		x := h.Sum64()
		for b := 0; b < 64; b++ {
			if x&(1<<b) != 0 {
				v[b]++
			} else {
				v[b]--
			}
		}
	}
	var out uint64
	for b := 0; b < 64; b++ {
		if v[b] > 0 {
			out |= 1 << b
		}
	}
	return out
}

func TestSimHashMatchesReference(t *testing.T) {
	texts := []string{
		"", "one", "two words", "three words here", "  Leading, trailing!  ",
		"Grüße aus Köln: Straße, Maße und ÄÖÜ über 1.000 Kilometer",
		"İstanbul'da DİYARBAKIR ve IĞDIR", // special-cased lower-casing
		"Ελληνικά ΚΕΙΜΕΝΑ και Русский ТЕКСТ, 中文文本 和 日本語のテキスト",
		"invalid \xff\xfe bytes \xc3 inside",
		"numbers ٣٤٥ and ½ ⅓ and ² superscripts",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("abcXYZ éÉßİı 12 ,.-\t\nДж中")
	for range 200 {
		r := make([]rune, rng.IntN(400))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		texts = append(texts, string(r))
	}
	for _, s := range texts {
		if got, want := SimHash(s), simHashReference(s); got != want {
			t.Errorf("SimHash(%q) = %x, reference %x", s, got, want)
		}
	}
}

func BenchmarkSimHash(b *testing.B) {
	text := strings.Repeat("The river council argued about the water rights on day 12 of the talks. ", 60)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		SimHash(text)
	}
}

func BenchmarkSimHashReference(b *testing.B) {
	text := strings.Repeat("The river council argued about the water rights on day 12 of the talks. ", 60)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		simHashReference(text)
	}
}
