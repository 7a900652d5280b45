package testsite

import (
	"encoding/binary"
	"hash/crc32"
	"math/bits"
	"strings"
)

// The gzip bomb decompresses to bombSize bytes: bombPrefix, then spaces.
const (
	bombSize   = 1 << 30
	bombPrefix = "<html><body><p>"
)

// gzipBomb builds the /hostile/gzip-bomb body: a gzip member whose deflate
// stream is written by hand rather than by compress/flate, because
// compressing 1 GiB takes seconds (minutes under the race detector) while
// writing the stream directly takes milliseconds.
//
// The stream has two blocks:
//
//  1. a fixed-Huffman block with bombPrefix and one space as literals;
//  2. a final dynamic-Huffman block whose literal/length code gives
//     symbol 285 (a 258-byte match) a 1-bit code and whose distance code
//     gives distance 1 a 1-bit code. Each "copy the previous 258 spaces"
//     costs 2 bits — the best ratio deflate allows (about 1:1032) — so the
//     body is about 1 MB, almost all zero bytes. The last few bytes that do
//     not fill a match are literal spaces.
//
// The result is deterministic and valid for any inflater (the Huffman codes
// are complete, which zlib and Go both require).
func gzipBomb() string {
	var w bitWriter
	w.buf = make([]byte, 0, bombSize/1032+64)
	// gzip header: magic, CM=deflate, no flags, MTIME 0, XFL 2 (max
	// compression), OS 255 (unknown).
	w.buf = append(w.buf, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255)

	// Block 1: BFINAL=0, BTYPE=01 (fixed Huffman).
	w.bits(0, 1)
	w.bits(1, 2)
	for _, c := range []byte(bombPrefix + " ") {
		w.code(0x30+uint64(c), 8) // fixed code of literals 0-143
	}
	w.code(0, 7) // end of block (symbol 256)

	// Block 2: BFINAL=1, BTYPE=10 (dynamic Huffman).
	w.bits(1, 1)
	w.bits(2, 2)
	w.bits(286-257, 5) // HLIT: literal/length codes 0..285
	w.bits(2-1, 5)     // HDIST: distance codes 0..1
	w.bits(18-4, 4)    // HCLEN: code length codes up to symbol 1 in the order below
	// Code length code: symbol 18 (run of zeros) gets 1 bit, lengths 1 and 2
	// get 2 bits each: codes 18=0, 1=10, 2=11.
	clen := map[int]uint64{18: 1, 1: 2, 2: 2}
	for _, sym := range []int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1} {
		w.bits(clen[sym], 3)
	}
	zeros := func(n int) { w.code(0, 1); w.bits(uint64(n-11), 7) } // symbol 18: 11..138 zeros
	one := func() { w.code(2, 2) }                                 // length 1
	two := func() { w.code(3, 2) }                                 // length 2
	// Literal/length code lengths: 32 (space) and 256 (end) get 2 bits,
	// 285 (length 258) gets 1 bit; distance codes 0 and 1 get 1 bit each.
	zeros(32)  // 0..31
	two()      // 32
	zeros(138) // 33..170
	zeros(85)  // 171..255
	two()      // 256
	zeros(28)  // 257..284
	one()      // 285
	one()      // distance 0 (distance 1)
	one()      // distance 1 (distance 2)
	// Resulting codes: 285=0, 32=10, 256=11; distance 1 = 0.

	rest := bombSize - len(bombPrefix) - 1
	w.zeros(2 * (rest / 258)) // each match: length code 0, distance code 0
	for range rest % 258 {
		w.code(2, 2) // literal space
	}
	w.code(3, 2) // end of block
	w.flush()

	crc := crc32.ChecksumIEEE([]byte(bombPrefix))
	spaces := []byte(strings.Repeat(" ", 1<<20))
	for left := bombSize - len(bombPrefix); left > 0; left -= len(spaces) {
		crc = crc32.Update(crc, crc32.IEEETable, spaces[:min(left, len(spaces))])
	}
	w.buf = binary.LittleEndian.AppendUint32(w.buf, crc)
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(bombSize))
	return string(w.buf)
}

// bitWriter packs a deflate bit stream (least significant bit first).
type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
}

// bits appends the n low bits of v, least significant first (header fields
// and extra bits).
func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.nbits
	w.nbits += n
	for w.nbits >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nbits -= 8
	}
}

// code appends an n-bit Huffman code, which deflate packs most significant
// bit first.
func (w *bitWriter) code(c uint64, n uint) { w.bits(bits.Reverse64(c)>>(64-n), n) }

// zeros appends n zero bits quickly.
func (w *bitWriter) zeros(n int) {
	for n > 0 && w.nbits != 0 {
		w.bits(0, 1)
		n--
	}
	w.buf = append(w.buf, make([]byte, n/8)...)
	w.bits(0, uint(n%8))
}

// flush pads the stream to a byte boundary.
func (w *bitWriter) flush() {
	if w.nbits > 0 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc, w.nbits = 0, 0
	}
}
