// Package password hashes and checks users' passwords with argon2id
// (golang.org/x/crypto/argon2), in the PHC string format
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), so the parameters travel
// with each hash and can be raised later without invalidating old ones.
//
// argon2id rather than bcrypt: it is memory-hard (a GPU or ASIC guessing
// passwords pays for 19 MiB per guess, not just time), it is what OWASP
// recommends first, and it takes a password of any length, where bcrypt
// silently ignores everything after 72 bytes.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs. Default follows OWASP's first choice
// (19 MiB, two passes, one lane); `go test -bench Hash` prints what one
// hash costs on this machine.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// Default are the parameters new hashes use.
func Default() Params { return Params{Memory: 19 * 1024, Time: 2, Threads: 1} }

const (
	saltLen = 16
	keyLen  = 32
)

// ErrMalformed is returned for a stored hash this package did not make.
var ErrMalformed = errors.New("password: malformed hash")

// Hash returns the PHC string of pw with a fresh random salt.
func Hash(pw string) (string, error) { return HashWith(pw, Default()) }

// HashWith is Hash with the given costs (tests use cheap ones).
func HashWith(pw string, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Check reports whether pw matches hash, comparing in constant time.
func Check(pw, hash string) (bool, error) {
	p, salt, key, err := parse(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether hash was made with other parameters than
// Default, so a successful login can store a fresh one.
func NeedsRehash(hash string) bool {
	p, _, _, err := parse(hash)
	return err != nil || p != Default()
}

func parse(hash string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Memory == 0 || p.Time == 0 || p.Threads == 0 {
		return p, nil, nil, ErrMalformed
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	key, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 {
		return p, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}
