package cli

import (
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"callboard/internal/testkit"
	"callboard/internal/testkit/simtest"
	"callboard/sim"
)

// doctorLines returns "ok step" / "FAIL step" for each verdict line.
func doctorLines(out string) []string {
	var steps []string
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && (f[0] == "ok" || f[0] == "FAIL") {
			steps = append(steps, f[0]+" "+f[1])
		}
	}
	return steps
}

func TestDoctor(t *testing.T) {
	srv := simtest.Start(t, sim.Options{Seed: 5, Login: sim.DefaultLogin, Password: "pw"})
	config := writeConfig(t, srv.URL())

	t.Run("all steps pass", func(t *testing.T) {
		t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")
		code, out, errs := runCommand("doctor", "--config", config, "--listen", "1s")
		want := "ok config,ok password,ok dns,ok tcp,ok tls,ok auth,ok probe,ok connect,ok events"
		if got := strings.Join(doctorLines(out), ","); code != exitOK || got != want {
			t.Errorf("exit %d, steps %s, want %s\n%s%s", code, got, want, out, errs)
		}
		for _, w := range []string{"40 agents, 4 groups, 3 trunks, 5 pause types", "Socket.IO v4 (Engine.IO 4): pingInterval", "operator/status"} {
			if !strings.Contains(out, w) {
				t.Errorf("the output does not say %q:\n%s", w, out)
			}
		}
		if strings.Contains(out, "pw\n") || strings.Contains(out, " pw ") {
			t.Errorf("the password shows:\n%s", out)
		}
	})
	t.Run("events callboard does not know are named", func(t *testing.T) {
		quiet := simtest.Start(t, sim.Options{Seed: 5, NoTraffic: true, Login: sim.DefaultLogin, Password: "pw"})
		t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")
		type result struct {
			code      int
			out, errs string
		}
		config := writeConfig(t, quiet.URL())
		done := make(chan result, 1)
		go func() {
			code, out, errs := runCommand("doctor", "--config", config, "--listen", "1s")
			done <- result{code, out, errs}
		}()
		simtest.WaitStreaming(t, quiet, 1)
		quiet.Push(sim.Event{Type: "queue", Name: "transfer_call", Msg: map[string]any{"id_call": 1, "id_queue": 391}})
		quiet.Push(sim.Event{Type: "CALLBACK", Name: "scheduled", Msg: map[string]any{"id_operator": 101}})
		quiet.Push(sim.Event{Type: "UI", Name: "login", Msg: map[string]any{"id_operator": 101, "supp": ""}})
		r := testkit.Receive(t, "the doctor's end", done)
		code, out, errs := r.code, r.out, r.errs
		want := "ok config,ok password,ok dns,ok tcp,ok tls,ok auth,ok probe,ok connect,ok events,ok unknown"
		if got := strings.Join(doctorLines(out), ","); code != exitOK || got != want {
			t.Errorf("exit %d, steps %s, want %s\n%s%s", code, got, want, out, errs)
		}
		for _, w := range []string{"queue/transfer_call", "CALLBACK"} {
			if !strings.Contains(out, w) {
				t.Errorf("the unknown step does not name %s:\n%s", w, out)
			}
		}
		if _, unknown, _ := strings.Cut(out, "ok    unknown"); strings.Contains(unknown, "UI/login") {
			t.Errorf("a known event is called unknown:\n%s", out)
		}
	})
	t.Run("wrong password stops at auth", func(t *testing.T) {
		t.Setenv("CALLBOARD_TEST_PASSWORD", "wrong")
		code, out, _ := runCommand("doctor", "--config", config, "--listen", "1s")
		want := "ok config,ok password,ok dns,ok tcp,ok tls,FAIL auth"
		if got := strings.Join(doctorLines(out), ","); code != exitAuthRefused || got != want || !strings.Contains(out, "next: check axialys.login") {
			t.Errorf("exit %d, steps %s, want %s\n%s", code, got, want, out)
		}
	})
	t.Run("bad key stops at config", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bad.toml")
		os.WriteFile(path, []byte("[axialys]\nlogin = \"x\"\npasword = \"y\"\n"), 0o600)
		code, out, _ := runCommand("doctor", "--config", path)
		if got := strings.Join(doctorLines(out), ","); code != exitConfig || got != "FAIL config" || !strings.Contains(out, "axialys.pasword") {
			t.Errorf("exit %d, steps %s\n%s", code, got, out)
		}
	})
	t.Run("silent Socket.IO stops at the probe", func(t *testing.T) {
		t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")
		var mu sync.Mutex
		var held []net.Conn
		defer func() {
			mu.Lock()
			for _, c := range held {
				c.Close()
			}
			mu.Unlock()
		}()
		mux := http.NewServeMux()
		mux.Handle("/ws/", srv.Handler())
		mux.HandleFunc("/socket.io/", func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack() // accepted, never answered
			if err == nil {
				mu.Lock()
				held = append(held, conn)
				mu.Unlock()
			}
		})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		front := &http.Server{Handler: mux}
		go front.Serve(ln)
		defer front.Close()
		code, out, _ := runCommand("doctor", "--config", writeConfig(t, fmt.Sprintf("http://%s", ln.Addr())), "--json", "--timeout", "500ms")
		if code != exitNeverLive || !strings.Contains(out, `"step": "probe"`) || !strings.Contains(out, "timeout") {
			t.Errorf("exit %d\n%s", code, out)
		}
	})
}

