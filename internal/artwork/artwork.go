// Package artwork draws Newsline's mark, a white "N" on a deep blue
// square, at any size: the feeds' icon and, where an operator gives none,
// the podcast's cover. It is drawn with geometry rather than a font, so it
// needs no font files and is the same on every machine.
package artwork

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
)

var (
	background = color.RGBA{R: 0x1d, G: 0x3a, B: 0x6e, A: 0xff}
	accent     = color.RGBA{R: 0xf2, G: 0xb1, B: 0x34, A: 0xff}
	foreground = color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
)

// Draw returns the mark as a size × size image.
func Draw(size int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	// The letter sits in the middle 60%: two stems and a diagonal from the
	// top of the left stem to the bottom of the right one.
	left, right, top, bottom := 0.22*s, 0.78*s, 0.2*s, 0.74*s
	stem := 0.12 * s
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			c := background
			switch {
			case fy >= 0.82*s && fy < 0.86*s && fx >= left && fx < right:
				c = accent // a rule under the letter: a line of news
			case fy >= top && fy < bottom && (fx >= left && fx < left+stem || fx >= right-stem && fx < right):
				c = foreground
			case fy >= top && fy < bottom:
				// The diagonal's centre line runs from (left+stem/2, top)
				// to (right-stem/2, bottom).
				t := (fy - top) / (bottom - top)
				cx := left + stem/2 + t*(right-left-stem)
				if fx >= cx-stem/2 && fx < cx+stem/2 {
					c = foreground
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// PNG returns the mark as a size × size PNG.
func PNG(size int) ([]byte, error) {
	if size < 16 || size > 4096 {
		return nil, fmt.Errorf("artwork: size %d out of range 16..4096", size)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, Draw(size)); err != nil {
		return nil, fmt.Errorf("artwork: %w", err)
	}
	return b.Bytes(), nil
}
