package crawler

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limiter enforces per-host politeness: a minimum delay between the starts
// of two requests and a maximum number in flight.
type Limiter interface {
	// Acquire waits until a request to host may start: fewer than maxConc
	// requests in flight and at least delay since the previous start. The
	// caller must call release when its request is done.
	Acquire(ctx context.Context, host string, delay time.Duration, maxConc int) (release func(), err error)
	// Backoff keeps every request off host for d, as a 429 or 503 with
	// Retry-After asks.
	Backoff(ctx context.Context, host string, d time.Duration) error
}

// reserveSlot atomically books the next free start time for a host and
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

// pushSlot moves the next free start time to at least now + ARGV[1] ms.
var pushSlot = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(nextFree, now + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], at, 'PX', at - now + 1000)
return at - now
`)

// takeLease adds a lease to a host's in-flight set when it has room.
// Leases expire unless renewed, so a worker that dies mid-request frees
// its slot within a lease's TTL.
var takeLease = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
`)

// renewLease pushes a held lease's expiry to now + ARGV[1] ms. It puts
// back a lease that lapsed meanwhile (its holder was paused, or Redis lost
// it): the request is still in flight, and the count should say so.
var renewLease = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
end
return 1
`)

// DefaultLeaseTTL is how long a concurrency slot outlives the last renewal
// by its holder, which renews it every third of that while its request is
// in flight. It bounds how long a worker that dies holding slots (kill -9,
// a lost machine) keeps its hosts waiting.
const DefaultLeaseTTL = 6 * time.Second

// RedisLimiter is a Limiter shared by every worker process that uses the
// same Redis: all of them together respect a host's delay and concurrency.
type RedisLimiter struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration // a slot lapses this long after its holder last renewed it
}

// NewRedisLimiter returns a Limiter keeping its state in rdb. ttl (0 means
// DefaultLeaseTTL) is how long a slot stays taken after its holder stops
// renewing it, so how long a worker that died mid-request stalls the host;
// a live holder renews its slots however long its request takes.
func NewRedisLimiter(rdb redis.UniversalClient, ttl time.Duration) *RedisLimiter {
	if ttl <= 0 {
		ttl = DefaultLeaseTTL
	}
	return &RedisLimiter{rdb: rdb, prefix: "newsline:host:", ttl: ttl}
}

// Acquire implements Limiter.
func (l *RedisLimiter) Acquire(ctx context.Context, host string, delay time.Duration, maxConc int) (func(), error) {
	release := func() {}
	if maxConc > 0 {
		token := randomToken()
		key := l.prefix + host + ":inflight"
		for {
			ok, err := takeLease.Run(ctx, l.rdb, []string{key}, maxConc, l.ttl.Milliseconds(), token).Int()
			if err != nil {
				return nil, fmt.Errorf("crawler: concurrency limit for %s: %w", host, err)
			}
			if ok == 1 {
				break
			}
			if err := sleep(ctx, time.Duration(10+rand.IntN(40))*time.Millisecond); err != nil {
				return nil, err
			}
		}
		release = l.hold(key, token)
	}
	// Run even with no delay: a Backoff may have pushed the host's clock.
	{
		ms, err := reserveSlot.Run(ctx, l.rdb, []string{l.prefix + host}, delay.Milliseconds()).Int64()
		if err != nil {
			release()
			return nil, fmt.Errorf("crawler: rate limit for %s: %w", host, err)
		}
		if err := sleep(ctx, time.Duration(ms)*time.Millisecond); err != nil {
			release()
			return nil, err
		}
	}
	return release, nil
}

// hold renews the lease token in key until the returned release is
// called, which frees it; calling release again does nothing.
func (l *RedisLimiter) hold(key, token string) (release func()) {
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		every := l.ttl / 3
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				// A renewal that fails (Redis unreachable) is not retried
				// here: the next tick tries again, and the lease lapses
				// only if every renewal of a whole TTL fails.
				ctx, cancel := context.WithTimeout(context.Background(), every)
				_ = renewLease.Run(ctx, l.rdb, []string{key}, l.ttl.Milliseconds(), token).Err()
				cancel()
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			// Renewal stops first, so it cannot put the lease back after
			// it is freed.
			close(stop)
			<-stopped
			// Not the request's context: the slot must be freed even when
			// the request was canceled.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			l.rdb.ZRem(ctx, key, token)
		})
	}
}

// Backoff implements Limiter.
func (l *RedisLimiter) Backoff(ctx context.Context, host string, d time.Duration) error {
	if err := pushSlot.Run(ctx, l.rdb, []string{l.prefix + host}, d.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("crawler: back off %s: %w", host, err)
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func randomToken() string {
	b := make([]byte, 12)
	_, _ = crand.Read(b)
	return hex.EncodeToString(b)
}

// LocalLimiter is a Limiter for one process, for one-off crawls without
// Redis.
type LocalLimiter struct {
	mu       sync.Mutex
	next     map[string]time.Time
	inflight map[string]int
	freed    chan struct{}
}

// NewLocalLimiter returns an in-process Limiter.
func NewLocalLimiter() *LocalLimiter {
	return &LocalLimiter{next: map[string]time.Time{}, inflight: map[string]int{}, freed: make(chan struct{})}
}

// Acquire implements Limiter.
func (l *LocalLimiter) Acquire(ctx context.Context, host string, delay time.Duration, maxConc int) (func(), error) {
	for {
		l.mu.Lock()
		if maxConc <= 0 || l.inflight[host] < maxConc {
			l.inflight[host]++
			now := time.Now()
			at := l.next[host]
			if at.Before(now) {
				at = now
			}
			l.next[host] = at.Add(delay)
			l.mu.Unlock()
			var once sync.Once
			release := func() {
				once.Do(func() {
					l.mu.Lock()
					l.inflight[host]--
					close(l.freed)
					l.freed = make(chan struct{})
					l.mu.Unlock()
				})
			}
			if err := sleep(ctx, time.Until(at)); err != nil {
				release()
				return nil, err
			}
			return release, nil
		}
		freed := l.freed
		l.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Backoff implements Limiter.
func (l *LocalLimiter) Backoff(_ context.Context, host string, d time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if at := time.Now().Add(d); at.After(l.next[host]) {
		l.next[host] = at
	}
	return nil
}
