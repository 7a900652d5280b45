package cursor

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsline/newsline"
)

func TestRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 20, 12, 0, 0, 123000, time.UTC)
	got, id, err := Decode(Encode(at, 42))
	if err != nil || !got.Equal(at) || id != 42 {
		t.Errorf("Decode(Encode) = %v, %d, %v", got, id, err)
	}
	keys := []string{"jane-doe", "Jane Doe"}
	gotKeys, id, err := DecodeKey(EncodeKey(keys, 7), 2)
	if err != nil || !slices.Equal(gotKeys, keys) || id != 7 {
		t.Errorf("DecodeKey(EncodeKey) = %v, %d, %v", gotKeys, id, err)
	}
}

func TestDecodeKeyRejects(t *testing.T) {
	for _, s := range []string{"", "%%%", "bm90LWpzb24", EncodeKey([]string{"a"}, 1), EncodeKey([]string{"a", "b\x00"}, 1),
		Encode(time.Now(), 1)} {
		if _, _, err := DecodeKey(s, 2); err == nil {
			t.Errorf("DecodeKey(%q) accepted", s)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	raw := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, s := range []string{
		"", "%%%", raw("no colon"), raw("1:"), raw(":1"), raw("x:1"), raw("1:x"),
		raw("9223372036854775807:1"),  // year 294247
		raw("-9223372036854775808:1"), // 292277 BC
		raw("253402300800000000:1"),   // 10000-01-01
		raw("-250000000000000000:1"),  // 5953 BC, before PostgreSQL's 4713 BC
		raw("-62135596800000001:1"),   // a microsecond before 0001-01-01
		raw("1790000000000000:0"),     // no row has id 0
		raw("1790000000000000:-5"),
		raw("1790000000000000:99999999999999999999"),
		EncodeKey([]string{"a", "b"}, 1),
	} {
		if _, _, err := Decode(s); newsline.ErrorCode(err) != newsline.EINVALID {
			t.Errorf("Decode(%q) = %v, want EINVALID", s, err)
		}
	}
	for _, at := range []time.Time{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)} {
		if got, _, err := Decode(Encode(at, 1)); err != nil || !got.Equal(at) {
			t.Errorf("Decode(Encode(%v)) = %v, %v", at, got, err)
		}
	}
}

// FuzzDecode checks that a cursor is either refused with EINVALID or holds
// a time PostgreSQL and JSON can hold and a positive id, and encodes back
// to itself.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		at, id, err := Decode(s)
		if err != nil {
			if newsline.ErrorCode(err) != newsline.EINVALID {
				t.Fatalf("Decode(%q): %v, want EINVALID", s, err)
			}
			return
		}
		if !InRange(at) || id < 1 {
			t.Fatalf("Decode(%q) = %v, %d", s, at, id)
		}
		if _, err := at.MarshalJSON(); err != nil {
			t.Fatalf("Decode(%q) = %v, which JSON cannot hold: %v", s, at, err)
		}
		again, id2, err := Decode(Encode(at, id))
		if err != nil || !again.Equal(at) || id2 != id {
			t.Fatalf("Decode(Encode(Decode(%q))) = %v, %d, %v", s, again, id2, err)
		}
	})
}

// FuzzDecodeKey checks that a key cursor is refused with EINVALID or holds
// keys PostgreSQL can take as text.
func FuzzDecodeKey(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		keys, _, err := DecodeKey(s, 2)
		if err != nil {
			if newsline.ErrorCode(err) != newsline.EINVALID {
				t.Fatalf("DecodeKey(%q): %v, want EINVALID", s, err)
			}
			return
		}
		if len(keys) != 2 {
			t.Fatalf("DecodeKey(%q) = %q", s, keys)
		}
		for _, k := range keys {
			if !utf8.ValidString(k) || strings.ContainsRune(k, 0) {
				t.Fatalf("DecodeKey(%q) = %q", s, keys)
			}
		}
	})
}
