package main

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	classicecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// serve --tls makes its certificate once, names it in the start line, and a
// client trusting that certificate reaches the API over HTTPS while plain
// HTTP keeps working on the same port.
func TestServe_SelfSignedTLS(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, "--addr", "127.0.0.1:0", "--store", "sqlite:"+filepath.Join(dir, "state.db"), "--tls")
	line := s.stdout.String()
	certFile := filepath.Join(dir, "ecslocal-tls.crt")
	if !strings.HasPrefix(line, "ecslocal listening on http://"+s.addr+" ") || !strings.Contains(line, " tls=on tls-cert="+certFile+" ") {
		t.Fatalf("start line %q does not name %s", line, certFile)
	}
	pem, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(dir, "ecslocal-tls.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", certFile)
	}
	for _, host := range []string{s.addr, strings.Replace(s.addr, "127.0.0.1", "localhost", 1)} {
		c, err := classicecs.NewClientWithOptions("cn-hangzhou", sdk.NewConfig(), credentials.NewAccessKeyCredential("test", "test"))
		if err != nil {
			t.Fatal(err)
		}
		c.SetTransport(&http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}})
		c.Domain = host
		r := classicecs.CreateDescribeRegionsRequest()
		r.Scheme = "https"
		resp, err := c.DescribeRegions(r)
		if err != nil || len(resp.Regions.Region) == 0 {
			t.Fatalf("DescribeRegions over HTTPS to %s: %v", host, err)
		}
	}
	// Plain HTTP on the same port still answers.
	if resp, err := http.Get("http://" + s.addr + "/_ecslocal/health"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("plain HTTP beside HTTPS: %v %v", resp, err)
	}
	s.stop(t)

	// A second start reuses the certificate clients already trust.
	s2 := startServe(t, "--addr", "127.0.0.1:0", "--store", "sqlite:"+filepath.Join(dir, "state.db"), "--tls")
	again, err := os.ReadFile(certFile)
	if err != nil || string(again) != string(pem) {
		t.Fatalf("certificate made again: %v", err)
	}
	if m := regexp.MustCompile(`tls-cert=(\S+)`).FindStringSubmatch(s2.stdout.String()); m == nil || m[1] != certFile {
		t.Fatalf("second start line %q", s2.stdout.String())
	}
}

func TestLoadConfig_SelfSignedTLS(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	dir := t.TempDir()
	cfg, _, err := LoadConfig([]string{"--tls", "--store", "sqlite:" + filepath.Join(dir, "state.db")}, env(nil))
	if err != nil || cfg.TLSDir != dir {
		t.Fatalf("sqlite: %+v %v", cfg.TLSDir, err)
	}
	cfg, _, err = LoadConfig(nil, env(map[string]string{EnvTLS: "1", EnvTLSDir: "/tmp/certs"}))
	if err != nil || cfg.TLSDir != "/tmp/certs" {
		t.Fatalf("env: %+v %v", cfg.TLSDir, err)
	}
	if cfg, _, err = LoadConfig([]string{"--tls"}, env(map[string]string{"HOME": "/home/u"})); err == nil && cfg.TLSDir == "" {
		t.Fatalf("memory store: no directory chosen")
	}
	if _, _, err := LoadConfig([]string{"--tls", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, env(nil)); ExitCode(err) != 2 {
		t.Fatalf("--tls with --tls-cert must be a usage error: %v", err)
	}
}
