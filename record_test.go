package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"callboard/sim"
	"callboard/state"
)

// TestRecordingRoundTrip: a live snapshot that records, and the replay of
// its recording, print the same board; the recording holds neither the
// password nor the token.
func TestRecordingRoundTrip(t *testing.T) {
	srv, err := sim.Start("127.0.0.1:0", sim.Options{Seed: 11, Login: sim.DefaultLogin, Password: "s3cret-pw"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	t.Setenv("CALLBOARD_TEST_PASSWORD", "s3cret-pw")
	recording := filepath.Join(t.TempDir(), "rec.jsonl")
	code, live, errs := runCommand("snapshot", "--config", writeConfig(t, srv.URL()), "--wait", "1500ms", "--record", recording, "--no-journal")
	if code != exitOK {
		t.Fatalf("snapshot: exit %d: %s", code, errs)
	}
	code, replayed, errs := runCommand("replay", recording, "--snapshot")
	if code != exitOK {
		t.Fatalf("replay: exit %d: %s", code, errs)
	}
	var a, b state.Snapshot
	if err := json.Unmarshal([]byte(live), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(replayed), &b); err != nil {
		t.Fatal(err)
	}
	if a.Feed.Events == 0 || len(a.Agents) == 0 {
		t.Fatalf("the live snapshot saw nothing: %+v", a.Feed)
	}
	a.GeneratedAt, b.GeneratedAt = b.GeneratedAt, a.GeneratedAt // the one field allowed to differ
	ja, _ := json.MarshalIndent(a, "", " ")
	jb, _ := json.MarshalIndent(b, "", " ")
	if string(ja) != string(jb) {
		t.Errorf("live and replayed snapshots differ:\nlive:\n%s\nreplayed:\n%s", ja, jb)
	}

	raw, err := os.ReadFile(recording)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "s3cret-pw") {
		t.Error("the recording holds the password")
	}
	var line struct {
		Kind string `json:"kind"`
	}
	kinds := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if err := json.Unmarshal([]byte(l), &line); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		kinds[line.Kind]++
		if strings.Contains(l, "id_session") || strings.Contains(l, `"token"`) {
			t.Errorf("a line names the token: %s", l)
		}
	}
	if kinds["start"] != 1 || kinds["end"] != 1 || kinds["directory"] != 1 || kinds["status"] == 0 || kinds["update"] != a.Feed.Events {
		t.Errorf("lines by kind %v, want one start, end and directory, some status, %d updates", kinds, a.Feed.Events)
	}
	if st, _ := os.Stat(recording); st.Mode().Perm() != 0o600 {
		t.Errorf("the recording is %v, want 0600", st.Mode().Perm())
	}
}

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
