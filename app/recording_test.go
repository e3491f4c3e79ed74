package app

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRecordingFilesAreOursAndPrivate: --record creates its file 0600; an
// earlier recording of 0644 is emptied and made 0600; a symbolic link (to
// a file, or dangling), a hard link, a FIFO and a directory are refused
// with what they are, and what they point to is untouched.
func TestRecordingFilesAreOursAndPrivate(t *testing.T) {
	dir := t.TempDir()
	mode := func(path string) os.FileMode {
		st, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		return st.Mode().Perm()
	}

	fresh := filepath.Join(dir, "new.jsonl")
	f, err := openRecording(fresh)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if m := mode(fresh); m != 0o600 {
		t.Errorf("a new recording is %v, want 0600", m)
	}

	old := filepath.Join(dir, "old.jsonl")
	if err := os.WriteFile(old, []byte("an earlier recording\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(old, 0o644) // whatever the umask
	if f, err = openRecording(old); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if st, _ := os.Stat(old); st.Mode().Perm() != 0o600 || st.Size() != 0 {
		t.Errorf("an earlier recording is %v, %d bytes: want 0600 and emptied", st.Mode().Perm(), st.Size())
	}

	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(target, 0o644)
	link := filepath.Join(dir, "link.jsonl")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling.jsonl")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), dangling); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.jsonl")
	if err := os.Link(target, hard); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.jsonl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, says := range map[string]string{
		link:     "--record: " + link + " is a symbolic link: refused",
		dangling: "--record: " + dangling + " is a symbolic link: refused",
		hard:     "--record: " + hard + " has 2 hard links: refused",
		fifo:     "--record: " + fifo + " is not a regular file: refused",
		dir:      "--record: " + dir + " is not a regular file: refused",
	} {
		f, err := openRecording(path)
		if err == nil {
			f.Close()
		}
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v, want %q", filepath.Base(path), err, says)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "precious\n" || mode(target) != 0o644 {
		t.Errorf("the link's target holds %q, mode %v: want it untouched", b, mode(target))
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere")); !os.IsNotExist(err) {
		t.Errorf("the dangling link's target was created (%v)", err)
	}
}
