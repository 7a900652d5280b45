package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/newsline/newsline/config"
)

// deployDir is the repository's deploy folder, from this package's.
const deployDir = "../../deploy"

// needTool returns the path of a program a deploy check runs, skipping
// the test when it is missing unless NEWSLINE_REQUIRE_DEPLOY is set (make
// test sets it; scripts/test-services.sh installs the programs).
func needTool(t *testing.T, name string, dirs ...string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, d := range dirs {
		if p := filepath.Join(d, name); isExecutable(p) {
			return p
		}
	}
	if os.Getenv("NEWSLINE_REQUIRE_DEPLOY") != "" {
		t.Fatalf("%s is missing and NEWSLINE_REQUIRE_DEPLOY is set: run scripts/test-services.sh, which installs it", name)
	}
	t.Skipf("%s is not installed (scripts/test-services.sh installs it; NEWSLINE_REQUIRE_DEPLOY=1 makes this a failure)", name)
	return ""
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// checkCommand fails the test unless args (after "newsline") name a
// command of this binary that runs, with flags it knows.
func checkCommand(t *testing.T, where string, args []string) {
	t.Helper()
	a := &app{cfg: mustConfig(t)}
	root := a.rootCommand()
	c, rest, err := root.Find(args)
	if err != nil || c == root || !c.Runnable() {
		t.Errorf("%s: `newsline %s` is not a command of newsline --help (%v)", where, strings.Join(args, " "), err)
		return
	}
	if err := c.ParseFlags(rest); err != nil {
		t.Errorf("%s: `newsline %s`: %v", where, strings.Join(args, " "), err)
		return
	}
	if c.Args != nil {
		if err := c.Args(c, c.Flags().Args()); err != nil {
			t.Errorf("%s: `newsline %s`: %v", where, strings.Join(args, " "), err)
		}
	}
}

func mustConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// composeFile is the part of compose.yaml the check reads.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		EnvFile     []string          `yaml:"env_file"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
		Container   string            `yaml:"container_name"`
		Healthcheck struct {
			Test    []string `yaml:"test"`
			Disable bool     `yaml:"disable"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

// inlineSecret finds a URL's password or a secret-looking setting with a
// value: neither belongs in a file kept in git.
var inlineSecret = regexp.MustCompile(`(?i)://[^/\s:@]*:[^@\s/]+@|(PASSWORD|SECRET|TOKEN|API_KEY)\w*\s*[:=]\s*["']?[^\s"'$]`)

// TestComposeFile parses deploy/compose.yaml and checks that every
// Newsline service runs a command `newsline --help` lists, that health
// checks go through `newsline healthcheck`, and that no secret is inline.
func TestComposeFile(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(deployDir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var f composeFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	var help bytes.Buffer
	if code := Main(t.Context(), []string{"--help"}, &help, &help, env{}.lookup); code != 0 {
		t.Fatalf("newsline --help: exit %d", code)
	}
	for _, name := range []string{"postgres", "redis", "migrate", "scheduler", "worker", "server", "nginx"} {
		if _, ok := f.Services[name]; !ok {
			t.Errorf("compose.yaml: no %s service", name)
		}
	}
	for name, s := range f.Services {
		if m := inlineSecret.FindString(strings.Join(append(s.Command, mapLines(s.Environment)...), "\n")); m != "" {
			t.Errorf("service %s: a secret inline (%q): put it in newsline.env", name, m)
		}
		if s.Build == nil && !strings.HasPrefix(s.Image, "newsline") {
			continue // postgres, redis, nginx
		}
		if len(s.Command) == 0 || !regexp.MustCompile(`(?m)^  `+regexp.QuoteMeta(s.Command[0])+`\s`).MatchString(help.String()) {
			t.Errorf("service %s: command %q is not listed by newsline --help", name, s.Command)
		}
		checkCommand(t, "service "+name, s.Command)
		t.Logf("service %s: newsline %s, health check %q", name, strings.Join(s.Command, " "), s.Healthcheck.Test)
		if !contains(s.EnvFile, "newsline.env") {
			t.Errorf("service %s: env_file %q, want newsline.env, where the secrets are", name, s.EnvFile)
		}
		switch {
		case name == "migrate":
			if !s.Healthcheck.Disable {
				t.Errorf("service migrate: a one-shot needs no health check")
			}
		case len(s.Healthcheck.Test) < 3 || s.Healthcheck.Test[0] != "CMD" || s.Healthcheck.Test[1] != "newsline" || s.Healthcheck.Test[2] != "healthcheck":
			t.Errorf("service %s: health check %q, want [CMD newsline healthcheck]", name, s.Healthcheck.Test)
		default:
			checkCommand(t, "service "+name+" health check", s.Healthcheck.Test[2:])
		}
	}
	if w := f.Services["worker"]; w.Container != "" || len(w.Ports) > 0 {
		t.Errorf("service worker: container_name or ports keep `--scale worker=N` from working")
	}
	if m := inlineSecret.Find(raw); m != nil {
		t.Errorf("compose.yaml holds a secret: %q", m)
	}
	if !contains(f.Services["postgres"].Volumes, "pgdata:/var/lib/postgresql/data") {
		t.Errorf("postgres keeps its data in a volume: %q", f.Services["postgres"].Volumes)
	}
	example, err := os.ReadFile(filepath.Join(deployDir, "newsline.env.example"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"POSTGRES_PASSWORD=", "NEWSLINE_DATABASE_URL=", "NEWSLINE_REDIS_URL="} {
		if !bytes.Contains(example, []byte("\n"+k)) {
			t.Errorf("newsline.env.example sets no %s", k)
		}
	}
}

func mapLines(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestSystemdUnits runs `systemd-analyze verify` on every unit (a copy
// whose ExecStart names an executable here), fails on any warning, and
// checks the command of every newsline Exec line.
func TestSystemdUnits(t *testing.T) {
	units, err := filepath.Glob(filepath.Join(deployDir, "systemd", "*.service"))
	if err != nil || len(units) < 4 {
		t.Fatalf("deploy/systemd: %d units (%v), want server, worker, scheduler and migrate", len(units), err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var names []string
	execLine := regexp.MustCompile(`(?m)^Exec\w+=[-+!@]*/usr/local/bin/newsline (.*)$`)
	for _, u := range units {
		b, err := os.ReadFile(u)
		if err != nil {
			t.Fatal(err)
		}
		for _, hard := range []string{"User=newsline", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "EnvironmentFile=/etc/newsline/newsline.env"} {
			if !bytes.Contains(b, []byte("\n"+hard+"\n")) {
				t.Errorf("%s: no %s", filepath.Base(u), hard)
			}
		}
		for _, m := range execLine.FindAllSubmatch(b, -1) {
			checkCommand(t, filepath.Base(u), strings.Fields(string(m[1])))
		}
		b = bytes.ReplaceAll(b, []byte("/usr/local/bin/newsline"), []byte(exe))
		name := filepath.Base(u)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		// A template is verified through an instance of it.
		names = append(names, strings.Replace(name, "@.", "@9101.", 1))
	}
	analyze := needTool(t, "systemd-analyze")
	cmd := exec.Command(analyze, append([]string{"verify"}, names...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	t.Logf("systemd-analyze verify %s: %v\n%s", strings.Join(names, " "), err, out)
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v, or warnings (output above)", err)
	}
}
