package config

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// NextRun returns when a schedule next fires after t.
func NextRun(spec string, t time.Time) (time.Time, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid cron expression %q: %w", spec, err)
	}
	return sched.Next(t), nil
}

// MinInterval is the shortest time a schedule may leave between two
// crawls of a site: a crawl reads feeds and sitemaps again, and a site
// crawled continuously is a site hammered. A site with allow_private (the
// tests' and the dev test site's own servers, which nobody else reads) may
// go down to MinPrivateInterval, the finest step cron runs.
const (
	MinInterval        = time.Minute
	MinPrivateInterval = time.Second
)

// ValidateSchedule checks a standard five-field cron expression or a
// descriptor such as @hourly or "@every 15m": it must parse, fire, and
// never fire twice within MinInterval.
func ValidateSchedule(spec string) error { return validateSchedule(spec, MinInterval) }

func validateSchedule(spec string, minInterval time.Duration) error {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return fmt.Errorf("invalid cron expression %q: %w", spec, err)
	}
	// cron reads "@every 1ms" and "@every -1m" as every second.
	if d, ok := strings.CutPrefix(strings.TrimSpace(spec), "@every "); ok {
		every, err := time.ParseDuration(strings.TrimSpace(d))
		if err != nil || every < minInterval {
			return fmt.Errorf("schedule %q crawls more often than every %s; want @every %s or longer", spec, minInterval, minInterval)
		}
		return nil
	}
	if gap, ok := shortestGap(sched, minInterval); !ok {
		return fmt.Errorf("schedule %q never runs", spec)
	} else if gap < minInterval {
		return fmt.Errorf("schedule %q runs %s apart; want at least %s between runs", spec, gap, minInterval)
	}
	return nil
}

// shortestGap returns the shortest time between consecutive runs of sched
// over a day of runs, from a fixed start so that the answer does not depend
// on the day it is asked. Five-field cron expressions cannot fire more
// often than every minute, but a parser with a seconds field could.
func shortestGap(sched cron.Schedule, minInterval time.Duration) (time.Duration, bool) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // a leap year
	prev := sched.Next(start)
	if prev.IsZero() {
		return 0, false
	}
	shortest := time.Duration(math.MaxInt64)
	for end := prev.Add(24 * time.Hour); prev.Before(end); {
		next := sched.Next(prev)
		if next.IsZero() {
			break
		}
		if gap := next.Sub(prev); gap < shortest {
			shortest = gap
			if gap < minInterval {
				break
			}
		}
		prev = next
	}
	return shortest, true
}
