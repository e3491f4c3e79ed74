package app

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"callboard/journal"
)

// Each viewer's remembered settings (the board's tab, sorts and filters,
// tui.Settings) are a small JSON file of their own, <who>.json in the
// settings directory: who is an ssh viewer's name, or the fingerprint of
// an unnamed key, or the local board's user. The directory is made 0700,
// each file 0600, written whole to a temporary file beside it then renamed
// over it, so that a reader, and two boards of the same viewer writing at
// once, see one file or the other, never a mix: the last written wins.
// Neither a symbolic link nor anything but a plain file is read or
// replaced at a settings file's path (ErrSettingsLink, ErrSettingsNotFile),
// nor a file larger than MaxSettingsSize.

// MaxSettingsSize is the largest settings file read: a viewer's settings
// are a few hundred bytes.
const MaxSettingsSize = 64 << 10

// The settings files refused.
var (
	ErrSettingsLink    = errors.New("is a symbolic link: not followed (remove it)")
	ErrSettingsNotFile = errors.New("is not a plain file")
	ErrSettingsTooBig  = fmt.Errorf("is larger than %d KiB: not read", MaxSettingsSize>>10)
)

// SettingsDir is where the settings files go:
// $XDG_STATE_HOME/callboard/settings, else
// ~/.local/state/callboard/settings (beside the journal and the ssh host
// key).
func SettingsDir() (string, error) {
	journals, err := journal.DefaultBase() // <state>/callboard/journal
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(journals), "settings"), nil
}

// LocalSettingsWho is whose settings the local board keeps: the user's
// login name (LocalUser), else "local".
func LocalSettingsWho() string {
	if who := LocalUser(); who != "?" {
		return who
	}
	return "local"
}

// SettingsStore keeps the settings files of one directory.
type SettingsStore struct{ dir string }

// NewSettingsStore keeps settings in dir, made when first written.
func NewSettingsStore(dir string) *SettingsStore { return &SettingsStore{dir: dir} }

// Path is the file of who's settings.
func (st *SettingsStore) Path(who string) string {
	return filepath.Join(st.dir, settingsFileName(who)+".json")
}

