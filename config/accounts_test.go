package config

import (
	"strings"
	"testing"
)

func TestSignupAndTrustedProxies(t *testing.T) {
	for _, tt := range []struct {
		env       map[string]string
		devOpen   bool // SignupOpen(true)
		otherOpen bool // SignupOpen(false)
		proxies   string
		err       string
	}{
		{env: map[string]string{}, devOpen: true, otherOpen: false},
		{env: map[string]string{"NEWSLINE_SIGNUP": "open"}, devOpen: true, otherOpen: true},
		{env: map[string]string{"NEWSLINE_SIGNUP": "closed"}, devOpen: false, otherOpen: false},
		{env: map[string]string{"NEWSLINE_SIGNUP": "maybe"}, err: "want open or closed"},
		{env: map[string]string{"NEWSLINE_TRUSTED_PROXIES": " 127.0.0.1, 10.1.2.3/8,::1 "}, devOpen: true, proxies: "127.0.0.1/32,10.0.0.0/8,::1/128"},
		{env: map[string]string{"NEWSLINE_TRUSTED_PROXIES": "proxy.local"}, err: "want addresses or CIDR prefixes"},
	} {
		c, err := Load(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%v: error %v, want %q", tt.env, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", tt.env, err)
		}
		if c.SignupOpen(true) != tt.devOpen || c.SignupOpen(false) != tt.otherOpen {
			t.Errorf("%v: open under dev %v, otherwise %v", tt.env, c.SignupOpen(true), c.SignupOpen(false))
		}
		var got []string
		for _, p := range c.TrustedProxies {
			got = append(got, p.String())
		}
		if strings.Join(got, ",") != tt.proxies {
			t.Errorf("%v: proxies %v, want %s", tt.env, got, tt.proxies)
		}
	}
}
