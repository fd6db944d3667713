package server

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/ecslocal/ecslocal/internal/rpc"
)

// Listen opens the server's one listener. With a certificate it answers TLS
// and plain HTTP on the same port, told apart by the first byte a client
// sends: some clients (parts of the Terraform provider) always use HTTPS to
// an endpoint that the rest of the same client reaches over HTTP. Its
// connections are rpc.Conns: serve them with rpc.ConnContext as the
// http.Server's ConnContext and a large answer goes out in one write.
func Listen(addr, certFile, keyFile string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	if certFile == "" {
		return rpc.Listener(ln), nil
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("tls: %w", err)
	}
	return rpc.Listener(&sniffListener{Listener: ln, tls: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}}), nil
}

// sniffListener hands out connections as they are, or wrapped in TLS when
// the client opens with a TLS handshake record (0x16).
type sniffListener struct {
	net.Listener
	tls *tls.Config
}

func (l *sniffListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &sniffConn{Conn: c, cfg: l.tls}, nil
}

// sniffConn decides on its first Read, in the serving goroutine, so a slow
// client never holds up Accept. The embedded Conn stays the raw one:
// deadlines and Close act on it for both kinds.
type sniffConn struct {
	net.Conn
	cfg  *tls.Config
	once sync.Once
	r    io.Reader
	w    io.Writer
	err  error
}

func (c *sniffConn) decide() {
	br := bufio.NewReader(c.Conn)
	c.Conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	first, err := br.Peek(1)
	c.Conn.SetReadDeadline(time.Time{})
	if err != nil {
		c.err = err
		return
	}
	if first[0] == 0x16 {
		tc := tls.Server(&peekedConn{Conn: c.Conn, r: br}, c.cfg)
		c.r, c.w = tc, tc
		return
	}
	c.r, c.w = br, c.Conn
}

func (c *sniffConn) Read(p []byte) (int, error) {
	c.once.Do(c.decide)
	if c.err != nil {
		return 0, c.err
	}
	return c.r.Read(p)
}

func (c *sniffConn) Write(p []byte) (int, error) {
	c.once.Do(c.decide)
	if c.err != nil {
		return 0, c.err
	}
	return c.w.Write(p)
}

// peekedConn reads through the buffer that holds the sniffed byte.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }
