package admin

// Signing in to the console. With an admin token a browser cannot send
// "Authorization: Bearer", so the console asks for the token once and keeps
// a credential derived from it in a same-site, HTTP-only cookie; the token
// itself never goes into the cookie, and the cookie admits console pages
// only, never the JSON admin API.

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
)

// consoleCookie holds the console's sign-in credential.
const consoleCookie = "ecslocal_console"

// signinPath is the console's sign-in page, open without a credential.
const signinPath = consolePrefix + "signin"

// consoleCredential is what the cookie holds for a token: a MAC of a fixed
// label keyed by the token, so that the cookie does not reveal the token.
func consoleCredential(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("ecslocal console sign-in"))
	return hex.EncodeToString(m.Sum(nil))
}

// consoleGate answers a console request that carries no valid bearer token
// when the admin API wants one, and reports whether it did: the sign-in
// page and the assets are open, a valid cookie admits, and a page request
// without one is sent to sign in. Anything else is left to the caller's 401.
func (a *API) consoleGate(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, consolePrefix) {
		return false
	}
	if r.URL.Path == signinPath || strings.HasPrefix(r.URL.Path, consolePrefix+"assets/") {
		a.mux.ServeHTTP(w, r)
		return true
	}
	if c, err := r.Cookie(consoleCookie); err == nil &&
		subtle.ConstantTimeCompare([]byte(c.Value), []byte(consoleCredential(a.opts.Token))) == 1 {
		a.mux.ServeHTTP(w, r)
		return true
	}
	if r.Method == http.MethodGet {
		http.Redirect(w, r, signinPath+"?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return true
	}
	return false
}

// signinPage is the sign-in form.
type signinPage struct {
	page
	Next, Message string
}

func (c *console) signinForm(w http.ResponseWriter, r *http.Request) {
	c.render(w, "signin", http.StatusOK, signinPage{page: page{Title: "sign in", SignIn: true}, Next: next(r.FormValue("next"))})
}

func (c *console) signin(w http.ResponseWriter, r *http.Request) {
	token := c.a.opts.Token
	if token == "" { // no token, nothing to sign in to
		http.Redirect(w, r, consolePrefix, http.StatusSeeOther)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.FormValue("token")), []byte(token)) != 1 {
		c.render(w, "signin", http.StatusUnauthorized, signinPage{page: page{Title: "sign in", SignIn: true},
			Next: next(r.FormValue("next")), Message: "That is not the admin token this server was started with."})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: consoleCredential(token), Path: consolePrefix,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, next(r.FormValue("next")), http.StatusSeeOther)
}

func (c *console) signout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: "", Path: consolePrefix, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, signinPath, http.StatusSeeOther)
}

// next is where a sign-in returns to: a console page, nothing else.
func next(n string) string {
	if !strings.HasPrefix(n, consolePrefix) || strings.Contains(n, "//") || n == signinPath {
		return consolePrefix
	}
	return n
}
