package config

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// runGroup runs argv (no shell: argv[0] is the program) in a process group
// of its own, stdin on its standard input, and kills the whole group (the
// program and whatever it started) when ctx ends: a stuck or runaway
// helper can neither hang callboard nor outlive it. Its standard output is
// kept in stdout, its standard error in stderr (each a cappedBuffer: a
// stdout whose full cancels ctx stops the helper at once).
func runGroup(ctx context.Context, argv []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second // then the pipes are closed even if a grandchild holds them
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	return cmd.Run()
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
