package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// nginxTestConfig writes deploy/nginx.conf into dir with its upstream,
// certificates and folders moved there, and a main configuration that
// includes it, and returns the main file's path. Each replaced text must
// be in the file, so a change of the config cannot silently escape the
// test.
func nginxTestConfig(t *testing.T, dir, upstream string, ports map[string]string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(deployDir, "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	conf := string(raw)
	writeSelfSigned(t, filepath.Join(dir, "certs"))
	for _, d := range []string{"cache", "audio", "acme", "logs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	replace := [][2]string{
		{"server server:8080;", "server " + upstream + ";"},
		{"/etc/nginx/certs/", dir + "/certs/"},
		{"/var/cache/nginx/newsline", dir + "/cache"},
		{"/var/lib/newsline/audio/", dir + "/audio/"},
		{"/var/www/acme", dir + "/acme"},
	}
	for from, to := range ports {
		replace = append(replace, [2]string{from, to})
	}
	for _, r := range replace {
		if !strings.Contains(conf, r[0]) {
			t.Fatalf("deploy/nginx.conf has no %q any more: update this test", r[0])
		}
		conf = strings.ReplaceAll(conf, r[0], r[1])
	}
	if err := os.WriteFile(filepath.Join(dir, "newsline.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	mime := ""
	if _, err := os.Stat("/etc/nginx/mime.types"); err == nil {
		mime = "include /etc/nginx/mime.types;"
	}
	main := `daemon off;
pid ` + dir + `/nginx.pid;
error_log ` + dir + `/logs/error.log;
events { worker_connections 64; }
http {
    ` + mime + `
    access_log ` + dir + `/logs/access.log;
    client_body_temp_path ` + dir + `/logs/body;
    proxy_temp_path ` + dir + `/logs/proxy;
    fastcgi_temp_path ` + dir + `/logs/fastcgi;
    uwsgi_temp_path ` + dir + `/logs/uwsgi;
    scgi_temp_path ` + dir + `/logs/scgi;
    include ` + dir + `/newsline.conf;
}
`
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeSelfSigned writes fullchain.pem and privkey.pem for localhost.
func writeSelfSigned(t *testing.T, dir string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost", "news.example.org"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, block := range map[string]*pem.Block{
		"fullchain.pem": {Type: "CERTIFICATE", Bytes: der},
		"privkey.pem":   {Type: "PRIVATE KEY", Bytes: keyDER},
	} {
		if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNginxConfig runs `nginx -t` on deploy/nginx.conf, its upstream and
// paths moved to a temporary folder, and fails on any warning.
func TestNginxConfig(t *testing.T) {
	nginx := needTool(t, "nginx", "/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin")
	dir := t.TempDir()
	conf := nginxTestConfig(t, dir, "127.0.0.1:8080", nil)
	out, err := exec.Command(nginx, "-t", "-p", dir, "-c", conf, "-e", dir+"/logs/error.log").CombinedOutput()
	t.Logf("nginx -t:\n%s", out)
	if err != nil || strings.Contains(string(out), "[warn]") || !strings.Contains(string(out), "test is successful") {
		t.Errorf("nginx -t: %v (output above)", err)
	}
}
