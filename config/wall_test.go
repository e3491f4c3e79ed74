package config

import (
	"strings"
	"testing"
	"time"
)

func TestWallPages(t *testing.T) {
	cfg, _, err := Load(write(t, minimal, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if w := cfg.Wall; len(w.Pages) != 0 || w.RotateEvery.Duration != 0 {
		t.Errorf("no [wall]: %+v", w)
	}
	cfg, _, err = Load(write(t, minimal+`[wall]
pages = [
  { name = "Center" },
  { name = " Support ", queues = ["391"], groups = ["Support"] },
  { name = "Calls", tab = "calls" },
]
`, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	w := cfg.Wall
	if len(w.Pages) != 3 || w.Pages[1].Name != "Support" || w.Pages[1].Queues[0] != "391" || w.Pages[1].Groups[0] != "Support" || w.Pages[2].Tab != "calls" {
		t.Errorf("pages %+v", w.Pages)
	}
	if w.RotateEvery.Duration != DefaultRotateEvery {
		t.Errorf("rotate_every's default is %v, want %v", w.RotateEvery.Duration, DefaultRotateEvery)
	}
	cfg, _, err = Load(write(t, minimal+"[wall]\nrotate_every = \"1m\"\npages = [{ name = \"a\" }]\n", 0o600))
	if err != nil || cfg.Wall.RotateEvery.Duration != time.Minute {
		t.Errorf("rotate_every 1m: %v, err %v", cfg.Wall.RotateEvery, err)
	}

	many := "[wall]\npages = [" + strings.Repeat("{ name = \"p\" },", MaxWallPages+1) + "]\n"
	for body, want := range map[string]string{
		"[wall]\nrotate_every = \"30s\"\n":                            "wall.rotate_every: 30s without wall.pages",
		"[wall]\nrotate_every = \"2s\"\npages = [{ name = \"a\" }]\n": "wall.rotate_every: 2s: want 5s to 1h0m0s",
		"[wall]\nrotate_every = \"2h\"\npages = [{ name = \"a\" }]\n": "wall.rotate_every: 2h0m0s",
		many: "wall.pages: 21 pages: want at most 20",
		"[wall]\npages = [{ name = \"" + strings.Repeat("é", MaxPageName+1) + "\" }]\n": "wall.pages[0].name: 41 characters",
		"[wall]\npages = [{ name = \"a\\u001b[2J\" }]\n":                                "wall.pages[0].name",
		"[wall]\npages = [{ name = \"a\" }, { queues = [\"1\", \" \"] }]\n":             "wall.pages[1].queues[1]: empty",
		"[wall]\npages = [{ name = \"a\", colour = \"red\" }]\n":                        "colour",
		"[wall]\npages = [{ name = \"a\\u202e\" }]\n":                                   "wall.pages[0].name",
		"[wall]\npages = [{ queues = [\"Sup\\u001b[2Jport\"] }]\n":                      "wall.pages[0].queues[0]",
		"[wall]\npages = [{ groups = [\"" + strings.Repeat("é", 129) + "\"] }]\n":       "wall.pages[0].groups[0]",
	} {
		if _, _, err := Load(write(t, minimal+body, 0o600)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", body, err, want)
		}
	}
}
