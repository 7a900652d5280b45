package main

import (
	"testing"
	"time"

	"github.com/newsline/newsline/api"
)

// startServing runs newsline with args (a command that serves the API) in
// process until the test ends, as runInProcess does, and returns the URL
// and the api.Server the command built, once it listens.
func startServing(t *testing.T, e env, args ...string) (string, *api.Server) {
	t.Helper()
	var out syncBuffer
	a, err := newApp(&out, &out, e.lookup)
	if err != nil {
		t.Fatal(err)
	}
	type served struct {
		url string
		srv *api.Server
	}
	ch := make(chan served, 1)
	a.served = func(url string, srv *api.Server) { ch <- served{url, srv} }
	runAppInProcess(t, a, &out, args...)
	select {
	case s := <-ch:
		return s.url, s.srv
	case <-time.After(60 * time.Second):
		t.Fatalf("newsline %v did not listen within 60 s:\n%s", args, out.String())
		return "", nil
	}
}
