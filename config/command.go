package config

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// runGroup runs argv (no shell: argv[0] is the program) in a process group
// of its own, stdin on its standard input, and kills the whole group (the
// program and whatever it started) when ctx ends, and when the program
// exits: a stuck or runaway helper can neither hang callboard nor outlive
// it, and a child it left in the background dies with it rather than hold
// its output open. Its standard output is kept in stdout, its standard
// error in stderr (each a cappedBuffer: a stdout whose full cancels ctx
// stops the helper at once). err is the program's exit status (nil for 0),
// or why it could not start.
func runGroup(ctx context.Context, argv []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second // then stdin's pipe is closed even if a grandchild holds it
	cmd.Stdin = stdin
	// The outputs are read through pipes of our own, not exec's: Wait
	// returns when the program exits, not when the last holder of its
	// output (a child in the background) closes it.
	var copies sync.WaitGroup
	var readEnds []*os.File
	pipe := func(w io.Writer) (*os.File, error) {
		r, wEnd, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		readEnds = append(readEnds, r)
		copies.Add(1)
		go func() {
			defer copies.Done()
			_, _ = io.Copy(w, r) // a full cappedBuffer stops it: the helper is killed by its cancel
			_, _ = io.Copy(io.Discard, r)
		}()
		return wEnd, nil
	}
	var writeEnds []*os.File
	for _, out := range []struct {
		w   io.Writer
		set func(*os.File)
	}{{stdout, func(f *os.File) { cmd.Stdout = f }}, {stderr, func(f *os.File) { cmd.Stderr = f }}} {
		if out.w == nil {
			continue
		}
		wEnd, err := pipe(out.w)
		if err != nil {
			closeAll(readEnds)
			closeAll(writeEnds)
			return err
		}
		writeEnds = append(writeEnds, wEnd)
		out.set(wEnd)
	}
	err := cmd.Start()
	closeAll(writeEnds) // the child has its own copies
	if err != nil {
		closeAll(readEnds)
		copies.Wait()
		return err
	}
	err = cmd.Wait()
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // what it left behind
	drained := make(chan struct{})
	go func() { copies.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(cmd.WaitDelay): // a grandchild that left the group holds a pipe
		closeAll(readEnds)
		<-drained
	}
	closeAll(readEnds)
	return err
}

func closeAll(files []*os.File) {
	for _, f := range files {
		_ = f.Close()
	}
}

// helperMessages is what a helper wrote on its standard error, for the
// log: its first lines made printable (firstLines), and how much was cut;
// "" when it wrote nothing.
func helperMessages(stderr *cappedBuffer) string {
	msg := strings.TrimSpace(string(stderr.kept))
	if msg == "" {
		return ""
	}
	msg = firstLines(msg, 5)
	if stderr.cut > 0 {
		msg += fmt.Sprintf(" … %d bytes more cut", stderr.cut)
	}
	return msg
}

// CommandOutputMax bounds what RunCommand keeps of a command's standard
// error for the log; the rest is read, counted and dropped.
const CommandOutputMax = passwordOutputMax

// RunCommand runs argv, a program and its arguments (never a shell
// string), with stdin on its standard input, as password_command is run:
// in a process group of its own, the whole group killed when ctx ends
// (give it the command's deadline). What it writes on its standard output
// is dropped; of its standard error, messages is the first lines, made
// printable (escapes and bidi marks escaped as in a Go string), at most
// CommandOutputMax bytes of it read into them and the rest counted: for
// the log, never for a screen. err is its exit status, or why it could not
// start; when ctx ended first, ctx's cause (context.DeadlineExceeded for a
// deadline).
func RunCommand(ctx context.Context, argv []string, stdin []byte) (messages string, err error) {
	if len(argv) == 0 || argv[0] == "" {
		return "", fmt.Errorf("no command")
	}
	stderr := &cappedBuffer{max: CommandOutputMax}
	err = runGroup(ctx, argv, bytes.NewReader(stdin), io.Discard, stderr)
	if err != nil && ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	return helperMessages(stderr), err
}
