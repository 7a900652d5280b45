package crawler

import (
	"errors"
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"
)

// TestGuardEmbeddedIPv4 judges IPv6 forms that carry an IPv4 address as
// that address would be judged, with and without allow_private.
func TestGuardEmbeddedIPv4(t *testing.T) {
	for _, tt := range []struct {
		ip            string
		public        bool // PublicAddr, and open without allow_private
		openIfPrivate bool // open with allow_private
	}{
		// IPv4 and IPv6 as such
		{"93.184.216.34", true, true},
		{"2606:2800:220:1:248:1893:25c8:1946", true, true},
		{"127.0.0.1", false, true},
		{"169.254.169.254", false, false},
		{"::1", false, true},
		{"::", false, false},
		{"fec0::1", false, true},
		// IPv4-mapped ::ffff:0:0/96
		{"::ffff:127.0.0.1", false, true},
		{"::ffff:169.254.169.254", false, false},
		{"::ffff:93.184.216.34", true, true},
		// IPv4-compatible ::/96
		{"::127.0.0.1", false, true},
		{"::10.0.0.1", false, true},
		{"::169.254.169.254", false, false},
		{"::93.184.216.34", true, true},
		// 6to4 2002::/16, the IPv4 address in bits 16-47
		{"2002:7f00:1::1", false, true},     // 127.0.0.1
		{"2002:c0a8:101::", false, true},    // 192.168.1.1
		{"2002:a9fe:a9fe::1", false, false}, // 169.254.169.254
		{"2002:5db8:d822::1", true, true},   // 93.184.216.34
		// Teredo 2001::/32: the server in bits 32-63, the client inverted in the last 32
		{"2001:0:7f00:1::", false, true},                 // server 127.0.0.1
		{"2001:0:5db8:d822:0:0:80ff:fffe", false, true},  // client 127.0.0.1, server public
		{"2001:0:5db8:d822:0:0:5601:5656", false, false}, // client 169.254.169.169
		{"2001:0:5db8:d822:0:0:a247:27dd", true, true},   // client 93.184.216.34, server public
		// NAT64 well-known prefix 64:ff9b::/96, the last 32 bits
		{"64:ff9b::127.0.0.1", false, true},
		{"64:ff9b::10.1.2.3", false, true},
		{"64:ff9b::169.254.169.254", false, false},
		{"64:ff9b::93.184.216.34", true, true},
		// the local-use NAT64 prefix: blocked whatever it carries
		{"64:ff9b:1::93.184.216.34", false, true},
		{"64:ff9b:1::7f00:1", false, true},
		// neighbours of those prefixes that carry nothing
		{"2001:4860:4860::8888", true, true},
		{"2003::7f00:1", true, true},
		{"64:ff9c::7f00:1", true, true},
	} {
		ip := netip.MustParseAddr(tt.ip)
		if got := PublicAddr(ip); got != tt.public {
			t.Errorf("PublicAddr(%s) = %v, want %v", tt.ip, got, tt.public)
		}
		for _, allow := range []bool{false, true} {
			want := tt.public || allow && tt.openIfPrivate
			err := dialer(allow, time.Second).Control("tcp6", netip.AddrPortFrom(ip, 443).String(), nil)
			if (err == nil) != want || err != nil && !errors.Is(err, ErrBlockedAddress) {
				t.Errorf("dial %s (allow_private %v): %v, want open %v", tt.ip, allow, err, want)
			}
		}
	}
}

// TestGuardDialsEmbeddedLoopback dials [::127.0.0.1] for real: the
// operating system may route it to IPv4 loopback; the guard never lets
// it try.
func TestGuardDialsEmbeddedLoopback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	for _, host := range []string{"::127.0.0.1", "::ffff:127.0.0.1", "2002:7f00:1::1", "64:ff9b::7f00:1"} {
		_, err := dialer(false, time.Second).Dial("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("dial [%s]:%d: %v, want ErrBlockedAddress", host, port, err)
		}
	}
}
