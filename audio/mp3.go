package audio

import (
	"encoding/binary"
	"errors"
	"io"
	"time"
)

// MP3Info is what Measure finds in an MP3 file.
type MP3Info struct {
	Duration   time.Duration
	SampleRate int
	Frames     int
	Bitrate    int // kbit/s of the first audio frame
}

// Bitrates in kbit/s by index, for MPEG-1 and MPEG-2/2.5 Layer III.
var (
	mp3Bitrates1 = [16]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0}
	mp3Bitrates2 = [16]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0}
	mp3Rates     = [4][3]int{{11025, 12000, 8000}, {}, {22050, 24000, 16000}, {44100, 48000, 32000}}
)

type mp3Frame struct {
	mpeg1    bool
	mono     bool
	rate     int
	bitrate  int
	length   int
	perFrame int // samples
}

func parseMP3Header(h []byte) (mp3Frame, bool) {
	if len(h) < 4 || h[0] != 0xFF || h[1]&0xE0 != 0xE0 {
		return mp3Frame{}, false
	}
	version, layer := h[1]>>3&3, h[1]>>1&3
	brIndex, rateIndex, pad := h[2]>>4, h[2]>>2&3, int(h[2]>>1&1)
	if version == 1 || layer != 1 || rateIndex == 3 || brIndex == 0 || brIndex == 15 {
		return mp3Frame{}, false
	}
	f := mp3Frame{mpeg1: version == 3, mono: h[3]>>6 == 3, rate: mp3Rates[version][rateIndex]}
	if f.mpeg1 {
		f.bitrate, f.perFrame = mp3Bitrates1[brIndex], 1152
		f.length = 144000*f.bitrate/f.rate + pad
	} else {
		f.bitrate, f.perFrame = mp3Bitrates2[brIndex], 576
		f.length = 72000*f.bitrate/f.rate + pad
	}
	return f, true
}

// Measure reads an MP3 file (after any ID3v2 tag) frame by frame and
// returns its duration. The encoder's delay and padding, which lame
// records in its info frame, are not counted, as decoders drop them.
func Measure(r io.Reader) (MP3Info, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return MP3Info{}, err
	}
	off := 0
	if len(b) >= 10 && string(b[:3]) == "ID3" {
		off = 10 + syncsafe(b[6:10])
		if b[5]&0x10 != 0 {
			off += 10 // footer
		}
	}
	var (
		info          MP3Info
		samples       int
		first         = true
		delay, padEnd int
	)
	for off+4 <= len(b) {
		f, ok := parseMP3Header(b[off:])
		if !ok || off+f.length > len(b) {
			if info.Frames == 0 {
				off++ // garbage before the first frame
				continue
			}
			break
		}
		if first {
			first = false
			info.SampleRate, info.Bitrate = f.rate, f.bitrate
			if d, p, isInfo := lameInfo(b[off:off+f.length], f); isInfo {
				delay, padEnd = d, p
				off += f.length
				continue
			}
		}
		info.Frames++
		samples += f.perFrame
		off += f.length
	}
	if info.Frames == 0 {
		return info, errors.New("no MP3 frames found")
	}
	if n := samples - delay - padEnd; n > 0 {
		samples = n
	}
	info.Duration = time.Duration(float64(samples) / float64(info.SampleRate) * float64(time.Second))
	return info, nil
}

// lameInfo reports whether frame is a Xing/Info frame, which holds no
// audio, and the encoder delay and padding its LAME extension gives.
func lameInfo(frame []byte, f mp3Frame) (delay, padding int, ok bool) {
	side := 32
	switch {
	case f.mpeg1 && f.mono:
		side = 17
	case !f.mpeg1 && f.mono:
		side = 9
	case !f.mpeg1:
		side = 17
	}
	x := 4 + side
	if len(frame) < x+8 {
		return 0, 0, false
	}
	if tag := string(frame[x : x+4]); tag != "Xing" && tag != "Info" {
		return 0, 0, false
	}
	flags := binary.BigEndian.Uint32(frame[x+4 : x+8])
	p := x + 8
	for bit, size := range []int{4, 4, 100, 4} { // frames, bytes, TOC, quality
		if flags&(1<<bit) != 0 {
			p += size
		}
	}
	// The LAME extension: a 9-byte encoder name, then 12 more bytes, then
	// 12 bits of delay and 12 of padding.
	if len(frame) >= p+24 && string(frame[p:p+4]) == "LAME" {
		v := frame[p+21 : p+24]
		delay = int(v[0])<<4 | int(v[1])>>4
		padding = int(v[1]&0x0F)<<8 | int(v[2])
	}
	return delay, padding, true
}
