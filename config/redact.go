package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
)

// setSecretURL checks a URL that may hold a password. net/url's errors
// quote the whole URL, so the error says what is wrong without it; a
// PostgreSQL keyword/value string ("host=… password=…") is left to pgx,
// which hides its password itself.
func setSecretURL(dst *string, v string) error {
	if strings.Contains(v, "://") {
		if _, err := url.Parse(v); err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return fmt.Errorf("not a valid URL (%s); the value is not shown, as it may hold a password", hideEscapes(err.Error()))
		}
	}
	*dst = v
	return nil
}

// hideEscapes drops what url.Parse quotes of a bad %-escape, which may be
// a piece of a password ("invalid URL escape "%zz"").
func hideEscapes(msg string) string {
	if i := strings.Index(msg, "invalid URL escape"); i >= 0 {
		return msg[:i] + "invalid URL escape (a % not followed by two hex digits)"
	}
	return msg
}

// RedactURL returns s, a URL or a PostgreSQL keyword/value string, with
// any password replaced by xxxxx: in the user information, and in a
// password or sslpassword parameter.
func RedactURL(s string) string {
	if u, err := url.Parse(s); err == nil && strings.Contains(s, "://") {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), redacted)
		}
		q, hidden := u.Query(), false
		for k := range q {
			if strings.Contains(strings.ToLower(k), "password") {
				q.Set(k, redacted)
				hidden = true
			}
		}
		if hidden {
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	if i := strings.Index(s, "://"); i >= 0 {
		// Not a URL net/url reads: hide all user information.
		if at := strings.LastIndex(s, "@"); at > i {
			return s[:i+3] + redacted + s[at:]
		}
		return s
	}
	return keywordPassword.ReplaceAllString(s, "${1}"+redacted)
}

// RedactText returns msg with the user information of every URL in it
// replaced by xxxxx, and every keyword/value password hidden: for messages
// that may quote a URL Newsline did not take apart itself (a flag's
// rejected value, an error of a library).
func RedactText(msg string) string {
	msg = userinfo.ReplaceAllString(msg, "${1}"+redacted+"@")
	return keywordPassword.ReplaceAllString(msg, "${1}"+redacted)
}

// userinfo finds a URL's scheme and user information in text: up to the
// last @ before the URL ends at a space or a quote (one escaped by %q
// does not end it).
var userinfo = regexp.MustCompile(`(\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?:[^\s"'<>]|\\")*@`)

// redacted stands for a password that is not shown.
const redacted = "xxxxx"

// keywordPassword finds the value of a password in a PostgreSQL
// keyword/value connection string, quoted or not.
var keywordPassword = regexp.MustCompile(`(?i)(\b\w*password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)`)

// redactAttr passes a log record's text through RedactText.
func redactAttr(_ []string, a slog.Attr) slog.Attr {
	var text string
	switch a.Value.Kind() {
	case slog.KindString:
		text = a.Value.String()
	case slog.KindAny:
		switch v := a.Value.Any().(type) {
		case error:
			text = v.Error()
		case fmt.Stringer:
			text = v.String()
		default:
			return a
		}
	default:
		return a
	}
	if r := RedactText(text); r != text {
		return slog.String(a.Key, r)
	}
	return a
}
