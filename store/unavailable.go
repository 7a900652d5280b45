package store

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/newsline/newsline"
)

// IsUnavailable reports whether err means the database could not be
// reached or went away mid-statement: a failed connect, a connection cut,
// reset or closed under a statement, or the server shutting down, starting
// up or out of connections. Such a failure says nothing about the request
// or the task, and passes once the database is back: the API answers it
// with a 503, and the worker retries it without counting it against the
// task.
//
// A network error is recognized only on a connection that Open made (see
// markConns), so one of any other client (a crawled site, Redis) is never
// taken for it. A deadline or a cancellation is the caller's, not the
// database's, unless it cut a connection attempt short.
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
	if errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ce *connError
	return errors.As(err, &ce) && !ce.Timeout()
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

// markConns makes every connection of the pool mark its read and write
// errors as the database connection's: pgx passes some of them on bare
// (an io.ErrUnexpectedEOF, a *net.OpError), which would say nothing about
// where they came from.
func markConns(cfg *pgxpool.Config) {
	dial := cfg.ConnConfig.DialFunc
	cfg.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return dbConn{c}, nil
	}
}

// dbConn is a connection to the database.
type dbConn struct{ net.Conn }

func (c dbConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil {
		err = &connError{err}
	}
	return n, err
}

func (c dbConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if err != nil {
		err = &connError{err}
	}
	return n, err
}

// connError is a read or write that failed on a database connection. It
// is a net.Error, as what it wraps is, so pgx still tells a timeout (its
// own deadline, set for a canceled context) from a broken connection.
type connError struct{ err error }

func (e *connError) Error() string { return e.err.Error() }
func (e *connError) Unwrap() error { return e.err }

// Timeout reports whether the wrapped error is a timeout.
func (e *connError) Timeout() bool {
	var ne net.Error
	return errors.As(e.err, &ne) && ne.Timeout()
}

// Temporary is net.Error's deprecated method; nothing here is.
func (e *connError) Temporary() bool { return false }
