package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

type testSettings struct {
	Tab    string `json:"tab"`
	Filter string `json:"filter"`
}

func TestSettingsRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "callboard", "settings")
	st := NewSettingsStore(dir)
	var got testSettings
	if found, err := st.Load("anne", &got); found || err != nil {
		t.Fatalf("before any save: found %v, %v", found, err)
	}
	want := testSettings{Tab: "Agents", Filter: "Bo"}
	if err := st.Save("anne", want); err != nil {
		t.Fatal(err)
	}
	if found, err := st.Load("anne", &got); !found || err != nil || got != want {
		t.Fatalf("loaded %+v (found %v, %v), want %+v", got, found, err, want)
	}
	for path, perm := range map[string]os.FileMode{dir: 0o700, st.Path("anne"): 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != perm {
			t.Errorf("%s is %v, want %v", path, info.Mode().Perm(), perm)
		}
	}
	// a directory made wider by someone is made private again
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := st.Save("anne", want); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("the directory is %v after a save, want 0700", info.Mode().Perm())
	}
	// nothing but the file is left beside it
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the directory holds %d entries, want the settings file alone", len(entries))
	}
}

func TestSettingsFileNames(t *testing.T) {
	names := map[string]string{}
	for _, who := range []string{"anne", "Anne", "SHA256:ab+/cd", "SHA256%3Aab%2B%2Fcd", "../etc/passwd", ".hidden", "a b", "é", "", strings.Repeat("x", 300), strings.Repeat("x", 301)} {
		name := settingsFileName(who)
		if len(name) > 200 || strings.ContainsAny(name, "/\x00 ") || strings.HasPrefix(name, ".") || name == "" && who != "" {
			t.Errorf("%q is named %q", who, name)
		}
		if other, ok := names[name]; ok {
			t.Errorf("%q and %q share the name %q", who, other, name)
		}
		names[name] = who
	}
	if got := settingsFileName("SHA256:ab+/cd"); got != "SHA256%3Aab%2B%2Fcd" {
		t.Errorf("a fingerprint is named %q", got)
	}
}

