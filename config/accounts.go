package config

import (
	"fmt"
	"net/netip"
	"strings"
)

// accountOptions are the settings of readers' accounts.
func accountOptions() []option {
	return []option{
		{name: "signup", def: "", usage: "who may create an account: open (anyone, POST /api/v1/users) or closed (the operator, 'newsline users add'); empty is open under 'newsline dev', closed otherwise",
			set: func(c *Config, v string) error {
				if v != "" && v != "open" && v != "closed" {
					return fmt.Errorf("want open or closed, got %q", v)
				}
				c.Signup = v
				return nil
			},
			get: func(c *Config) string { return c.Signup }},
		{name: "trusted-proxies", def: "", usage: "comma-separated addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, e.g. 127.0.0.1,10.0.0.0/8",
			set: func(c *Config, v string) error { return setPrefixes(&c.TrustedProxies, v) },
			get: func(c *Config) string {
				var out []string
				for _, p := range c.TrustedProxies {
					out = append(out, p.String())
				}
				return strings.Join(out, ",")
			}},
	}
}

// SignupOpen reports whether anyone may create an account; dev says the
// process is `newsline dev`, where sign-up is open unless configured.
func (c *Config) SignupOpen(dev bool) bool {
	if c.Signup == "" {
		return dev
	}
	return c.Signup == "open"
}

// setPrefixes reads a comma-separated list of addresses (a /32 or /128)
// and CIDR prefixes.
func setPrefixes(dst *[]netip.Prefix, v string) error {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if ip, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return fmt.Errorf("want addresses or CIDR prefixes such as 127.0.0.1,10.0.0.0/8, got %q", f)
		}
		out = append(out, p.Masked())
	}
	*dst = out
	return nil
}
