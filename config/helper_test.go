package config

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"callboard/internal/testkit"
)

// stuckHelper is a password_command that starts a child and waits on it
// for ever, and writes the child's pid to a file.
func stuckHelper(t *testing.T) (command, pidFile string) {
	pidFile = filepath.Join(t.TempDir(), "pid")
	return "sleep 555 & echo $! > " + pidFile + "; wait", pidFile
}

// started reports whether the stuck helper has started its child.
func started(pidFile string) bool {
	b, _ := os.ReadFile(pidFile)
	return len(bytes.TrimSpace(b)) > 0
}

// deadlineOnceStarted makes password_command's deadline pass once the stuck
// helper has started its child, however long the shell takes to start it
// on a loaded machine (a real 300 ms could pass before, and leave no child
// to look for).
func deadlineOnceStarted(t *testing.T, pidFile string) {
	t.Cleanup(func() { passwordDeadline = realDeadline })
	passwordDeadline = func(ctx context.Context, _ time.Duration) (context.Context, context.CancelFunc) {
		ctx, cancel := context.WithCancelCause(ctx)
		go func() {
			for ; ctx.Err() == nil; time.Sleep(5 * time.Millisecond) {
				if started(pidFile) {
					cancel(context.DeadlineExceeded)
				}
			}
		}()
		return ctx, func() { cancel(context.Canceled) }
	}
}

var realDeadline = passwordDeadline

func helperPID(t *testing.T, pidFile string) int {
	t.Helper()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func TestAStuckPasswordCommandIsKilledAtItsDeadline(t *testing.T) {
	command, pidFile := stuckHelper(t)
	deadlineOnceStarted(t, pidFile)
	a := Axialys{PasswordCommand: command, PasswordCommandTimeout: Duration{300 * time.Millisecond}}
	ended := make(chan error, 1)
	go func() {
		_, err := a.PasswordFunc()(context.Background())
		ended <- err
	}()
	err := testkit.Receive(t, "the password command's end at its deadline (does it wait for the helper's child?)", ended)
	if err == nil || err.Error() != "axialys.password_command did not finish within 300ms" {
		t.Errorf("err = %v", err)
	}
	if pid := helperPID(t, pidFile); !testkit.Gone(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the helper's child (pid %d) outlived the deadline", pid)
	}
}

func TestAStuckPasswordCommandEndsWithTheProgram(t *testing.T) {
	command, pidFile := stuckHelper(t)
	a := Axialys{PasswordCommand: command, PasswordCommandTimeout: Duration{time.Hour}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := a.PasswordFunc()(ctx)
		done <- err
	}()
	testkit.Eventually(t, "the helper's child", func() bool { return started(pidFile) })
	cancel()
	if err := testkit.Receive(t, "the password function's return when the program ended", done); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if pid := helperPID(t, pidFile); !testkit.Gone(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the helper's child (pid %d) outlived the program", pid)
	}
}

func TestThePasswordCommandsMessagesGoToTheLogNotTheError(t *testing.T) {
	var logged bytes.Buffer
	passwordLog.SetOutput(&logged)
	defer passwordLog.SetOutput(os.Stderr)
	a := Axialys{PasswordCommand: "printf 'vault: \\033[2Jden\\342\\200\\217ied\\n' >&2; exit 1"}
	_, err := a.PasswordFunc()(context.Background())
	if err == nil || strings.Contains(err.Error(), "denied") {
		t.Errorf("err = %v: want a failure without the helper's words", err)
	}
	if got := logged.String(); !strings.Contains(got, `vault: \x1b[2Jden\u200fied`) || strings.ContainsAny(got, "\x1b\u200f") {
		t.Errorf("the log got %q: want the escape and the mark escaped", got)
	}
}

// TestAHelpersMessagesArePrintable: what could drive the terminal or
// reorder or hide text (controls, the one-byte CSI, bidi overrides and
// isolates, zero-width and format characters, line separators, invalid
// UTF-8) is escaped as in a Go string; letters, marks and punctuation of
// any script stay as they are.
func TestAHelpersMessagesArePrintable(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"vault: denied — réessayez…":  "vault: denied — réessayez…",
		"\x1b]0;pwned\x07\x1b[2J":     `\x1b]0;pwned\a\x1b[2J`,
		"a\u009b31mb":                 `a\u009b31mb`,
		"user\u202egnp.exe":           `user\u202egnp.exe`,
		"zero\u200bwidth\u200c\u200d": `zero\u200bwidth\u200c\u200d`,
		"\ufeffbom\u2066iso\u2069":    `\ufeffbom\u2066iso\u2069`,
		"line\u2028sep\u2029\r\t":     `line\u2028sep\u2029\r\t`,
		"bad \xff\xfe utf-8":          `bad \xff\xfe utf-8`,
		`"quoted" \path`:              `\"quoted\" \\path`,
	} {
		got := printable(in)
		if got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x200b || r == 0x200c || r == 0x200d || r == 0x202e || r == 0x2066 || r == 0x2069 || r == 0xfeff || r == 0x2028 || r == 0x2029 {
				t.Errorf("printable(%q) = %q holds %U raw", in, got, r)
			}
		}
	}
}

