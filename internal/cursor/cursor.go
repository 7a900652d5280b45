// Package cursor encodes keyset-pagination positions as opaque URL-safe
// strings: a time and an id for every listing that pages newest first, text
// keys and an id for listings in name order.
package cursor

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsline/newsline"
)

// Encode returns the cursor for the position after (t, id).
func Encode(t time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(t.UnixMicro(), 10) + ":" + strconv.FormatInt(id, 10)))
}

// Decode reads a cursor made by Encode; anything else is an EINVALID error.
func Decode(s string) (time.Time, int64, error) {
	bad := newsline.Errorf(newsline.EINVALID, "invalid cursor %q: pass the next_cursor of the previous page", s)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, 0, bad
	}
	ts, idStr, ok := strings.Cut(string(raw), ":")
	if !ok {
		return time.Time{}, 0, bad
	}
	us, err1 := strconv.ParseInt(ts, 10, 64)
	id, err2 := strconv.ParseInt(idStr, 10, 64)
	if err1 != nil || err2 != nil || id < 1 {
		return time.Time{}, 0, bad
	}
	t := time.UnixMicro(us)
	if !InRange(t) {
		return time.Time{}, 0, bad
	}
	return t, id, nil
}

// The years a cursor's time, and a date a listing is filtered by, may be
// in: those RFC 3339 and JSON write, well inside PostgreSQL's timestamptz.
// A time outside them was made by hand; PostgreSQL would refuse some
// (SQLSTATE 22008) and misread others.
const (
	MinYear = 1
	MaxYear = 9999
)

// InRange reports whether t is within the years MinYear to MaxYear (UTC).
func InRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= MinYear && y <= MaxYear
}

// EncodeKey returns the cursor for the position after a row of a listing
// ordered by text keys and then an id (authors: slug, name, id).
func EncodeKey(keys []string, id int64) string {
	raw, _ := json.Marshal(keyCursor{Keys: keys, ID: id})
	return base64.RawURLEncoding.EncodeToString(raw)
}

// DecodeKey reads a cursor made by EncodeKey with n keys; anything else is
// an EINVALID error.
func DecodeKey(s string, n int) ([]string, int64, error) {
	bad := newsline.Errorf(newsline.EINVALID, "invalid cursor %q: pass the next_cursor of the previous page", s)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, 0, bad
	}
	var c keyCursor
	if err := json.Unmarshal(raw, &c); err != nil || len(c.Keys) != n {
		return nil, 0, bad
	}
	for _, k := range c.Keys {
		if !utf8.ValidString(k) || strings.ContainsRune(k, 0) {
			return nil, 0, bad
		}
	}
	return c.Keys, c.ID, nil
}

type keyCursor struct {
	Keys []string `json:"k"`
	ID   int64    `json:"i"`
}
