package crawler_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsline/newsline/crawler"
	"github.com/newsline/newsline/internal/testenv"
)

// holderEnv, when set to a Redis URL, makes TestHoldSlotsUntilKilled the
// body of a child process that takes a host's slots and keeps them.
const holderEnv = "NEWSLINE_TEST_SLOT_HOLDER"

const (
	holderHost  = "held.example"
	holderSlots = 2
)

// TestHoldSlotsUntilKilled is not a test of its own: run by
// TestKilledHolderFreesSlots in a child process, it takes every slot of a
// host, says so on stdout, and holds them (renewing) until it is killed.
func TestHoldSlotsUntilKilled(t *testing.T) {
	redisURL := os.Getenv(holderEnv)
	if redisURL == "" {
		t.Skip("run as a child process by TestKilledHolderFreesSlots")
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	lim := crawler.NewRedisLimiter(redis.NewClient(opts), 0)
	for range holderSlots {
		if _, err := lim.Acquire(context.Background(), holderHost, 0, holderSlots); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Println("holding")
	select {}
}

// TestKilledHolderFreesSlots measures how long a host stays blocked after
// the worker holding all its concurrency slots is killed with SIGKILL, so
// it never releases them. While the holder lives, its slots stay taken
// well past their TTL (it renews them); once it is dead they lapse within
// a TTL, and another worker gets one.
func TestKilledHolderFreesSlots(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a lease to lapse")
	}
	redisURL := testenv.RedisURL(t)
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	lim := crawler.NewRedisLimiter(rdb, 0)

	holder := exec.Command(os.Args[0], "-test.run=^TestHoldSlotsUntilKilled$", "-test.v")
	holder.Env = append(os.Environ(), holderEnv+"="+redisURL)
	out, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	holder.Stderr = os.Stderr
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = holder.Process.Kill()
		_ = holder.Wait()
	}()
	holding := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "holding" {
				holding <- true
			}
		}
		close(holding)
	}()
	select {
	case ok := <-holding:
		if !ok {
			t.Fatal("the holder exited before it held the slots")
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the holder did not take the slots within a minute")
	}

	// Alive, the holder keeps its slots past their TTL.
	ctx, cancel := context.WithTimeout(context.Background(), crawler.DefaultLeaseTTL*3/2)
	release, err := lim.Acquire(ctx, holderHost, 0, holderSlots)
	cancel()
	if err == nil {
		release()
		t.Fatalf("got a slot of a live holder's host: its leases were not renewed")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatal(err)
	}

	if err := holder.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	_ = holder.Wait()
	ctx, cancel = context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	release, err = lim.Acquire(ctx, holderHost, 0, holderSlots)
	if err != nil {
		t.Fatalf("no slot within a minute of the holder's death: %v", err)
	}
	release()
	t.Logf("a host whose %d slots a killed worker held was blocked for %s (lease TTL %s)",
		holderSlots, time.Since(killed).Round(10*time.Millisecond), crawler.DefaultLeaseTTL)
}
