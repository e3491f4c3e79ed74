package cli

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"callboard/app"
	"callboard/feed"
	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

// TestSnapshotOverTLSToAPlainPortStopsAtOnce: `snapshot` with an https://
// URL on the simulator's plain HTTP port exits 4 at once, naming the port
// that does not speak TLS, not at the end of its connect time (an hour
// here: the answer comes through the error, or not within the test's
// patience).
func TestSnapshotOverTLSToAPlainPortStopsAtOnce(t *testing.T) {
	srv := simtest.Start(t, sim.Options{Seed: 4, Login: sim.DefaultLogin, Password: "pw"})
	u := strings.Replace(srv.URL(), "http://", "https://", 1)
	cfg := feed.Config{URL: u, Login: sim.DefaultLogin, Password: func(context.Context) (string, error) { return "pw", nil },
		HTTPClient: &http.Client{Timeout: time.Hour}, Timeout: time.Hour}
	done := make(chan error, 1)
	go func() {
		_, err := takeSnapshot(context.Background(), app.Options{Feed: &cfg, Now: time.Now}, snapshotLimits{wait: time.Second, connect: time.Hour})
		done <- err
	}()
	err := testkit.Receive(t, "the snapshot's end", done)
	want := "the server at " + strings.TrimPrefix(u, "https://") + " does not speak TLS (is the URL http://?)"
	var se *exitError
	if !errors.As(err, &se) || se.Code != exitNeverLive || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want exit %d saying %q", err, exitNeverLive, want)
	}
}
