package extract

import (
	"fmt"
	"math/bits"
	"strings"
	"testing"
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
