package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsline/newsline/api"
)

// errNotReady makes healthcheck exit 1 once it has said why.
var errNotReady = errors.New("not ready")

func (a *app) healthcheckCommand() *cobra.Command {
	var target string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Exit 0 when this process's /readyz answers ready, 1 otherwise (for Docker and systemd)",
		Long: `Ask a running Newsline process whether it is ready: GET /readyz, which
answers ready when PostgreSQL and Redis both answer. Exits 0 when ready, 1
otherwise, printing one line without any secret.

The URL is --url, else the health listener's (NEWSLINE_METRICS_ADDR, which
every role starts when set), else the HTTP server's (NEWSLINE_HTTP_ADDR); a
wildcard host (0.0.0.0) is asked on 127.0.0.1. It needs no shell, so a
distroless image's HEALTHCHECK can run it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if target == "" {
				target = a.cfg.HealthURL()
			}
			u, err := url.Parse(target)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return usageError{fmt.Errorf("--url: want an http(s) URL such as http://127.0.0.1:9091/readyz"), ""}
			}
			u.User = nil // never sent nor printed
			return a.healthcheck(cmd, u.String(), timeout)
		},
	}
	cmd.Flags().StringVar(&target, "url", "", "readiness URL to ask (default from NEWSLINE_METRICS_ADDR or NEWSLINE_HTTP_ADDR)")
	cmd.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "time limit of the request")
	return cmd
}

func (a *app) healthcheck(cmd *cobra.Command, target string, timeout time.Duration) error {
	client := &http.Client{Timeout: timeout}
	req, err := http.NewRequestWithContext(cmd.Context(), http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Fprintf(a.stdout, "not ready: %s does not answer\n", target)
		return errNotReady
	}
	defer resp.Body.Close()
	var ready api.ReadyJSON
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&ready)
	if resp.StatusCode == http.StatusOK && ready.Ready {
		fmt.Fprintf(a.stdout, "ready: %s\n", target)
		return nil
	}
	fmt.Fprintf(a.stdout, "not ready: %s answered %s%s\n", target, resp.Status, checksText(ready.Checks))
	return errNotReady
}

// checksText lists the dependency checks that failed, sorted.
func checksText(checks map[string]string) string {
	var bad []string
	for k, v := range checks {
		if v != "ok" {
			bad = append(bad, k+" "+v)
		}
	}
	if len(bad) == 0 {
		return ""
	}
	sort.Strings(bad)
	return " (" + strings.Join(bad, ", ") + ")"
}
