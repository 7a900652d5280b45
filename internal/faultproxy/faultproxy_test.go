package faultproxy

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"
)

// echoServer answers every line with the same line.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// roundTrip sends a line through c and reports whether it came back.
func roundTrip(t *testing.T, c net.Conn) bool {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte("ping\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && line == "ping\n"
}

func dial(t *testing.T, p *Proxy) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestCutAndRestore(t *testing.T) {
	p, err := Start(echoServer(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	before := dial(t, p)
	if !roundTrip(t, before) {
		t.Fatal("no echo through the proxy")
	}
	p.Cut()
	if roundTrip(t, before) {
		t.Error("a connection open before the cut still works")
	}
	if roundTrip(t, dial(t, p)) {
		t.Error("a connection made while cut works")
	}
	if p.Refused() == 0 {
		t.Error("no connection counted as refused while cut")
	}
	p.Restore()
	after := dial(t, p)
	if !roundTrip(t, after) {
		t.Fatal("no echo after the restore")
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if roundTrip(t, after) {
		t.Error("a connection still works after Close")
	}
}

func TestURL(t *testing.T) {
	p, err := Start("127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, tc := range []struct{ in, want string }{
		{"postgres://postgres@127.0.0.1:5432/news?sslmode=disable", "postgres://postgres@" + p.Addr() + "/news?sslmode=disable"},
		{"redis://:secret@localhost:6379/3", "redis://:secret@" + p.Addr() + "/3"},
	} {
		got, err := p.URL(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("URL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