// TestSettingsRefusesALink: a link planted at a settings file's path (to a
// file or to nowhere) is neither read nor written through, and the error
// says it is a link; what it points to stays as it was.
func TestSettingsRefusesALink(t *testing.T) {
	dir := t.TempDir()
	st := NewSettingsStore(filepath.Join(dir, "settings"))
	if err := st.Save("anne", testSettings{Tab: "Calls"}); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte(`{"tab":"Agents"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{target, filepath.Join(dir, "nowhere")} {
		os.Remove(st.Path("anne"))
		if err := os.Symlink(to, st.Path("anne")); err != nil {
			t.Fatal(err)
		}
		var got testSettings
		if found, err := st.Load("anne", &got); found || !errors.Is(err, ErrSettingsLink) {
			t.Errorf("link to %s loaded: found %v, %+v, %v", to, found, got, err)
		}
		if err := st.Save("anne", testSettings{Tab: "Day"}); !errors.Is(err, ErrSettingsLink) || !strings.Contains(err.Error(), st.Path("anne")) {
			t.Errorf("link to %s: save gave %v", to, err)
		}
		if data, _ := os.ReadFile(target); string(data) != `{"tab":"Agents"}` {
			t.Errorf("the link's target now holds %q", data)
		}
		if info, err := os.Lstat(st.Path("anne")); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the link was replaced: %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, "nowhere")); !os.IsNotExist(err) {
			t.Errorf("the link's target was made: %v", err)
		}
	}
	// the directory itself
	linked := NewSettingsStore(filepath.Join(dir, "linked"))
	if err := os.Symlink(filepath.Join(dir, "settings"), filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	if err := linked.Save("bob", testSettings{}); !errors.Is(err, ErrSettingsLink) {
		t.Errorf("a linked directory: save gave %v", err)
	}
	// neither a FIFO nor a directory is read or replaced
	os.Remove(st.Path("anne"))
	if err := syscall.Mkfifo(st.Path("anne"), 0o600); err != nil {
		t.Fatal(err)
	}
	var got testSettings
	if _, err := st.Load("anne", &got); !errors.Is(err, ErrSettingsNotFile) {
		t.Errorf("a FIFO: load gave %v", err)
	}
	if err := st.Save("anne", got); !errors.Is(err, ErrSettingsNotFile) {
		t.Errorf("a FIFO: save gave %v", err)
	}
}

func TestSettingsCorruptOrHuge(t *testing.T) {
	st := NewSettingsStore(t.TempDir())
	for body, want := range map[string]error{
		`{"tab": "Agents"`:      nil,
		"\x00\x01garbage":       nil,
		`{"tab": "A"} trailing`: nil,
		`{"tab": "` + strings.Repeat("x", MaxSettingsSize) + `"}`: ErrSettingsTooBig,
	} {
		if err := os.WriteFile(st.Path("anne"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		var got testSettings
		found, err := st.Load("anne", &got)
		if found || err == nil || want != nil && !errors.Is(err, want) || !strings.Contains(err.Error(), st.Path("anne")) {
			t.Errorf("%.40q: found %v, %+v, %v", body, found, got, err)
		}
	}
}

// TestSettingsSaverWritesTheLast: the saver returns at once, writes the
// last settings told, and says a failure once until a write succeeds.
func TestSettingsSaverWritesTheLast(t *testing.T) {
	dir := t.TempDir()
	st := NewSettingsStore(filepath.Join(dir, "settings"))
	var said []string
	var mu sync.Mutex
	sv := st.Saver("anne", func(line string) { mu.Lock(); said = append(said, line); mu.Unlock() })
	for i := range 100 {
		sv.Save(testSettings{Tab: fmt.Sprint(i)})
	}
	sv.Flush()
	var got testSettings
	if _, err := st.Load("anne", &got); err != nil || got.Tab != "99" {
		t.Fatalf("after 100 saves loaded %+v, %v", got, err)
	}
	// a link planted: refused, said once
	os.Remove(st.Path("anne"))
	if err := os.Symlink(filepath.Join(dir, "x"), st.Path("anne")); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		sv.Save(testSettings{Tab: fmt.Sprint(i)})
		sv.Flush()
	}
	mu.Lock()
	if len(said) != 1 || !strings.Contains(said[0], "symbolic link") {
		t.Errorf("said %q, want the link once", said)
	}
	mu.Unlock()
	os.Remove(st.Path("anne"))
	sv.Save(testSettings{Tab: "ok"})
	sv.Flush()
	os.Remove(st.Path("anne"))
	os.Symlink(filepath.Join(dir, "x"), st.Path("anne"))
	sv.Save(testSettings{Tab: "again"})
	sv.Flush()
	mu.Lock()
	if len(said) != 2 {
		t.Errorf("said %q, want the link again after a write that succeeded", said)
	}
	mu.Unlock()
}

// TestSettingsTwoWritersAtOnce: two boards of one viewer saving at once
// leave one of their files whole, never a mix or a partial file.
func TestSettingsTwoWritersAtOnce(t *testing.T) {
	st := NewSettingsStore(t.TempDir())
	a, b := testSettings{Tab: "A", Filter: strings.Repeat("a", 4000)}, testSettings{Tab: "B", Filter: strings.Repeat("b", 10)}
	var wg sync.WaitGroup
	for _, s := range []testSettings{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if err := st.Save("anne", s); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				var got testSettings
				if _, err := st.Load("anne", &got); err != nil || got != (testSettings{}) && got != a && got != b {
					t.Errorf("read %.30v, %v while written", got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	entries, _ := os.ReadDir(filepath.Dir(st.Path("anne")))
	if len(entries) != 1 {
		t.Errorf("%d entries left, want the settings file alone", len(entries))
	}
}
