package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsline/newsline/internal/testenv"
)

const password = "s3cr3t-pw"

// TestCLINeverShowsPasswords runs newsline with URLs that carry a
// password: neither --help, nor an error at startup, nor the logs may show
// it.
func TestCLINeverShowsPasswords(t *testing.T) {
	unreachable := env{
		"NEWSLINE_DATABASE_URL": "postgres://u:" + password + "@127.0.0.1:1/db",
		"NEWSLINE_REDIS_URL":    "redis://:" + password + "@127.0.0.1:1/0",
		"NEWSLINE_LOG_LEVEL":    "debug",
		"NEWSLINE_HTTP_ADDR":    freeAddr(t),
	}
	for _, tc := range []struct {
		env  env
		args []string
		code int
		want string
	}{
		{unreachable, []string{"--help"}, 0, "postgres://u:xxxxx@127.0.0.1:1/db"},
		{unreachable, []string{"serve", "--help"}, 0, "redis://:xxxxx@127.0.0.1:1/0"},
		{unreachable, []string{"worker", "--help"}, 0, "--database-url url"},
		{unreachable, []string{"serve"}, 1, "store: connect to 127.0.0.1"},
		{unreachable, []string{"migrate", "up"}, 1, "store: connect to 127.0.0.1"},
		{unreachable, []string{"scheduler"}, 1, "store: connect to 127.0.0.1"},
		{unreachable, []string{"sites", "ls", "--database-url", "host=127.0.0.1 port=1 user=u password=" + password}, 1, "store: connect to 127.0.0.1"},
		{unreachable, []string{"--redis-url", "redis://:" + password + "@127.0.0.1:x/0", "worker"}, 2, "not a valid URL"},
		{unreachable, []string{"migrate", "up", "--database-url", "postgres://u:" + password + "%zz@127.0.0.1/db"}, 2, "invalid URL escape"},
		{env{"NEWSLINE_DATABASE_URL": "postgres://u:" + password + "@[::1/db"}, []string{"migrate", "up"}, 2, "NEWSLINE_DATABASE_URL: not a valid URL"},
		// go-redis quoted the whole URL it could not parse.
		{env{"NEWSLINE_REDIS_URL": "redis://:" + password + "@127.0.0.1:x/0"}, []string{"worker"}, 2, "NEWSLINE_REDIS_URL: not a valid URL"},
		{env{"NEWSLINE_DATABASE_URL": testenv.DatabaseURL(t), "NEWSLINE_REDIS_URL": unreachable["NEWSLINE_REDIS_URL"],
			"NEWSLINE_LOG_LEVEL": "debug", "NEWSLINE_HTTP_ADDR": freeAddr(t)}, []string{"worker"}, 1, "connect to Redis at 127.0.0.1:1"},
	} {
		code, out := run(t, tc.env, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) || strings.Contains(out, password) {
			t.Errorf("newsline %s: exit %d, want %d with %q and no password; output:\n%s", strings.Join(tc.args, " "), code, tc.code, tc.want, out)
		}
	}
}

// TestServeLogsNoPassword serves with a database URL that carries a
// password (the test server trusts local connections, so it is ignored)
// and checks the debug logs of a start, a request and a stop.
func TestServeLogsNoPassword(t *testing.T) {
	u, err := url.Parse(testenv.DatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), password)
	addr := freeAddr(t)
	e := env{"NEWSLINE_DATABASE_URL": u.String(), "NEWSLINE_REDIS_URL": testenv.RedisURL(t), "NEWSLINE_LOG_LEVEL": "debug",
		"NEWSLINE_LOG_FORMAT": "text", "NEWSLINE_HTTP_ADDR": addr}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, &out, &out, e.lookup) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d:\n%s", code, out.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not answer:\n%s", out.String())
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, out.String())
	}
	logs := out.String()
	if !strings.Contains(logs, "http server listening") || !strings.Contains(logs, `msg="http request" method=GET route="GET /readyz" status=200`) || strings.Contains(logs, password) {
		t.Errorf("logs:\n%s", logs)
	}
}
