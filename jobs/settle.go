package jobs

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// settleWithin bounds how long a finished task waits for Redis: less than
// asynq's 30-second lease, so that asynq may still record the outcome
// itself once Redis answers.
const settleWithin = 20 * time.Second

// awaitRedis holds a finished task's outcome until Redis answers, so that
// asynq records it (done, retry) at once. asynq v0.26 hands a write that
// failed to its syncer with a context it has already canceled, so the
// syncer can never succeed (hibiken/asynq#1051): a task that ended while
// Redis was restarting stayed "active" until asynq's recoverer took it
// back, two minutes later. Waiting costs a PING per task while Redis is
// up.
func awaitRedis(rdb redis.UniversalClient) asynq.MiddlewareFunc {
	return func(next asynq.Handler) asynq.Handler {
		return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
			err := next.ProcessTask(ctx, t)
			waitForRedis(ctx, rdb, settleWithin)
			return err
		})
	}
}

// waitForRedis returns once rdb answers a PING, ctx is done (asynq then
// acts without waiting for the handler) or within has passed.
func waitForRedis(ctx context.Context, rdb redis.UniversalClient, within time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	for ctx.Err() == nil {
		pctx, pcancel := context.WithTimeout(ctx, time.Second)
		err := rdb.Ping(pctx).Err()
		pcancel()
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(250 * time.Millisecond):
		}
	}
}
