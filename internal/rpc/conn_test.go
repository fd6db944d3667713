package rpc

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

// countingConn counts the writes that reach a connection.
type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

type countingListener struct {
	net.Listener
	writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.writes}, nil
}

// answerSizes straddle net/http's 2 KB response buffer and its 4 KB
// connection buffer, and their multiples.
var answerSizes = []int{0, 1, 2047, 2048, 2049, 3900, 4095, 4096, 4097, 5000, 8000,
	8191, 8192, 8193, 12288, 20083, 65536, 300001}

func answerOf(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}

// serveAnswers serves writeBody's answer of the size in the path over ln,
// with rpc.ConnContext, and a client with one keep-alive connection.
func serveAnswers(t *testing.T, ln net.Listener) (*http.Client, string) {
	t.Helper()
	hs := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			writeBody(r.Context(), w, contentJSON, answerOf(n))
		}),
		ConnContext: ConnContext,
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); hs.Serve(ln) }()
	t.Cleanup(func() { hs.Close(); wg.Wait() })
	tr := &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}, "http://" + ln.Addr().String() + "/?n="
}

// get asks for an answer of n bytes and reports whether the client's
// connection was reused.
func get(t *testing.T, client *http.Client, method, url string, n int) (body []byte, reused bool) {
	t.Helper()
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		GotConn: func(i httptrace.GotConnInfo) { reused = i.Reused },
	})
	req, err := http.NewRequestWithContext(ctx, method, url+strconv.Itoa(n), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %d: %v", method, n, err)
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %d: %v", method, n, err)
	}
	if resp.StatusCode != http.StatusOK || resp.ContentLength != int64(n) {
		t.Fatalf("%s %d: status %d, length %d", method, n, resp.StatusCode, resp.ContentLength)
	}
	return body, reused
}

// TestConnAnswers: over Conns, answers of every size around net/http's
// buffers arrive whole, in order, on one kept-alive connection, for GET,
// POST and HEAD (no body).
func TestConnAnswers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns := make(chan *Conn, 4)
	client, url := serveAnswers(t, &notingListener{Listener: Listener(ln), conns: conns})
	first := true
	for round := 0; round < 2; round++ {
		for _, n := range answerSizes {
			for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
				body, reused := get(t, client, method, url, n)
				want := answerOf(n)
				if method == http.MethodHead {
					want = nil
				}
				if !bytes.Equal(body, want) {
					t.Fatalf("%s %d: got %d bytes, not the answer", method, n, len(body))
				}
				if !first && !reused {
					t.Fatalf("%s %d: a new connection", method, n)
				}
				first = false
			}
		}
	}
	c := <-conns
	if len(conns) != 0 {
		t.Fatalf("%d more connections", len(conns))
	}
	if !c.vectored {
		t.Fatal("a TCP connection not written with writev")
	}
}

// notingListener hands the Conns it accepts to the test.
type notingListener struct {
	net.Listener
	conns chan *Conn
}

func (l *notingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.conns <- c.(*Conn)
	}
	return c, err
}

// TestConnOneWrite: an answer past net/http's 4 KB buffer reaches the
// connection in one write (joined, over a connection without writev); a
// smaller one in one write as before.
func TestConnOneWrite(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var writes atomic.Int64
	client, url := serveAnswers(t, Listener(countingListener{ln, &writes}))
	for _, n := range answerSizes {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			before := writes.Load()
			if body, _ := get(t, client, method, url, n); !bytes.Equal(body, answerOf(n)) {
				t.Fatalf("%s %d: got %d bytes, not the answer", method, n, len(body))
			}
			if got := writes.Load() - before; got != 1 {
				t.Errorf("%s %d: %d writes", method, n, got)
			}
		}
	}
}

// TestConnWithout: writeBody answers as before where the connection is not
// a Conn (httptest, another listener).
func TestConnWithout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	client, url := serveAnswers(t, ln)
	for _, n := range answerSizes {
		if body, _ := get(t, client, http.MethodGet, url, n); !bytes.Equal(body, answerOf(n)) {
			t.Fatalf("%d: got %d bytes, not the answer", n, len(body))
		}
	}
}
