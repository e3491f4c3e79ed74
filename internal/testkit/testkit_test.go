package testkit

import (
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// kit is where the packages for tests live: only tests, and each other,
// import them.
const kit = "callboard/internal/testkit"

// forTests reports whether the package at path is one of the kit's.
func forTests(path string) bool { return path == kit || strings.HasPrefix(path, kit+"/") }

// TestOnlyTestsImportTheKit: no package of the program imports the kit
// (the waits, the builders, the official-server peer, testproc, the
// vendor's examples); only tests, and the kit's packages themselves, do.
func TestOnlyTestsImportTheKit(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...")
	cmd.Dir = ModuleRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if forTests(fields[0]) {
			continue
		}
		for _, p := range fields[1:] {
			if forTests(p) {
				t.Errorf("%s imports %s, which is for tests only", fields[0], p)
			}
		}
	}
}

// TestEventuallyWaitsForTheCondition: Eventually returns once the
// condition holds, however many polls that takes.
func TestEventuallyWaitsForTheCondition(t *testing.T) {
	polls := 0
	Eventually(t, "the tenth poll", func() bool { polls++; return polls == 10 })
	if polls != 10 {
		t.Errorf("%d polls, want 10", polls)
	}
	ch := make(chan int, 1)
	ch <- 7
	if got := Receive(t, "the value", ch); got != 7 {
		t.Errorf("received %d, want 7", got)
	}
	close(ch)
	if got := Receive(t, "the close", ch); got != 0 {
		t.Errorf("received %d from a closed channel, want 0", got)
	}
}

func dial(t *testing.T, url string) (net.Conn, error) {
	return net.Dial("tcp", strings.TrimPrefix(url, "http://"))
}

// TestListeners: each fake listener does what it says to a client.
func TestListeners(t *testing.T) {
	stopped := StoppedURL(t)
	if _, err := dial(t, stopped); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("the stopped server: %v, want refused", err)
	}
	// its port is nobody else's while the test runs
	if ln, err := net.Listen("tcp", strings.TrimPrefix(stopped, "http://")); err == nil {
		ln.Close()
		t.Errorf("a listener was given the stopped server's port %s", stopped)
	}
	c, err := dial(t, DroppingListener(t, true, true))
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	if _, err := io.ReadAll(c); !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("the dropping listener: %v, want a reset", err)
	}
	c.Close()
	c, err = dial(t, DroppingListener(t, false, false))
	if err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(c); err != nil || len(b) != 0 {
		t.Errorf("the closing listener: %q %v, want a plain end", b, err)
	}
	c.Close()
	accepted := make(chan net.Conn, 1)
	c, err = dial(t, Listen(t, func(c net.Conn) { accepted <- c }))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	server := Receive(t, "the accepted connection", accepted)
	c.Write([]byte("hello"))
	b := make([]byte, 5)
	if _, err := io.ReadFull(server, b); err != nil || string(b) != "hello" {
		t.Errorf("the server read %q %v", b, err)
	}
}

// TestBinaryIsTheCommand: Binary is callboard, built once whichever
// package's test asks.
func TestBinaryIsTheCommand(t *testing.T) {
	bin := Binary(t)
	if again := Binary(t); again != bin {
		t.Errorf("built twice: %s, then %s", bin, again)
	}
	out, err := exec.Command(bin, "--help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "callboard") {
		t.Errorf("callboard --help: %v\n%s", err, out)
	}
	RemoveBinary()
	if _, err := os.Stat(bin); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the binary is still there after RemoveBinary: %v", err)
	}
}
