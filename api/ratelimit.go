package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/newsline/newsline"
)

// Rate limits of the routes that check a password or create an account,
// against guessing passwords and mass sign-ups. Each counts every attempt
// (GCRA in Redis, shared by every server process): per client address,
// and per account, so that guesses spread over many addresses still stop.
const (
	LoginsPerIPPerMinute      = 30
	LoginsPerAccountPerMinute = 10
	SignupsPerIPPerHour       = 10
)

// RateLimits are the limits of logins and sign-ups; a zero field takes its
// default. Tests set hourly ones, which do not refill while they run.
type RateLimits struct {
	LoginsPerIP      redis_rate.Limit
	LoginsPerAccount redis_rate.Limit // also sign-ups per name
	SignupsPerIP     redis_rate.Limit
}

// rateLimits are s.RateLimits with the defaults filled in.
func (s *Server) rateLimits() RateLimits {
	l := s.RateLimits
	if l.LoginsPerIP.IsZero() {
		l.LoginsPerIP = redis_rate.PerMinute(LoginsPerIPPerMinute)
	}
	if l.LoginsPerAccount.IsZero() {
		l.LoginsPerAccount = redis_rate.PerMinute(LoginsPerAccountPerMinute)
	}
	if l.SignupsPerIP.IsZero() {
		l.SignupsPerIP = redis_rate.PerHour(SignupsPerIPPerHour)
	}
	return l
}

// rateKey is a limit's Redis key.
func rateKey(what, subject string) string { return "newsline:ratelimit:" + what + ":" + subject }

// allow takes one attempt from each (key, limit) in turn. When one is
// spent it answers 429 with Retry-After and returns false. Without Redis,
// or when Redis fails, the attempt is allowed and the failure logged: a
// login must not depend on the queue's store being up.
func (s *Server) allow(w http.ResponseWriter, r *http.Request, limits ...rateLimit) bool {
	if s.Redis == nil {
		return true
	}
	lim := redis_rate.NewLimiter(s.Redis)
	for _, l := range limits {
		res, err := lim.Allow(context.WithoutCancel(r.Context()), l.key, l.limit)
		if err != nil {
			s.Logger.Warn("rate limit unavailable; allowing", "key", l.key, "err", err)
			return true
		}
		if res.Allowed == 0 {
			secs := max(1, int((res.RetryAfter+time.Second-1)/time.Second))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			s.error(w, r, newsline.Errorf(newsline.ERATELIMITED, "too many attempts %s; try again in %d s", l.what, secs))
			return false
		}
	}
	return true
}

// rateLimit is one limit an attempt counts against.
type rateLimit struct {
	key   string
	what  string // "from your address", "for this account"
	limit redis_rate.Limit
}

func (s *Server) loginIPLimit(r *http.Request) rateLimit {
	return rateLimit{rateKey("login-ip", s.clientIP(r)), "from your address", s.rateLimits().LoginsPerIP}
}

// loginAccountLimit counts against the user with this id, or against the
// login typed when no user has it (id 0).
func (s *Server) loginAccountLimit(userID int64, login string) rateLimit {
	subject := "login-" + strings.ToLower(login)
	if userID != 0 {
		subject = "user-" + strconv.FormatInt(userID, 10)
	}
	return rateLimit{rateKey("login-account", subject), "for this account", s.rateLimits().LoginsPerAccount}
}

func (s *Server) signupLimits(r *http.Request, name string) []rateLimit {
	return []rateLimit{
		{rateKey("signup-ip", s.clientIP(r)), "from your address", s.rateLimits().SignupsPerIP},
		{rateKey("signup-name", strings.ToLower(name)), "for this name", s.rateLimits().LoginsPerAccount},
	}
}
