// Package cursor encodes keyset-pagination positions (a time and an id)
// as opaque URL-safe strings, for every listing that pages newest first.
package cursor

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

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
	if err1 != nil || err2 != nil {
		return time.Time{}, 0, bad
	}
	return time.UnixMicro(us), id, nil
}
