package feed

import (
	"context"
	"net"
	"syscall"
	"time"
)

// pacedConn lets frames pile up in the socket during a flood, so that one
// read system call takes many of them instead of one: after a read that
// emptied the socket (it did not fill the buffer), the next read waits
// until pace has passed since that one. A quiet stream reads each frame as
// it comes, at most pace later than it would have; a flood is read in
// slices of about pace, a read and a wake-up per slice rather than per
// frame. A wallboard cannot show a millisecond or two.
//
// While it waits, the socket's low-water mark is raised (SO_RCVLOWAT), or
// every segment that arrives would wake Go's network poller for nothing
// (its epoll is edge-triggered, and no goroutine is waiting on the socket):
// a busy loop costing more than the reads it saves. The mark is back to one
// byte before every read, so a read never waits for more than what comes.
//
// Before it waits or reads, it calls beforeRead (when set): everything read
// so far has been decoded, and the updates it held can go to the board.
type pacedConn struct {
	net.Conn
	raw        syscall.RawConn
	pace       time.Duration
	beforeRead func()
	lastShort  time.Time // when the last read that emptied the socket returned; zero when the last one filled its buffer
}

// pacingLowWater is the low-water mark while a read waits: more than a
// slice of a flood holds, and no more than half the socket's initial
// receive buffer (Linux's default 128 KB), beyond which Linux grows the
// buffer and clamps the window to the mark.
const pacingLowWater = 64 << 10

func (c *pacedConn) Read(p []byte) (int, error) {
	if c.beforeRead != nil {
		c.beforeRead()
	}
	if !c.lastShort.IsZero() {
		if wait := c.pace - time.Since(c.lastShort); wait > 0 {
			time.Sleep(wait)
		}
		setLowWater(c.raw, 1)
	}
	n, err := c.Conn.Read(p)
	if n < len(p) && err == nil {
		c.lastShort = time.Now()
		setLowWater(c.raw, pacingLowWater)
	} else {
		c.lastShort = time.Time{}
	}
	return n, err
}

func setLowWater(raw syscall.RawConn, bytes int) {
	raw.Control(func(fd uintptr) { setRcvLowat(fd, bytes) })
}

// pacedDial dials TCP as net.Dialer does and paces the connection's reads
// where the system has a settable low-water mark; the connection calls the
// function withBeforeRead put in ctx, if any.
func pacedDial(pace time.Duration) func(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil || pace <= 0 || !canSetRcvLowat {
			return conn, err
		}
		tcp, ok := conn.(*net.TCPConn)
		if !ok {
			return conn, nil
		}
		raw, err := tcp.SyscallConn()
		if err != nil {
			return conn, nil
		}
		hook, _ := ctx.Value(beforeReadKey{}).(func())
		return &pacedConn{Conn: conn, raw: raw, pace: pace, beforeRead: hook}, nil
	}
}

type beforeReadKey struct{}

// withBeforeRead returns ctx carrying f, for the connections dialled under
// it to call before each read.
func withBeforeRead(ctx context.Context, f func()) context.Context {
	return context.WithValue(ctx, beforeReadKey{}, f)
}
