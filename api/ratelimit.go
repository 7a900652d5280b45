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

func (s *Server) loginLimits(r *http.Request, login string) []rateLimit {
	return []rateLimit{
		{rateKey("login-ip", s.clientIP(r)), "from your address", redis_rate.PerMinute(LoginsPerIPPerMinute)},
		{rateKey("login-account", strings.ToLower(login)), "for this account", redis_rate.PerMinute(LoginsPerAccountPerMinute)},
	}
}

func (s *Server) signupLimits(r *http.Request, name string) []rateLimit {
	return []rateLimit{
		{rateKey("signup-ip", s.clientIP(r)), "from your address", redis_rate.PerHour(SignupsPerIPPerHour)},
		{rateKey("signup-name", strings.ToLower(name)), "for this name", redis_rate.PerMinute(LoginsPerAccountPerMinute)},
	}
}
