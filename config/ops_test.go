package config

import "testing"

func TestHealthURL(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "http://127.0.0.1:8080/readyz"},
		{map[string]string{"NEWSLINE_HTTP_ADDR": "0.0.0.0:8080"}, "http://127.0.0.1:8080/readyz"},
		{map[string]string{"NEWSLINE_HTTP_ADDR": "[::]:8081"}, "http://127.0.0.1:8081/readyz"},
		{map[string]string{"NEWSLINE_HTTP_ADDR": "0.0.0.0:8080", "NEWSLINE_METRICS_ADDR": "0.0.0.0:9091"}, "http://127.0.0.1:9091/readyz"},
		{map[string]string{"NEWSLINE_METRICS_ADDR": ":9100"}, "http://127.0.0.1:9100/readyz"},
		{map[string]string{"NEWSLINE_METRICS_ADDR": "10.0.0.5:9100"}, "http://10.0.0.5:9100/readyz"},
		{map[string]string{"NEWSLINE_METRICS_ADDR": "[::1]:9100"}, "http://[::1]:9100/readyz"},
	} {
		c, err := Load(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
		if err != nil {
			t.Fatal(err)
		}
		if got := c.HealthURL(); got != tc.want {
			t.Errorf("%v: HealthURL() = %q, want %q", tc.env, got, tc.want)
		}
	}
	if _, err := Load(func(k string) (string, bool) { return "9091", k == "NEWSLINE_METRICS_ADDR" }); err == nil {
		t.Errorf("NEWSLINE_METRICS_ADDR=9091: no error, want host:port")
	}
}
