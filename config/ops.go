package config

import (
	"fmt"
	"net"
)

// opsOptions are the settings an operator's probes use.
func opsOptions() []option {
	return []option{
		{name: "metrics-addr", def: "", usage: "address of the health and metrics listener (/healthz, /readyz, /metrics) every role starts, e.g. 0.0.0.0:9091; off when empty",
			set: func(c *Config, v string) error {
				if v != "" {
					if _, _, err := net.SplitHostPort(v); err != nil {
						return fmt.Errorf("want host:port: %w", err)
					}
				}
				c.MetricsAddr = v
				return nil
			},
			get: func(c *Config) string { return c.MetricsAddr }},
	}
}

// HealthURL is the /readyz URL of this process's configuration: the
// health listener's when one is configured (every role has it then), else
// the HTTP server's. An unspecified host is read as loopback, the address
// a probe on the same machine or in the same container reaches.
func (c *Config) HealthURL() string {
	addr := c.MetricsAddr
	if addr == "" {
		addr = c.HTTPAddr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr + "/readyz"
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		// A wildcard listener (0.0.0.0, ::, or none) takes IPv4
		// loopback too, on Linux's default dual-stack sockets.
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz"
}
