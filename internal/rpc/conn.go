package rpc

import (
	"context"
	"io"
	"net"
	"net/http"
)

// Conn is a server connection that can send an answer's head and body in
// one system call. net/http writes an answer larger than its connection
// buffer (4 KB) as two: the buffer, header included, then the rest
// straight from the handler's slice. Around the write of a large answer the
// handler holds the connection (holdFor, finish): the first write is kept and
// goes out with the next one in a single writev (net.Buffers), or alone when
// the handler lets go. Writes outside a hold go straight through.
//
// Only the goroutine serving the connection writes to it (HTTP/1), and a
// hold begins and ends within one answer, so Conn needs no lock.
type Conn struct {
	net.Conn
	holding bool
	held    []byte
	// bufs and vec are a joined write's net.Buffers, kept here so that
	// it allocates nothing.
	bufs net.Buffers
	vec  [2][]byte
	// vectored: the connection takes net.Buffers in one call (a TCP
	// connection); otherwise the held bytes and the next write are joined
	// into one buffer and written once.
	vectored bool
}

// NewConn wraps a connection a listener accepted.
func NewConn(c net.Conn) *Conn {
	_, tcp := c.(*net.TCPConn)
	return &Conn{Conn: c, vectored: tcp}
}

// Listener wraps every connection l accepts in a Conn.
func Listener(l net.Listener) net.Listener { return &listener{l} }

type listener struct{ net.Listener }

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return NewConn(c), nil
}

type connKey struct{}

// ConnContext is http.Server's ConnContext for a server whose listener hands
// out Conns: it makes each request's connection known to the handler.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if cc, ok := c.(*Conn); ok {
		return context.WithValue(ctx, connKey{}, cc)
	}
	return ctx
}

// connOf is the Conn a request came on, or nil.
func connOf(ctx context.Context) *Conn {
	c, _ := ctx.Value(connKey{}).(*Conn)
	return c
}

// maxHeld bounds what a Conn keeps between answers: net/http's own buffer
// (4 KB) is what it holds; anything larger is let go after use.
const maxHeld = 8 << 10

// hold keeps the next write for the one after it.
func (c *Conn) hold() { c.holding = true }

// release sends what a hold kept, if anything, and ends the hold.
func (c *Conn) release() error {
	c.holding = false
	if len(c.held) == 0 {
		return nil
	}
	_, err := c.Conn.Write(c.held)
	c.forget()
	return err
}

func (c *Conn) forget() {
	if cap(c.held) > maxHeld {
		c.held = nil
	} else {
		c.held = c.held[:0]
	}
}

// Write implements net.Conn. The first write under a hold is kept (and
// reported written: an error sending it is reported by the write that
// sends it); the second goes out with it.
func (c *Conn) Write(p []byte) (int, error) {
	if !c.holding {
		return c.Conn.Write(p)
	}
	if len(c.held) == 0 {
		c.held = append(c.held, p...)
		return len(p), nil
	}
	c.holding = false
	k := len(c.held)
	var n int64
	var err error
	if c.vectored {
		c.vec = [2][]byte{c.held, p}
		c.bufs = c.vec[:]
		n, err = c.bufs.WriteTo(c.Conn)
		c.vec, c.bufs = [2][]byte{}, nil // p is the caller's
	} else {
		c.held = append(c.held, p...)
		var m int
		m, err = c.Conn.Write(c.held)
		n = int64(m)
	}
	c.forget()
	return int(max(n-int64(k), 0)), err
}

// ReadFrom keeps net/http's sendfile path (response.ReadFrom) for the
// connections that have one.
func (c *Conn) ReadFrom(r io.Reader) (int64, error) {
	if err := c.release(); err != nil {
		return 0, err
	}
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

// CloseWrite keeps net/http's half close before it closes a connection.
func (c *Conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// holdFor holds the connection of ctx for an answer of n bytes that is
// written whole with a single Write: past net/http's 4 KB buffer, header
// included, it would go out in two system calls. It returns the Conn held,
// or nil; the caller calls its finish once the answer is written.
func holdFor(ctx context.Context, n int) *Conn {
	if n <= 2<<10 {
		// net/http keeps it in its 2 KB buffer until the handler returns.
		return nil
	}
	c := connOf(ctx)
	if c != nil {
		c.hold()
	}
	return c
}

// finish ends a hold begun by holdFor (c nil: none was) once w's answer is
// written, sending what is held.
func (c *Conn) finish(w http.ResponseWriter) {
	if c == nil {
		return
	}
	if c.holding && len(c.held) > 0 {
		// The answer's tail waits in net/http's buffer (an answer of 4 to
		// 8 KB): sent now, with its head, rather than after the handler.
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		} else {
			http.NewResponseController(w).Flush()
		}
	}
	if err := c.release(); err != nil {
		// Its answer is lost: the connection ends, as net/http ends one
		// whose write failed.
		c.Conn.Close()
	}
}
