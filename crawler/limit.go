package crawler

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limiter spaces requests to one host.
type Limiter interface {
	// Wait blocks until a request to host may start, at least delay after
	// the previous one.
	Wait(ctx context.Context, host string, delay time.Duration) error
}

// reserveSlot atomically books the next free request slot for a host and
// returns how long the caller must wait for it. It uses Redis's own clock
// so workers on machines with skewed clocks still agree.
var reserveSlot = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, nextFree)
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], at + delay, 'PX', at - now + delay + 1000)
return at - now
`)

// RedisLimiter is a Limiter shared by every worker process that uses the
// same Redis: two workers never hit one host closer than its delay.
type RedisLimiter struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedisLimiter returns a Limiter keeping its state in rdb.
func NewRedisLimiter(rdb redis.UniversalClient) *RedisLimiter {
	return &RedisLimiter{rdb: rdb, prefix: "newsline:host:"}
}

// Wait implements Limiter.
func (l *RedisLimiter) Wait(ctx context.Context, host string, delay time.Duration) error {
	if delay <= 0 {
		return nil
	}
	ms, err := reserveSlot.Run(ctx, l.rdb, []string{l.prefix + host}, delay.Milliseconds()).Int64()
	if err != nil {
		return fmt.Errorf("crawler: rate limit for %s: %w", host, err)
	}
	if ms <= 0 {
		return nil
	}
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// LocalLimiter is a Limiter for one process, for one-off crawls without
// Redis.
type LocalLimiter struct {
	mu   sync.Mutex
	next map[string]time.Time
}

// NewLocalLimiter returns an in-process Limiter.
func NewLocalLimiter() *LocalLimiter { return &LocalLimiter{next: map[string]time.Time{}} }

// Wait implements Limiter.
func (l *LocalLimiter) Wait(ctx context.Context, host string, delay time.Duration) error {
	if delay <= 0 {
		return nil
	}
	l.mu.Lock()
	now := time.Now()
	at := l.next[host]
	if at.Before(now) {
		at = now
	}
	l.next[host] = at.Add(delay)
	l.mu.Unlock()
	t := time.NewTimer(time.Until(at))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
