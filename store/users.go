package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/newsline/newsline"
	"github.com/newsline/newsline/internal/suggest"
)

const userColumns = `id, name, email, role, created_at`

func scanUser(row pgx.Row, extra ...any) (newsline.User, error) {
	var u newsline.User
	var role string
	err := row.Scan(append([]any{&u.ID, &u.Name, &u.Email, &role, &u.CreatedAt}, extra...)...)
	u.Role = newsline.Role(role)
	return u, err
}

// NewUser is what CreateUser stores: the caller validates the name and
// email (newsline.ValidateUserName, NormalizeEmail) and hashes the
// password (internal/password).
type NewUser struct {
	Name         string
	Email        string
	PasswordHash string
	Role         newsline.Role
}

// CreateUser adds a user; a name or email already taken (whatever its
// case) is an ECONFLICT error.
func (db *DB) CreateUser(ctx context.Context, nu NewUser) (newsline.User, error) {
	if nu.Role == "" {
		nu.Role = newsline.RoleReader
	}
	secret, err := randomSecret("")
	if err != nil {
		return newsline.User{}, err
	}
	u, err := scanUser(db.Pool.QueryRow(ctx, `
		INSERT INTO users (name, email, password_hash, role, feed_secret) VALUES ($1, $2, $3, $4, $5)
		RETURNING `+userColumns, nu.Name, nu.Email, nu.PasswordHash, string(nu.Role), secret))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		if strings.Contains(pgErr.ConstraintName, "email") {
			return u, newsline.Errorf(newsline.ECONFLICT, "the email %q already has an account", nu.Email)
		}
		return u, newsline.Errorf(newsline.ECONFLICT, "the name %q is taken", nu.Name)
	}
	if err != nil {
		return u, fmt.Errorf("store: create user %s: %w", nu.Name, err)
	}
	return u, nil
}

func userNotFound(name string) error {
	return newsline.Errorf(newsline.ENOTFOUND, "no user %q", name)
}

// User returns the user with this name, whatever its case.
func (db *DB) User(ctx context.Context, name string) (newsline.User, error) {
	u, err := scanUser(db.Pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE lower(name) = lower($1)`, name))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, userNotFound(name)
	}
	if err != nil {
		return u, fmt.Errorf("store: user %s: %w", name, err)
	}
	return u, nil
}

// UserByID returns the user with this id.
func (db *DB) UserByID(ctx context.Context, id int64) (newsline.User, error) {
	u, err := scanUser(db.Pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, newsline.Errorf(newsline.ENOTFOUND, "no such user")
	}
	if err != nil {
		return u, fmt.Errorf("store: user %d: %w", id, err)
	}
	return u, nil
}

// UserLogin returns the user whose name or email is login, with the hash
// of their password, for a login to check.
func (db *DB) UserLogin(ctx context.Context, login string) (newsline.User, string, error) {
	var hash string
	u, err := scanUser(db.Pool.QueryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users
		WHERE lower(name) = lower($1) OR lower(email) = lower($1)
		ORDER BY lower(name) = lower($1) DESC LIMIT 1`, login), &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, "", userNotFound(login)
	}
	if err != nil {
		return u, "", fmt.Errorf("store: user %s: %w", login, err)
	}
	return u, hash, nil
}

// Users lists every user by name.
func (db *DB) Users(ctx context.Context) ([]newsline.User, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY lower(name)`)
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	var out []newsline.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// ClosestUser returns the user name nearest to name, or "".
func (db *DB) ClosestUser(ctx context.Context, name string) (string, error) {
	names, err := strings1(ctx, db.Pool, "closest user", `SELECT name FROM users ORDER BY lower(name)`)
	if err != nil {
		return "", err
	}
	// suggest compares lower case; names keep theirs.
	byLower := make(map[string]string, len(names))
	lower := make([]string, len(names))
	for i, n := range names {
		lower[i] = strings.ToLower(n)
		byLower[lower[i]] = n
	}
	return byLower[suggest.Closest(name, lower)], nil
}

// DeleteUser removes a user with their sessions, tokens, follows and
// bookmarks.
func (db *DB) DeleteUser(ctx context.Context, name string) error {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM users WHERE lower(name) = lower($1)`, name)
	if err != nil {
		return fmt.Errorf("store: delete user %s: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return userNotFound(name)
	}
	return nil
}

// SetPassword replaces a user's password hash and ends their sessions:
// whoever knew the old password is logged out. API tokens stay.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, userID, hash)
		if err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return newsline.Errorf(newsline.ENOTFOUND, "no such user")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		return nil
	})
}

// UpdatePasswordHash stores a fresh hash of the same password (stronger
// parameters), leaving sessions alone.
func (db *DB) UpdatePasswordHash(ctx context.Context, userID int64, hash string) error {
	if _, err := db.Pool.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash); err != nil {
		return fmt.Errorf("store: update password hash: %w", err)
	}
	return nil
}

// FeedSecret returns the secret of a user's personal feeds' URLs.
func (db *DB) FeedSecret(ctx context.Context, userID int64) (string, error) {
	var s string
	if err := db.Pool.QueryRow(ctx, `SELECT feed_secret FROM users WHERE id = $1`, userID).Scan(&s); err != nil {
		return "", fmt.Errorf("store: feed secret: %w", err)
	}
	return s, nil
}

// RotateFeedSecret gives a user a new feed secret; the old one stops
// working at once.
func (db *DB) RotateFeedSecret(ctx context.Context, userID int64) (string, error) {
	secret, err := randomSecret("")
	if err != nil {
		return "", err
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE users SET feed_secret = $2, updated_at = now() WHERE id = $1`, userID, secret); err != nil {
		return "", fmt.Errorf("store: rotate feed secret: %w", err)
	}
	return secret, nil
}

// UserByFeedSecret returns the user whose feed secret this is; any other
// string, a rotated secret included, is ENOTFOUND.
func (db *DB) UserByFeedSecret(ctx context.Context, secret string) (newsline.User, error) {
	u, err := scanUser(db.Pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE feed_secret = $1`, secret))
	if errors.Is(err, pgx.ErrNoRows) {
		return u, newsline.Errorf(newsline.ENOTFOUND, "no such feed")
	}
	if err != nil {
		return u, fmt.Errorf("store: feed owner: %w", err)
	}
	return u, nil
}

// randomSecret returns prefix and 32 random bytes, URL-safe: 256 bits
// nobody guesses.
func randomSecret(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("store: random secret: %w", err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}
