package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Tags are the ID3v2 tags at the start of an episode's file.
type Tags struct {
	Title   string
	Artist  string // the site
	Album   string // the feed's title
	Date    time.Time
	Comment string // the article's URL
	// Length is the audio's duration; Render sets it from the encoded
	// file.
	Length time.Duration
}

// ID3v2.3 rather than 2.4: every player and podcast app reads 2.3, and
// its UTF-16 text holds any language.
const id3Version = 3

// id3Tag returns t as an ID3v2.3 tag.
func id3Tag(t Tags) []byte {
	var frames bytes.Buffer
	text := func(id, v string) {
		if v != "" {
			id3Frame(&frames, id, append([]byte{1}, utf16BOM(v)...))
		}
	}
	text("TIT2", t.Title)
	text("TPE1", t.Artist)
	text("TALB", t.Album)
	text("TCON", "Podcast")
	if !t.Date.IsZero() {
		text("TYER", t.Date.Format("2006"))
		text("TDAT", t.Date.Format("0201"))
	}
	if t.Length > 0 {
		text("TLEN", strconv.FormatInt(t.Length.Milliseconds(), 10))
	}
	if t.Comment != "" {
		// Encoding, language, an empty description, then the text.
		body := append([]byte{1, 'e', 'n', 'g'}, utf16BOM("")...)
		body = append(body, 0, 0)
		id3Frame(&frames, "COMM", append(body, utf16BOM(t.Comment)...))
		if isURL(t.Comment) {
			id3Frame(&frames, "WOAS", []byte(t.Comment))
		}
	}
	// Some padding lets a tag editor change the tag without rewriting
	// the file.
	const padding = 256
	size := frames.Len() + padding
	out := make([]byte, 10, 10+size)
	copy(out, "ID3")
	out[3] = id3Version
	putSyncsafe(out[6:10], size)
	out = append(out, frames.Bytes()...)
	return append(out, make([]byte, padding)...)
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func id3Frame(w *bytes.Buffer, id string, body []byte) {
	var h [10]byte
	copy(h[:4], id)
	binary.BigEndian.PutUint32(h[4:8], uint32(len(body)))
	w.Write(h[:])
	w.Write(body)
}

// utf16BOM encodes s as little-endian UTF-16 after a byte order mark.
func utf16BOM(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2+2*len(u))
	b[0], b[1] = 0xFF, 0xFE
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2+2*i:], c)
	}
	return b
}

func putSyncsafe(b []byte, n int) {
	b[0], b[1], b[2], b[3] = byte(n>>21&0x7F), byte(n>>14&0x7F), byte(n>>7&0x7F), byte(n&0x7F)
}

func syncsafe(b []byte) int {
	return int(b[0]&0x7F)<<21 | int(b[1]&0x7F)<<14 | int(b[2]&0x7F)<<7 | int(b[3]&0x7F)
}

// ErrNoTag means a file does not start with an ID3v2 tag.
var ErrNoTag = errors.New("no ID3v2 tag at the start of the file")

// ReadTags reads the ID3v2.3 or 2.4 tag at the start of r: its text
// frames by frame id ("TIT2": "The title"); COMM is the comment's text.
func ReadTags(r io.Reader) (map[string]string, error) {
	var h [10]byte
	if _, err := io.ReadFull(r, h[:]); err != nil || string(h[:3]) != "ID3" {
		return nil, ErrNoTag
	}
	version := h[3]
	if version != 3 && version != 4 {
		return nil, fmt.Errorf("ID3v2.%d tag: only 2.3 and 2.4 are read", version)
	}
	body := make([]byte, syncsafe(h[6:10]))
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, fmt.Errorf("ID3 tag: %w", err)
	}
	out := map[string]string{}
	for off := 0; off+10 <= len(body) && body[off] != 0; {
		id := string(body[off : off+4])
		size := int(binary.BigEndian.Uint32(body[off+4 : off+8]))
		if version == 4 {
			size = syncsafe(body[off+4 : off+8])
		}
		if off+10+size > len(body) {
			return out, fmt.Errorf("ID3 frame %s runs past the tag", id)
		}
		frame := body[off+10 : off+10+size]
		switch {
		case id == "COMM" && len(frame) > 4:
			// Skip the language and the description.
			enc, rest := frame[0], frame[4:]
			if _, after, ok := cutTerminated(enc, rest); ok {
				out[id] = decodeID3Text(enc, after)
			}
		case id[0] == 'T' && len(frame) > 0:
			out[id] = decodeID3Text(frame[0], frame[1:])
		case id[0] == 'W':
			out[id] = string(frame)
		}
		off += 10 + size
	}
	return out, nil
}

// cutTerminated splits b after its first string's terminator.
func cutTerminated(enc byte, b []byte) ([]byte, []byte, bool) {
	if enc == 1 || enc == 2 {
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				return b[:i], b[i+2:], true
			}
		}
		return nil, nil, false
	}
	before, after, ok := bytes.Cut(b, []byte{0})
	return before, after, ok
}

func decodeID3Text(enc byte, b []byte) string {
	switch enc {
	case 1, 2:
		order := binary.ByteOrder(binary.BigEndian)
		if len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE {
			order, b = binary.LittleEndian, b[2:]
		} else if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
			b = b[2:]
		}
		u := make([]uint16, 0, len(b)/2)
		for i := 0; i+1 < len(b); i += 2 {
			u = append(u, order.Uint16(b[i:]))
		}
		return strings.TrimRight(string(utf16.Decode(u)), "\x00")
	case 3:
		return strings.TrimRight(string(b), "\x00")
	default:
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return strings.TrimRight(string(r), "\x00")
	}
}
