package cli

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callboard/app"
	"callboard/config"
	"callboard/feed"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
	"callboard/state"
)

// TestCustomCertificateAuthority serves the simulator over TLS with a
// certificate no system trusts: with ca_file the board connects (HTTPS auth
// and secure WebSocket), without it the error names the certificate.
func TestCustomCertificateAuthority(t *testing.T) {
	srv := simtest.Start(t, sim.Options{Seed: 4, Login: sim.DefaultLogin, Password: "pw"})
	secure := httptest.NewUnstartedServer(srv.Handler())
	secure.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	secure.StartTLS()
	defer secure.Close()

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: secure.Certificate().Raw})
	if err := os.WriteFile(caFile, block, 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	body := fmt.Sprintf("[axialys]\nurl = %q\nlogin = %q\npassword_env = \"CALLBOARD_TEST_PASSWORD\"\nca_file = %q\n", secure.URL, sim.DefaultLogin, caFile)
	os.WriteFile(path, []byte(body), 0o600)
	t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")

	code, out, errs := runCommand("doctor", "--config", path, "--listen", "500ms")
	if code != exitOK || !strings.Contains(out, "ok    tls            certificate") || !strings.Contains(out, "valid until") {
		t.Errorf("doctor with ca_file: exit %d\n%s%s", code, out, errs)
	}

	// The v4 client library now and then loses the namespace packet, and
	// the opening starts over after its timeout (10 s): a loaded machine
	// may see that twice. Allow it, so the test depends on TLS alone.
	code, out, errs = runCommand("snapshot", "--config", path, "--wait", "200ms", "--timeout", "60s")
	if code != exitOK {
		t.Fatalf("with ca_file: exit %d: %s", code, errs)
	}
	var snap state.Snapshot
	if err := json.Unmarshal([]byte(out), &snap); err != nil || snap.Feed.State != "live" || len(snap.Agents) == 0 {
		t.Errorf("with ca_file: %v, feed %+v", err, snap.Feed)
	}

	plain := config.Axialys{}
	client, _ := app.HTTPClient(plain)
	cfg := feed.Config{URL: secure.URL, Login: sim.DefaultLogin, Password: func(context.Context) (string, error) { return "pw", nil }, HTTPClient: client}
	// a certificate that is not accepted will not be by waiting: the
	// snapshot gives up at once rather than at the end of its connect time
	_, err := takeSnapshot(context.Background(), app.Options{Feed: &cfg, Now: time.Now}, snapshotLimits{wait: time.Second, connect: time.Hour})
	var se *exitError
	if !errors.As(err, &se) || se.Code != exitNeverLive || !strings.Contains(err.Error(), "TLS certificate not accepted") {
		t.Errorf("without ca_file: %v", err)
	}
}
