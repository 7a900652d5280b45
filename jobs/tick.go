package jobs

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/robfig/cron/v3"
)

// claimTickScript gives KEYS[1] to task ARGV[1] for ARGV[2] ms unless
// another task holds it; the holder itself (a retry, or its task run again
// after a crash) keeps it.
var claimTickScript = redis.NewScript(`
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  return 1
end
if holder then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
return 1
`)

// claimTick reports whether the scheduled crawl task running in ctx is the
// first of its tick of the site's schedule, and so should crawl. asynq's
// schedulers do not know of each other, and a uniqueness lock ends with
// the crawl, so two schedulers (a second deployed by mistake, or two
// during a rolling restart) would each enqueue every tick, and a crawl
// that took less time than the gap between their enqueues would run
// twice. The first task of a tick claims the site in Redis until shortly
// before its next tick; the others find the claim and do nothing.
func (h *Handlers) claimTick(ctx context.Context, host, schedule string) (bool, error) {
	id, ok := asynq.GetTaskID(ctx)
	ttl, fires := tickClaimTTL(schedule, time.Now())
	if h.Redis == nil || !ok || !fires {
		return true, nil
	}
	n, err := claimTickScript.Run(ctx, h.Redis, []string{"newsline:crawl-tick:" + host}, id, ttl.Milliseconds()).Int()
	return n == 1, err
}

// tickClaimTTL is how long a crawl at now holds its site's tick: until a
// tenth of the schedule's period before the next tick, so that the next
// tick's crawl is never refused however late the claiming one ran.
func tickClaimTTL(schedule string, now time.Time) (time.Duration, bool) {
	sched, err := cron.ParseStandard(schedule)
	if err != nil {
		return 0, false
	}
	next := sched.Next(now)
	after := sched.Next(next)
	if next.IsZero() || after.IsZero() {
		return 0, false
	}
	// Next is only right to the second for "@every" (it rounds now
	// down), hence the second added to what is left of this tick.
	return min(after.Sub(next), next.Sub(now)+time.Second) * 9 / 10, true
}
