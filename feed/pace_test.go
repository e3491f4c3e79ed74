package feed

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"time"
)

// pacedPair dials a paced connection to a listener and returns both ends.
func pacedPair(t *testing.T, pace time.Duration, beforeRead func()) (client net.Conn, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- c
	}()
	ctx := withBeforeRead(context.Background(), beforeRead)
	client, err = pacedDial(pace)(ctx, "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, ok := <-accepted
	if !ok {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	if _, paced := client.(*pacedConn); !paced && canSetRcvLowat {
		t.Fatalf("the connection is a %T, not paced", client)
	}
	return client, server
}

// TestAPacedReadTakesWhatPiledUp: frames written while the reader waits
// after a short read come in one read, not one each.
func TestAPacedReadTakesWhatPiledUp(t *testing.T) {
	t.Parallel()
	if !canSetRcvLowat {
		t.Skip("no pacing on this system")
	}
	reads := 0
	client, server := pacedPair(t, 50*time.Millisecond, func() { reads++ })
	frame := bytes.Repeat([]byte("x"), 300)
	buf := make([]byte, 64<<10)
	server.Write(frame)
	if n, err := io.ReadAtLeast(client, buf, len(frame)); err != nil || n != len(frame) {
		t.Fatalf("first read: %d bytes, %v", n, err)
	}
	// written before the next read, which waits the pace after the short
	// one: they pile up meanwhile
	const frames = 100
	for range frames {
		server.Write(frame) // one segment each: Go sets TCP_NODELAY
	}
	reads = 0
	got := 0
	for got < frames*len(frame) {
		client.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := client.Read(buf)
		if err != nil {
			t.Fatalf("after %d bytes: %v", got, err)
		}
		got += n
	}
	if reads > frames/10 {
		t.Errorf("%d reads for %d frames written while the reader waited, want a few", reads, frames)
	}
}

// TestAQuietStreamIsNotHeldBack: a lone small frame after a flood is read
// (the low-water mark raised while pacing is back to one byte), and a
// deadline still ends a read.
func TestAQuietStreamIsNotHeldBack(t *testing.T) {
	t.Parallel()
	client, server := pacedPair(t, time.Millisecond, nil)
	go server.Write(bytes.Repeat([]byte("f"), 200<<10))
	buf := make([]byte, 64<<10)
	for got := 0; got < 200<<10; {
		client.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := client.Read(buf)
		if err != nil {
			t.Fatalf("the flood, after %d bytes: %v", got, err)
		}
		got += n
	}
	// a low-water mark left raised would hold it back, whether it comes
	// before the read or during it: the poller is told of the socket only
	// once that many bytes are there
	server.Write([]byte("ping"))
	client.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := client.Read(buf); err != nil || string(buf[:n]) != "ping" {
		t.Fatalf("the lone frame: %q, %v", buf[:n], err)
	}
	client.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	if _, err := client.Read(buf); !isTimeout(err) {
		t.Errorf("nothing to read past the deadline: %v, want a timeout", err)
	}
}
