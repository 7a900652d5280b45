package artwork

import (
	"bytes"
	"image/png"
	"testing"
)

func TestPNG(t *testing.T) {
	for _, size := range []int{64, 512, 1400} {
		b, err := PNG(size)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if r := img.Bounds(); r.Dx() != size || r.Dy() != size {
			t.Fatalf("size %d: got %v", size, r)
		}
		// The corner is background, the left stem's middle is the letter.
		if img.At(1, 1) == img.At(size*28/100, size/2) {
			t.Errorf("size %d: no letter drawn", size)
		}
	}
	if _, err := PNG(8); err == nil {
		t.Error("PNG(8) should fail")
	}
}