func TestStartPasswordFetchesOnceAtStartThenAtEachLogin(t *testing.T) {
	counter := filepath.Join(t.TempDir(), "n")
	c := &Config{Path: "cfg.toml", Axialys: Axialys{PasswordCommand: "echo x >> " + counter + "; echo pw"}}
	get, err := c.StartPassword(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	runs := func() int { b, _ := os.ReadFile(counter); return strings.Count(string(b), "x") }
	if runs() != 1 {
		t.Fatalf("%d runs at start", runs())
	}
	if pw, err := get(context.Background()); pw != "pw" || err != nil || runs() != 1 {
		t.Errorf("the first login: %q %v, %d runs: want the password fetched at start", pw, err, runs())
	}
	if pw, err := get(context.Background()); pw != "pw" || err != nil || runs() != 2 {
		t.Errorf("the next login: %q %v, %d runs: want the command run again", pw, err, runs())
	}
	command, pidFile := stuckHelper(t)
	deadlineOnceStarted(t, pidFile)
	c.Axialys = Axialys{PasswordCommand: command, PasswordCommandTimeout: Duration{200 * time.Millisecond}}
	if _, err := c.StartPassword(context.Background()); err == nil || !strings.Contains(err.Error(), "cfg.toml: axialys.password_command did not finish within 200ms") {
		t.Errorf("a stuck helper at start: %v", err)
	}
	if pid := helperPID(t, pidFile); !testkit.Gone(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the helper's child (pid %d) outlived the start", pid)
	}
}

// allocated returns how many bytes the process allocated while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestAPasswordCommandPrintingWithoutEndIsStoppedAtItsBound: `yes` as
// password_command is killed as soon as its output passes 64 KiB, with
// that said in the error, not left to run (and fill memory) until its
// timeout.
func TestAPasswordCommandPrintingWithoutEndIsStoppedAtItsBound(t *testing.T) {
	a := Axialys{PasswordCommand: "yes", PasswordCommandTimeout: Duration{20 * time.Second}}
	var err error
	alloc := allocated(func() { _, err = a.PasswordFunc()(context.Background()) })
	if err == nil || !strings.HasPrefix(err.Error(), "axialys.password_command: its output passed 64 KiB") {
		t.Errorf("err = %v: want its output passed 64 KiB", err)
	}
	if alloc > 2<<20 {
		t.Errorf("%d bytes allocated to read it: want what the bound needs", alloc)
	}
}

// TestAPasswordCommandsStderrFloodIsCutInTheLog: a helper that floods its
// standard error still gives its password, in bounded memory; when it
// fails, the log has the first 64 KiB and says how much more was cut.
func TestAPasswordCommandsStderrFloodIsCutInTheLog(t *testing.T) {
	var logged bytes.Buffer
	passwordLog.SetOutput(&logged)
	defer passwordLog.SetOutput(os.Stderr)
	const flood = "yes | head -c 20000000 >&2; "
	a := Axialys{PasswordCommand: flood + "echo pw", PasswordCommandTimeout: Duration{time.Minute}}
	var pw string
	var err error
	alloc := allocated(func() { pw, err = a.PasswordFunc()(context.Background()) })
	if pw != "pw" || err != nil {
		t.Errorf("%q, %v: want the password", pw, err)
	}
	if alloc > 2<<20 {
		t.Errorf("%d bytes allocated for 20 MB of messages: want what the bound needs", alloc)
	}

	a.PasswordCommand = flood + "exit 3"
	alloc = allocated(func() { _, err = a.PasswordFunc()(context.Background()) })
	if err == nil || !strings.Contains(err.Error(), "its messages are in the log, cut after 64 KiB") {
		t.Errorf("err = %v", err)
	}
	if alloc > 2<<20 {
		t.Errorf("%d bytes allocated for 20 MB of messages: want what the bound needs", alloc)
	}
	if got := logged.String(); !strings.Contains(got, "password_command: y / y / y") || !strings.Contains(got, " … 19934464 bytes more cut") || len(got) > 64<<10 {
		t.Errorf("the log got %d bytes: %.200q", len(got), got)
	}
}
