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
// metadata at 169.254.169.254), unspecified or multicast.
var ErrBlockedAddress = errors.New("address not allowed")

// blockedPrefixes beyond what netip's predicates cover.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64 can reach IPv4 private space
}

// PublicAddr reports whether ip is safe for the crawler to connect to.
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
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
		ip := ap.Addr().Unmap()
		if ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() {
			return fmt.Errorf("crawler: %w: %s", ErrBlockedAddress, ip)
		}
		if !allowPrivate && !PublicAddr(ip) {
			return fmt.Errorf("crawler: %w: %s", ErrBlockedAddress, ip)
		}
		return nil
	}
	return d
}
