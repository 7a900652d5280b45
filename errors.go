// Package newsline holds what every layer of Newsline shares: the domain
// error codes. Storage and search code return these; the HTTP edge maps them
// to status codes in one table, so no internal detail leaks to a client and
// no storage code knows about HTTP.
package newsline

import (
	"errors"
	"fmt"
)

// Error codes, in the spirit of benbjohnson/wtf.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAVAILABLE  = "unavailable"
	EUNAUTHORIZED = "unauthorized" // no credentials, or ones that are not valid
	EFORBIDDEN    = "forbidden"    // valid credentials that may not do this
	ERATELIMITED  = "rate_limited" // too many attempts; try again later
)

// Error is a domain error whose Message is safe to show to a user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns a domain error with a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first domain error in err's chain,
// EINTERNAL for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err: a domain error's own
// message, or a generic one that hides internal details.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
