package admin_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ecslocal/ecslocal/internal/server"
)

// TestConsole_SignIn: with an admin token a browser is sent to sign in,
// gets an HTTP-only same-site cookie for the right token only, and the
// cookie opens the console's pages but not the JSON admin API.
func TestConsole_SignIn(t *testing.T) {
	srv, err := server.New(context.Background(), server.Config{Store: "memory", AdminToken: "s3cret", FreezeClock: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler)
	t.Cleanup(func() { ts.Close(); srv.Close() })

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	fetch := func(method, path string, form url.Values) (*http.Response, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, ts.URL+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp, string(raw)
	}

	resp, _ := fetch("GET", "/_ecslocal/console/events", nil)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/_ecslocal/console/signin?next=%2F_ecslocal%2Fconsole%2Fevents" {
		t.Fatalf("console page without sign-in: %d Location %q, want 303 to the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := fetch("GET", "/_ecslocal/console/signin?next=%2F_ecslocal%2Fconsole%2Fevents", nil); resp.StatusCode != 200 || !strings.Contains(body, `name="token"`) {
		t.Fatalf("sign-in page: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := fetch("GET", "/_ecslocal/console/assets/style.css", nil); resp.StatusCode != 200 {
		t.Errorf("assets before sign-in: %d, want 200", resp.StatusCode)
	}
	// A form post without the cookie is refused, not redirected.
	if resp, _ := fetch("POST", "/_ecslocal/console/reset", url.Values{}); resp.StatusCode != 401 {
		t.Errorf("console reset without sign-in: %d, want 401", resp.StatusCode)
	}

	if resp, body := fetch("POST", "/_ecslocal/console/signin", url.Values{"token": {"wrong"}, "next": {"/_ecslocal/console/events"}}); resp.StatusCode != 401 || !strings.Contains(body, "not the admin token") || len(resp.Cookies()) != 0 {
		t.Fatalf("wrong token: %d cookies %v", resp.StatusCode, resp.Cookies())
	}
	resp, _ = fetch("POST", "/_ecslocal/console/signin", url.Values{"token": {"s3cret"}, "next": {"/_ecslocal/console/events"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/_ecslocal/console/events" || len(resp.Cookies()) != 1 {
		t.Fatalf("right token: %d Location %q cookies %v", resp.StatusCode, resp.Header.Get("Location"), resp.Cookies())
	}
	c := resp.Cookies()[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/_ecslocal/console/" || strings.Contains(c.Value, "s3cret") {
		t.Errorf("cookie %+v: want HTTP-only, SameSite=Strict, the console's path, not the token", c)
	}
	if resp, body := fetch("GET", "/_ecslocal/console/events", nil); resp.StatusCode != 200 || !strings.Contains(body, "sign out") {
		t.Errorf("console page after sign-in: %d", resp.StatusCode)
	}
	// The cookie is the console's only: the JSON API still wants the bearer token.
	req, _ := http.NewRequest("GET", ts.URL+"/_ecslocal/clock", nil)
	req.AddCookie(c)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("admin API with the console cookie: %d, want 401", resp.StatusCode)
	}
	// An open redirect is refused: next stays inside the console.
	resp, _ = fetch("POST", "/_ecslocal/console/signin", url.Values{"token": {"s3cret"}, "next": {"https://example.com/"}})
	if resp.Header.Get("Location") != "/_ecslocal/console/" {
		t.Errorf("sign-in with a foreign next: Location %q", resp.Header.Get("Location"))
	}

	if resp, _ := fetch("POST", "/_ecslocal/console/signout", url.Values{}); resp.StatusCode != 303 {
		t.Errorf("sign out: %d", resp.StatusCode)
	}
	if resp, _ := fetch("GET", "/_ecslocal/console/events", nil); resp.StatusCode != 303 {
		t.Errorf("console page after sign-out: %d, want 303", resp.StatusCode)
	}
}
