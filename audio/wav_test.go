package audio

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

// wavBytes builds a WAV file by hand: a fmt chunk and the data.
func wavBytes(code, channels, rate, bits int, data []byte, dataSize uint32, extra ...[]byte) []byte {
	var b []byte
	b = append(b, "RIFF\x00\x00\x00\x00WAVE"...)
	for _, x := range extra {
		b = append(b, x...)
	}
	fmtc := make([]byte, 16)
	binary.LittleEndian.PutUint16(fmtc[0:], uint16(code))
	binary.LittleEndian.PutUint16(fmtc[2:], uint16(channels))
	binary.LittleEndian.PutUint32(fmtc[4:], uint32(rate))
	binary.LittleEndian.PutUint32(fmtc[8:], uint32(rate*channels*bits/8))
	binary.LittleEndian.PutUint16(fmtc[12:], uint16(channels*bits/8))
	binary.LittleEndian.PutUint16(fmtc[14:], uint16(bits))
	b = append(b, "fmt \x10\x00\x00\x00"...)
	b = append(b, fmtc...)
	b = append(b, "data"...)
	b = binary.LittleEndian.AppendUint32(b, dataSize)
	return append(b, data...)
}

func le16(v ...int16) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint16(b, uint16(x))
	}
	return b
}

func TestDecodeWAV(t *testing.T) {
	float := func(v ...float32) []byte {
		var b []byte
		for _, x := range v {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
		return b
	}
	list := append([]byte("LIST\x03\x00\x00\x00abc"), 0) // odd size, padded
	tests := []struct {
		name string
		in   []byte
		rate int
		want []int16
		err  string
	}{
		{"16-bit mono", wavBytes(1, 1, 16000, 16, le16(1, -2, 300), 6), 16000, []int16{1, -2, 300}, ""},
		{"stereo averaged", wavBytes(1, 2, 22050, 16, le16(100, 300, -100, -300), 8), 22050, []int16{200, -200}, ""},
		{"8-bit unsigned", wavBytes(1, 1, 8000, 8, []byte{128, 255, 0}, 3), 8000, []int16{0, 32512, -32768}, ""},
		{"24-bit", wavBytes(1, 1, 48000, 24, []byte{0, 0, 0x40, 0, 0, 0xC0}, 6), 48000, []int16{16384, -16384}, ""},
		{"float", wavBytes(3, 1, 24000, 32, float(0.5, -1, 2), 12), 24000, []int16{16384, -32768, 32767}, ""},
		// Programs streaming a WAV to a pipe cannot know the size.
		{"streamed size", wavBytes(1, 1, 22050, 16, le16(5, 6), 0x7FFFF000), 22050, []int16{5, 6}, ""},
		{"zero size", wavBytes(1, 1, 22050, 16, le16(5, 6), 0), 22050, []int16{5, 6}, ""},
		{"other chunk first", wavBytes(1, 1, 16000, 16, le16(7), 2, list), 16000, []int16{7}, ""},
		{"not WAV", []byte("ID3\x03\x00 not a wav at all"), 0, nil, "not a WAV"},
		{"no fmt", []byte("RIFF\x00\x00\x00\x00WAVEdata\x02\x00\x00\x00\x01\x00"), 0, nil, "without a fmt"},
		{"no data", []byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\x3e\x00\x00\x00\x7d\x00\x00\x02\x00\x10\x00"), 0, nil, "without a data"},
		{"compressed", wavBytes(2, 1, 16000, 4, []byte{1, 2}, 2), 0, nil, "unsupported WAV encoding"},
		{"silly rate", wavBytes(1, 1, 10, 16, le16(1), 2), 0, nil, "at 10 Hz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := decodeWAV(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want error containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.rate != tt.rate || len(p.samples) != len(tt.want) {
				t.Fatalf("got %d samples at %d Hz, want %v at %d", len(p.samples), p.rate, tt.want, tt.rate)
			}
			for i := range tt.want {
				if d := int(p.samples[i]) - int(tt.want[i]); d < -1 || d > 1 {
					t.Errorf("sample %d: got %d, want %d", i, p.samples[i], tt.want[i])
				}
			}
		})
	}
}

func TestEncodeDecodeWAV(t *testing.T) {
	in := tone(16000, 250)
	out, err := decodeWAV(encodeWAV(in))
	if err != nil {
		t.Fatal(err)
	}
	if out.rate != in.rate || len(out.samples) != len(in.samples) {
		t.Fatalf("got %d samples at %d Hz, want %d at %d", len(out.samples), out.rate, len(in.samples), in.rate)
	}
	for i := range in.samples {
		if in.samples[i] != out.samples[i] {
			t.Fatalf("sample %d differs", i)
		}
	}
}

func TestResample(t *testing.T) {
	in := tone(32000, 1000)
	out := resample(in, 22050)
	if out.rate != 22050 {
		t.Fatalf("rate %d", out.rate)
	}
	if math.Abs(out.duration()-in.duration()) > 0.001 {
		t.Errorf("duration %.4f s, want %.4f s", out.duration(), in.duration())
	}
	if same := resample(in, 32000); len(same.samples) != len(in.samples) {
		t.Errorf("same rate changed the length")
	}
}

func TestTrimSilence(t *testing.T) {
	p := tone(16000, 500) // 100 ms of silence each side
	got := trimSilence(p.samples)
	// What is kept: the tone, and up to 800 samples of silence each side.
	if len(got) >= len(p.samples) || len(got) < 8000 {
		t.Errorf("kept %d of %d samples", len(got), len(p.samples))
	}
	if n := len(trimSilence(make([]int16, 1000))); n != 0 {
		t.Errorf("silence kept %d samples", n)
	}
}
