package store

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/newsline/newsline"
)

// IsUnavailable reports whether err means the database could not be
// reached or went away mid-statement: a failed connect, a connection cut
// or closed under a query, or the server shutting down, starting up or out
// of connections. Such a failure says nothing about the request or the
// task, and passes once the database is back: the API answers it with a
// 503 and the worker retries it without counting it against the task.
//
// Only errors that come through pgx are recognized, so a network error of
// any other client (a crawled site, Redis) is never taken for one.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return unavailableState(pgErr.Code)
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) || errors.Is(err, pgconn.ErrConnClosed) {
		return true
	}
	// pgconn's own errors, and only they, say whether a statement may be
	// retried; one wrapping a broken socket is a lost connection.
	var fromPgconn interface{ SafeToRetry() bool }
	if !errors.As(err, &fromPgconn) {
		return false
	}
	if fromPgconn.SafeToRetry() || pgconn.Timeout(err) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// unavailableState reports whether a server error's SQLSTATE says the
// server cannot serve now rather than that the statement is wrong:
// connection exceptions (class 08), admin or crash shutdown, "the database
// system is starting up", and too many connections.
func unavailableState(code string) bool {
	switch code {
	case "57P01", "57P02", "57P03", "53300":
		return true
	}
	return strings.HasPrefix(code, "08")
}

// ErrUnavailable is the domain error a caller shows for a database that
// cannot be reached; its message is safe for a client.
var ErrUnavailable = newsline.Errorf(newsline.EUNAVAILABLE, "the database is unavailable; try again shortly")

// Unavailable returns err as an EUNAVAILABLE domain error when it means
// the database is unreachable (see IsUnavailable), keeping err in the chain
// for logs; any other error is returned as it is.
func Unavailable(err error) error {
	if !IsUnavailable(err) {
		return err
	}
	return &unavailableError{err: err}
}

type unavailableError struct{ err error }

func (e *unavailableError) Error() string { return e.err.Error() }

// Unwrap gives both the domain error, for newsline.ErrorCode, and the
// cause, for errors.Is and errors.As.
func (e *unavailableError) Unwrap() []error { return []error{ErrUnavailable, e.err} }
