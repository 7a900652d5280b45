package newsline

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a user may do: a reader keeps follows, bookmarks and
// tokens of their own; an admin also manages the whitelist.
type Role string

// Roles.
const (
	RoleReader Role = "reader"
	RoleAdmin  Role = "admin"
)

// User is a person with an account. People and the CLI name a user by
// Name; ID exists only for foreign keys.
type User struct {
	ID        int64
	Name      string
	Email     string
	Role      Role
	CreatedAt time.Time
}

// IsAdmin reports whether the user may manage the whitelist.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// Limits of what an account holds.
const (
	MaxUserNameLen  = 40
	MaxEmailLen     = 254 // RFC 5321's path limit
	MinPasswordLen  = 10
	MaxPasswordLen  = 1024 // argon2 takes any length; this bounds the work one request asks for
	MaxTokenNameLen = 60
)

// ValidateUserName checks a user's name: it is typed in the CLI and shown
// on pages, so it is short, starts with a letter, and holds letters,
// digits, '.', '_' and '-' only (no spaces, no '@', so it is never taken
// for an email address).
func ValidateUserName(name string) error {
	if name == "" {
		return Errorf(EINVALID, "name is required")
	}
	if utf8.RuneCountInString(name) > MaxUserNameLen {
		return Errorf(EINVALID, "name must be at most %d characters", MaxUserNameLen)
	}
	for i, r := range name {
		switch {
		case unicode.IsLetter(r):
		case i > 0 && (unicode.IsDigit(r) || r == '.' || r == '_' || r == '-'):
		default:
			return Errorf(EINVALID, "name %q: use letters, digits, '.', '_' and '-', starting with a letter", name)
		}
	}
	return nil
}

// NormalizeEmail checks an email address and returns it trimmed, with its
// domain lower-cased (the local part is the mail server's business).
func NormalizeEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", Errorf(EINVALID, "email is required")
	}
	if len(email) > MaxEmailLen {
		return "", Errorf(EINVALID, "email must be at most %d characters", MaxEmailLen)
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return "", Errorf(EINVALID, "email %q is not an address such as jane@example.org", email)
	}
	local, domain, ok := strings.Cut(email, "@")
	if !ok || !strings.Contains(domain, ".") {
		return "", Errorf(EINVALID, "email %q is not an address such as jane@example.org", email)
	}
	return local + "@" + strings.ToLower(domain), nil
}

// ValidatePassword checks a new password's length; anything else is the
// user's choice.
func ValidatePassword(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLen:
		return Errorf(EINVALID, "password must be at least %d characters", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return Errorf(EINVALID, "password must be at most %d bytes", MaxPasswordLen)
	}
	return nil
}

// ValidateTokenName checks an API token's name, which addresses it in
// DELETE /api/v1/me/tokens/{name}.
func ValidateTokenName(name string) error {
	if name == "" {
		return Errorf(EINVALID, "name is required")
	}
	if utf8.RuneCountInString(name) > MaxTokenNameLen {
		return Errorf(EINVALID, "name must be at most %d characters", MaxTokenNameLen)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(".-_ ", r) {
			return Errorf(EINVALID, "token name %q: use letters, digits, spaces, '.', '_' and '-'", name)
		}
	}
	return nil
}
