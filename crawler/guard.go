package crawler

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// ErrBlockedAddress is returned when a host resolves to an address the
// crawler must not reach: loopback, private, link-local (including cloud
// metadata at 169.254.169.254), unspecified or multicast, or an IPv6
// address that carries such an IPv4 address.
var ErrBlockedAddress = errors.New("address not allowed")

// blockedPrefixes beyond what netip's predicates cover.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("fec0::/10"), // site-local, deprecated but routed by some networks
	// The local-use NAT64 prefix (RFC 8215) leads to whatever the local
	// translator reaches, and where it puts the IPv4 address (RFC 6052
	// allows a prefix of /48 to /96 inside it) is the operator's choice,
	// so no embedded address can be judged. DNS64 for the Internet uses
	// the well-known prefix, judged below.
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// IPv6 prefixes whose addresses carry an IPv4 address that a packet to
// them may reach (through a tunnel or a translator).
var (
	ipv4Compatible = netip.MustParsePrefix("::/96")        // deprecated, RFC 4291
	sixToFour      = netip.MustParsePrefix("2002::/16")    // 6to4, RFC 3056: bits 16-47
	teredo         = netip.MustParsePrefix("2001::/32")    // RFC 4380: server bits 32-63, client the last 32 inverted
	nat64          = netip.MustParsePrefix("64:ff9b::/96") // NAT64 well-known prefix, RFC 6052: the last 32 bits
)

// embeddedIPv4 returns the IPv4 addresses an IPv6 address carries; none
// for an IPv4 address (IPv4-mapped addresses are unmapped before).
func embeddedIPv4(ip netip.Addr) []netip.Addr {
	if !ip.Is6() {
		return nil
	}
	b := ip.As16()
	v4 := func(i int) netip.Addr { return netip.AddrFrom4([4]byte{b[i], b[i+1], b[i+2], b[i+3]}) }
	switch {
	case ipv4Compatible.Contains(ip):
		// :: and ::1 are judged as IPv6; the rest as the IPv4 they hold.
		if ip == netip.IPv6Unspecified() || ip == netip.IPv6Loopback() {
			return nil
		}
		return []netip.Addr{v4(12)}
	case sixToFour.Contains(ip):
		return []netip.Addr{v4(2)}
	case teredo.Contains(ip):
		client := [4]byte{b[12] ^ 0xff, b[13] ^ 0xff, b[14] ^ 0xff, b[15] ^ 0xff}
		return []netip.Addr{v4(4), netip.AddrFrom4(client)}
	case nat64.Contains(ip):
		return []netip.Addr{v4(12)}
	}
	return nil
}

// PublicAddr reports whether ip is safe for the crawler to connect to: it
// is public, and so is every IPv4 address it carries.
func PublicAddr(ip netip.Addr) bool {
	return !blocked(ip, false)
}

// blocked reports whether the crawler must not connect to ip. With
// allowPrivate, loopback and private addresses are open, but link-local
// ones (where cloud metadata services live), unspecified and multicast
// addresses stay closed, and an IPv6 address is judged by the IPv4
// addresses it carries too.
func blocked(ip netip.Addr, allowPrivate bool) bool {
	ip = ip.Unmap()
	for _, a := range append([]netip.Addr{ip}, embeddedIPv4(ip)...) {
		if a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() || a.IsUnspecified() || a.IsMulticast() {
			return true
		}
		if !allowPrivate && !publicAddr(a) {
			return true
		}
	}
	return false
}

// publicAddr judges ip alone, not what it carries.
func publicAddr(ip netip.Addr) bool {
	if ip.IsLoopback() || ip.IsPrivate() {
		return false
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// dialer returns a dialer that checks every address after DNS resolution,
// at connect time, so neither a DNS answer nor a redirect can steer the
// crawler into the private network. allowPrivate opens loopback and
// private ranges (tests, the dev test site); link-local addresses, where
// cloud metadata services live, stay closed whatever the setting.
func dialer(allowPrivate bool, timeout time.Duration) *net.Dialer {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	d.Control = func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("crawler: %w: %s", ErrBlockedAddress, address)
		}
		if ip := ap.Addr(); blocked(ip, allowPrivate) {
			return fmt.Errorf("crawler: %w: %s", ErrBlockedAddress, ip.Unmap())
		}
		return nil
	}
	return d
}
