package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/newsline/newsline"
)

// Token prefixes tell a session's token from a personal API token (and
// let secret scanners recognise both).
const (
	SessionPrefix  = "nls_"
	APITokenPrefix = "nlt_"
)

// SessionTTL is how long a login lasts.
const SessionTTL = 30 * 24 * time.Hour

// lastUseGranularity bounds how often a token's last use is written: a
// client polling every second costs a write a minute, not a second.
const lastUseGranularity = time.Minute

// hashToken is what is stored of a token: its SHA-256. Tokens are 256
// random bits, so a fast hash is enough; a slow one would only slow every
// request.
func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// CreateSession logs a user in and returns the session's token, which is
// shown once and stored only hashed.
func (db *DB) CreateSession(ctx context.Context, userID int64) (string, error) {
	token, err := randomSecret(SessionPrefix)
	if err != nil {
		return "", err
	}
	_, err = db.Pool.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + $3::interval)`,
		hashToken(token), userID, SessionTTL)
	if err != nil {
		return "", fmt.Errorf("store: create session: %w", err)
	}
	return token, nil
}

// DeleteSession ends a session (log out); an unknown token is no error.
// Expired sessions go with it.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	_, err := db.Pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1 OR expires_at < now()`, hashToken(token))
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// Credential says how a request was authenticated.
type Credential struct {
	Session  bool   // a session's token (a login), else an API token
	Token    string // as presented, to log out with
	TokenID  int64  // the API token's id
	TokenTag string // the API token's name
}

// Authenticate returns the user a session or API token belongs to. An
// unknown, expired or revoked token is an EUNAUTHORIZED error. Using an
// API token records its last use.
func (db *DB) Authenticate(ctx context.Context, token string) (newsline.User, Credential, error) {
	cred := Credential{Token: token}
	bad := newsline.Errorf(newsline.EUNAUTHORIZED, "the token is not valid: it expired, was revoked or never existed; log in again")
	var u newsline.User
	var err error
	switch {
	case strings.HasPrefix(token, SessionPrefix):
		cred.Session = true
		u, err = scanUser(db.Pool.QueryRow(ctx, `SELECT u.id, u.name, u.email, u.role, u.created_at
			FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now()`, hashToken(token)))
	case strings.HasPrefix(token, APITokenPrefix):
		u, err = scanUser(db.Pool.QueryRow(ctx, `
			WITH touch AS (
				UPDATE api_tokens SET last_used_at = now()
				WHERE token_hash = $1 AND (last_used_at IS NULL OR last_used_at < now() - $2::interval)
				RETURNING user_id
			)
			SELECT u.id, u.name, u.email, u.role, u.created_at, k.id, k.name
			FROM api_tokens k JOIN users u ON u.id = k.user_id
			WHERE k.token_hash = $1`, hashToken(token), lastUseGranularity),
			&cred.TokenID, &cred.TokenTag)
	default:
		return u, cred, bad
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return u, cred, bad
	}
	if err != nil {
		return u, cred, fmt.Errorf("store: authenticate: %w", err)
	}
	return u, cred, nil
}

// APIToken is a personal API token as its owner sees it: never the
// token itself, which is shown once.
type APIToken struct {
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// CreateAPIToken makes a named token for a user and returns it with the
// token itself; a name the user already has is an ECONFLICT error.
func (db *DB) CreateAPIToken(ctx context.Context, userID int64, name string) (APIToken, string, error) {
	t := APIToken{Name: name}
	token, err := randomSecret(APITokenPrefix)
	if err != nil {
		return t, "", err
	}
	err = db.Pool.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, $2, $3) RETURNING created_at`,
		userID, name, hashToken(token)).Scan(&t.CreatedAt)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return t, "", newsline.Errorf(newsline.ECONFLICT, "you already have a token named %q; revoke it first or choose another name", name)
	}
	if err != nil {
		return t, "", fmt.Errorf("store: create token: %w", err)
	}
	return t, token, nil
}

// APITokens lists a user's tokens by name.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := db.Pool.Query(ctx, `SELECT name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY name`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: list tokens: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (APIToken, error) {
		var t APIToken
		err := r.Scan(&t.Name, &t.CreatedAt, &t.LastUsedAt)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list tokens: %w", err)
	}
	return out, nil
}

// DeleteAPIToken revokes a user's token by name; a name the user has no
// token by (another user's token included) is ENOTFOUND.
func (db *DB) DeleteAPIToken(ctx context.Context, userID int64, name string) error {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM api_tokens WHERE user_id = $1 AND name = $2`, userID, name)
	if err != nil {
		return fmt.Errorf("store: revoke token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return newsline.Errorf(newsline.ENOTFOUND, "you have no token named %q", name)
	}
	return nil
}