// settingsFileName is who as one file name, the same who always the same
// name and two never one: letters, digits, '-', '_' and '.' (but a leading
// one) as they are, any other byte as %XX; a name longer than 200 bytes
// cut, with a hash of the whole after '~' (which is otherwise escaped).
func settingsFileName(who string) string {
	var b strings.Builder
	for i := 0; i < len(who); i++ {
		c := who[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' && i > 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	name := b.String()
	if len(name) > 200 {
		sum := sha256.Sum256([]byte(who))
		name = name[:180] + "~" + hex.EncodeToString(sum[:8])
	}
	return name
}

// Load reads who's settings into v (with json.Unmarshal), and reports
// whether there were some: no file is no settings and no error. A file
// that is a link, not a plain file, larger than MaxSettingsSize, or no
// JSON for v is an error saying so, the path included: the board then
// starts without them.
func (st *SettingsStore) Load(who string, v any) (bool, error) {
	path := st.Path(who)
	// O_NONBLOCK: a FIFO planted there does not hold the open
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case errors.Is(err, syscall.ELOOP):
		return false, fmt.Errorf("settings %s %w", path, ErrSettingsLink)
	case err != nil:
		return false, fmt.Errorf("settings: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		return false, fmt.Errorf("settings: %w", err)
	case !info.Mode().IsRegular():
		return false, fmt.Errorf("settings %s %w", path, ErrSettingsNotFile)
	case info.Size() > MaxSettingsSize:
		return false, fmt.Errorf("settings %s %w", path, ErrSettingsTooBig)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSettingsSize+1))
	switch {
	case err != nil:
		return false, fmt.Errorf("settings: %w", err)
	case len(data) > MaxSettingsSize: // grown since
		return false, fmt.Errorf("settings %s %w", path, ErrSettingsTooBig)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("settings %s is not JSON of settings: %v", path, err)
	}
	return true, nil
}

// Save writes v as who's settings: the directory made (0700) when it is
// not there, v written to a temporary file beside the settings file, then
// renamed over it. A link or anything but a plain file at the settings
// file's path is left as it is, and the error says so.
func (st *SettingsStore) Save(who string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	if err := st.makeDir(); err != nil {
		return err
	}
	path := st.Path(who)
	if err := plainOrNone(path); err != nil {
		return err
	}
	// CreateTemp makes its file anew (O_EXCL), 0600: never through a link
	tmp, err := os.CreateTemp(st.dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	_, err = tmp.Write(append(data, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = plainOrNone(path) // planted meanwhile: still refused
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path) // a link planted since is replaced, not followed
	}
	if err != nil {
		os.Remove(tmp.Name())
		if errors.Is(err, ErrSettingsLink) || errors.Is(err, ErrSettingsNotFile) {
			return err
		}
		return fmt.Errorf("settings: %w", err)
	}
	return nil
}

// plainOrNone says what is at path when it is there and not a plain file.
func plainOrNone(path string) error {
	info, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("settings: %w", err)
	case info.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("settings %s %w", path, ErrSettingsLink)
	case !info.Mode().IsRegular():
		return fmt.Errorf("settings %s %w", path, ErrSettingsNotFile)
	}
	return nil
}

// makeDir makes the settings directory, 0700, and checks that it is one:
// a link there is refused, not followed.
func (st *SettingsStore) makeDir() error {
	if err := os.MkdirAll(filepath.Dir(st.dir), 0o700); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	if err := os.Mkdir(st.dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("settings: %w", err)
	}
	info, err := os.Lstat(st.dir)
	switch {
	case err != nil:
		return fmt.Errorf("settings: %w", err)
	case info.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("settings directory %s %w", st.dir, ErrSettingsLink)
	case !info.IsDir():
		return fmt.Errorf("settings directory %s is not a directory", st.dir)
	case info.Mode().Perm() != 0o700:
		if err := os.Chmod(st.dir, 0o700); err != nil {
			return fmt.Errorf("settings: %w", err)
		}
	}
	return nil
}

// SettingsSaver saves one viewer's settings as the board tells them
// (tui.Config.SaveSettings), off the board's goroutine: Save returns at
// once, a goroutine writes the newest settings told and ends when none
// are left. A failure is said once, until a write succeeds again.
type SettingsSaver struct {
	store *SettingsStore
	who   string
	say   func(string)

	mu      sync.Mutex
	pending any           // the newest settings not written yet; nil none
	writing chan struct{} // closed when the writer ends; nil when none runs
	failing bool          // the last write failed, and was said
}

// Saver saves who's settings in st, saying a failure with say.
func (st *SettingsStore) Saver(who string, say func(string)) *SettingsSaver {
	return &SettingsSaver{store: st, who: who, say: say}
}

// Save has v written as the viewer's settings, after those told before;
// settings told before that are not written yet are dropped.
func (sv *SettingsSaver) Save(v any) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	sv.pending = v
	if sv.writing == nil {
		sv.writing = make(chan struct{})
		go sv.write(sv.writing)
	}
}

func (sv *SettingsSaver) write(done chan struct{}) {
	defer close(done)
	for {
		sv.mu.Lock()
		v := sv.pending
		sv.pending = nil
		if v == nil {
			sv.writing = nil
			sv.mu.Unlock()
			return
		}
		sv.mu.Unlock()
		err := sv.store.Save(sv.who, v)
		sv.mu.Lock()
		sayIt := err != nil && !sv.failing
		sv.failing = err != nil
		sv.mu.Unlock()
		if sayIt && sv.say != nil {
			sv.say(err.Error() + " (the board goes on; its settings are not remembered)")
		}
	}
}

// Flush waits until the settings told are written.
func (sv *SettingsSaver) Flush() {
	sv.mu.Lock()
	w := sv.writing
	sv.mu.Unlock()
	if w != nil {
		<-w
	}
}
