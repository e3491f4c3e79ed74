package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

// TestTheJournalsWriterSendsTheAlerts: a session that writes the journal
// of a configuration with [notify] sends (its views say so from the first
// after the replay); one beside it that would write it but finds it
// written, one that only reads it, and one without a journal, do not: one
// sender per journal.
func TestTheJournalsWriterSendsTheAlerts(t *testing.T) {
	srv := simtest.Start(t, sim.Options{Seed: 1})
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	body := fmt.Sprintf("[axialys]\nurl = %q\nlogin = %q\npassword = %q\n[journal]\ndir = %q\n[notify]\ncommand = [\"cat\"]\n",
		srv.URL(), sim.DefaultLogin, sim.DefaultPassword, filepath.Join(dir, "journal"))
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	writer, err := Open(context.Background(), Options{ConfigPath: path, Journal: WriteJournal})
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	testkit.Eventually(t, "the writer's views saying it sends", func() bool {
		n := writer.Hub.Latest().Notify
		return n.On && n.Sending && writer.NotifyHealth().Sending
	})
	// a second would-be writer keeps the journal for a takeover: it does
	// not send while the first writes
	second, err := Open(context.Background(), Options{ConfigPath: path, Journal: WriteJournal})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, "the second writer's views", func() bool {
		v := second.Hub.Latest()
		return v.Feed.Live() && v.Journal.On && v.Notify.On
	})
	if n := second.Hub.Latest().Notify; n.Sending {
		t.Errorf("the second writer sends beside the first: %+v", n)
	}
	second.Close()
	for name, use := range map[string]JournalUse{"reading beside": ReadJournal, "no journal": NoJournal} {
		s, err := Open(context.Background(), Options{ConfigPath: path, Journal: use})
		if err != nil {
			t.Fatal(err)
		}
		testkit.Eventually(t, name+": a view after the start", func() bool { return s.Hub.Latest().Feed.Live() })
		if n := s.Hub.Latest().Notify; n.On || s.notify != nil {
			t.Errorf("%s: notify %+v: it sends", name, n)
		}
		s.Close()
	}
}
