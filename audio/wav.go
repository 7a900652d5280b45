package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// pcm is mono 16-bit audio.
type pcm struct {
	rate    int
	samples []int16
}

func (p pcm) duration() float64 {
	if p.rate == 0 {
		return 0
	}
	return float64(len(p.samples)) / float64(p.rate)
}

// WAV format codes.
const (
	wavPCM        = 1
	wavFloat      = 3
	wavExtensible = 0xFFFE
)

type wavFormat struct {
	code     int
	channels int
	rate     int
	bits     int
}

// decodeWAV reads a RIFF WAVE file of integer PCM (8 to 32 bits) or
// 32-bit float, of any channel count, and returns it as mono 16-bit. A
// data chunk whose size is unknown (0 or past the end, as programs that
// stream a WAV to a pipe write it) runs to the end of the input.
func decodeWAV(b []byte) (pcm, error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return pcm{}, errors.New("not a WAV file")
	}
	var (
		f    wavFormat
		data []byte
	)
	for off := 12; off+8 <= len(b); {
		id, size := string(b[off:off+4]), int64(binary.LittleEndian.Uint32(b[off+4:off+8]))
		body := b[off+8:]
		if id == "data" {
			if size == 0 || size > int64(len(body)) {
				size = int64(len(body))
			}
			data = body[:size]
			break
		}
		if size > int64(len(body)) {
			return pcm{}, fmt.Errorf("WAV chunk %q runs past the end", id)
		}
		if id == "fmt " {
			var err error
			if f, err = parseFmt(body[:size]); err != nil {
				return pcm{}, err
			}
		}
		off += 8 + int(size) + int(size&1)
	}
	if f.rate == 0 {
		return pcm{}, errors.New("WAV file without a fmt chunk")
	}
	if data == nil {
		return pcm{}, errors.New("WAV file without a data chunk")
	}
	return toMono16(f, data), nil
}

func parseFmt(b []byte) (wavFormat, error) {
	if len(b) < 16 {
		return wavFormat{}, errors.New("WAV fmt chunk too short")
	}
	f := wavFormat{
		code:     int(binary.LittleEndian.Uint16(b[0:2])),
		channels: int(binary.LittleEndian.Uint16(b[2:4])),
		rate:     int(binary.LittleEndian.Uint32(b[4:8])),
		bits:     int(binary.LittleEndian.Uint16(b[14:16])),
	}
	if f.code == wavExtensible && len(b) >= 26 {
		f.code = int(binary.LittleEndian.Uint16(b[24:26]))
	}
	switch {
	case f.channels < 1 || f.rate < 1000 || f.rate > 384000:
		return f, fmt.Errorf("WAV with %d channels at %d Hz", f.channels, f.rate)
	case f.code == wavPCM && (f.bits == 8 || f.bits == 16 || f.bits == 24 || f.bits == 32):
	case f.code == wavFloat && f.bits == 32:
	default:
		return f, fmt.Errorf("unsupported WAV encoding (format %d, %d bits)", f.code, f.bits)
	}
	return f, nil
}

// toMono16 converts samples to 16 bits and averages the channels.
func toMono16(f wavFormat, data []byte) pcm {
	width := f.bits / 8
	frame := width * f.channels
	n := len(data) / frame
	out := make([]int16, n)
	for i := range n {
		var sum float64
		for c := range f.channels {
			sum += sampleAt(f, data[i*frame+c*width:])
		}
		v := sum / float64(f.channels)
		out[i] = int16(math.Max(-32768, math.Min(32767, math.Round(v*32768))))
	}
	return pcm{rate: f.rate, samples: out}
}

// sampleAt returns one sample scaled to [-1, 1).
func sampleAt(f wavFormat, b []byte) float64 {
	switch {
	case f.code == wavFloat:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
	case f.bits == 8:
		return (float64(b[0]) - 128) / 128
	case f.bits == 16:
		return float64(int16(binary.LittleEndian.Uint16(b))) / 32768
	case f.bits == 24:
		v := int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
		return float64(v) / (1 << 23)
	default:
		return float64(int32(binary.LittleEndian.Uint32(b))) / (1 << 31)
	}
}

// resample converts p to rate by linear interpolation. Only chunks whose
// rate differs from the episode's first chunk go through it, which a
// well-behaved engine never produces.
func resample(p pcm, rate int) pcm {
	if p.rate == rate || len(p.samples) == 0 {
		return pcm{rate: rate, samples: p.samples}
	}
	n := int(int64(len(p.samples)) * int64(rate) / int64(p.rate))
	out := make([]int16, n)
	step := float64(p.rate) / float64(rate)
	last := len(p.samples) - 1
	for i := range out {
		pos := float64(i) * step
		j := int(pos)
		if j >= last {
			out[i] = p.samples[last]
			continue
		}
		frac := pos - float64(j)
		out[i] = int16(math.Round(float64(p.samples[j])*(1-frac) + float64(p.samples[j+1])*frac))
	}
	return pcm{rate: rate, samples: out}
}

// encodeWAV returns p as a 16-bit mono WAV file.
func encodeWAV(p pcm) []byte {
	dataLen := 2 * len(p.samples)
	b := make([]byte, 44+dataLen)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+dataLen))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], wavPCM)
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], uint32(p.rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(2*p.rate))
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(dataLen))
	for i, s := range p.samples {
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(s))
	}
	return b
}
