package cursor

import (
	"slices"
	"testing"
	"time"
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