// TestDoctorGoesThroughTheProxy: with a proxy in the environment, the
// doctor's tcp step reaches the service through it (CONNECT), as the feed
// does, instead of dialling the host, which only the proxy can resolve.
func TestDoctorGoesThroughTheProxy(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Method+" "+r.Host)
		mu.Unlock()
		if r.Method != http.MethodConnect {
			http.Error(w, "this proxy only tunnels", http.StatusMethodNotAllowed)
			return
		}
		if r.Header.Get("Proxy-Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte("ops:s3cret")) {
			http.Error(w, "who are you", http.StatusProxyAuthRequired)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer proxy.Close()
	t.Setenv("HTTP_PROXY", strings.Replace(proxy.URL, "http://", "http://ops:s3cret@", 1))
	t.Setenv("NO_PROXY", "")
	t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")
	code, out, _ := runCommand("doctor", "--config", writeConfig(t, "http://callboard.invalid:8080"), "--timeout", "2s")
	if !strings.Contains(out, "ok    dns            callboard.invalid is resolved by the proxy 127.0.0.1") ||
		!strings.Contains(out, "ok    tcp            callboard.invalid:8080 reached through the proxy 127.0.0.1") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if strings.Contains(out, "s3cret") {
		t.Errorf("the proxy's password is shown:\n%s", out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) == 0 || asked[0] != "CONNECT callboard.invalid:8080" {
		t.Errorf("the proxy was asked %q", asked)
	}
}

// TestDoctorSpeaksTLSToAnHTTPSProxy: a proxy whose URL is https is spoken
// to in TLS, its certificate checked with axialys.ca_file's authorities as
// the feed's client does; without them the step says the proxy failed.
func TestDoctorSpeaksTLSToAnHTTPSProxy(t *testing.T) {
	proxy := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "this proxy only tunnels", http.StatusMethodNotAllowed)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	proxy.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	proxy.StartTLS()
	defer proxy.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: proxy.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HTTP_PROXY", proxy.URL) // https://127.0.0.1:…
	t.Setenv("NO_PROXY", "")
	t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")
	withCA := writeConfig(t, "http://callboard.invalid:8080")
	body, err := os.ReadFile(withCA)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(withCA, []byte(strings.Replace(string(body), "[axialys]\n", fmt.Sprintf("[axialys]\nca_file = %q\n", caFile), 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := runCommand("doctor", "--config", withCA, "--timeout", "2s"); !strings.Contains(out, "ok    tcp            callboard.invalid:8080 reached through the proxy 127.0.0.1") {
		t.Errorf("with the proxy's authority in ca_file:\n%s", out)
	}
	if _, out, _ := runCommand("doctor", "--config", writeConfig(t, "http://callboard.invalid:8080"), "--timeout", "2s"); !strings.Contains(out, "FAIL  tcp            TLS certificate of the proxy 127.0.0.1") {
		t.Errorf("without it:\n%s", out)
	}
}

// TestDoctorNamesThePlainPortAnHTTPSURLPointsAt: an https URL on a port
// answering plain HTTP fails the tls step naming that host:port, in its
// verdict and its advice, never "the server at the server".
func TestDoctorNamesThePlainPortAnHTTPSURLPointsAt(t *testing.T) {
	plain := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	plain.Config.ErrorLog = log.New(io.Discard, "", 0) // the TLS hello it cannot read is expected
	plain.Start()
	defer plain.Close()
	t.Setenv("HTTPS_PROXY", "")
	t.Setenv("HTTP_PROXY", "")
	t.Setenv("CALLBOARD_TEST_PASSWORD", "pw")
	addr := plain.Listener.Addr().String()
	code, out, _ := runCommand("doctor", "--config", writeConfig(t, "https://"+addr), "--timeout", "5s")
	if got := strings.Join(doctorLines(out), ","); code != exitNeverLive || !strings.HasSuffix(got, "ok tcp,FAIL tls") {
		t.Fatalf("exit %d, steps %s\n%s", code, got, out)
	}
	for _, w := range []string{"the server at " + addr + " does not speak TLS", "no TLS at " + addr + ":"} {
		if !strings.Contains(out, w) {
			t.Errorf("the tls step does not say %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "the server at the server") || strings.Contains(out, "no TLS at the server") {
		t.Errorf("the tls step does not name the port:\n%s", out)
	}
}
