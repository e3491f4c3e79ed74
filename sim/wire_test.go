package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"callboard/internal/testkit"
)

// poller speaks Engine.IO long-polling by hand, in protocol 3 (Socket.IO
// 2.x) or 4 (Socket.IO 3 and later), so that tests see the wire itself.
type poller struct {
	t    *testing.T
	http *http.Client
	url  string
	eio  int
}

// openPoller does the Engine.IO handshake and returns the open packet.
func openPoller(t *testing.T, s *Server, eio int) (*poller, string) {
	t.Helper()
	p := &poller{t: t, http: &http.Client{Transport: &http.Transport{}}, eio: eio,
		url: s.URL() + "/socket.io/?EIO=" + strconv.Itoa(eio) + "&transport=polling"}
	t.Cleanup(p.http.CloseIdleConnections) // runs before the server's Close
	packets := p.poll()
	if len(packets) == 0 || !strings.HasPrefix(packets[0], "0{") {
		t.Fatalf("EIO%d handshake answered %q", eio, packets)
	}
	var open struct{ Sid string }
	if err := json.Unmarshal([]byte(packets[0][1:]), &open); err != nil || open.Sid == "" {
		t.Fatalf("EIO%d open packet %q", eio, packets[0])
	}
	p.url += "&sid=" + open.Sid
	return p, packets[0]
}

// send posts one Engine.IO packet.
func (p *poller) send(packet string) {
	p.t.Helper()
	body := packet
	if p.eio == 3 {
		body = strconv.Itoa(utf8.RuneCountInString(packet)) + ":" + packet
	}
	resp, err := p.http.Post(p.url, "text/plain;charset=UTF-8", strings.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("POST %q: status %d", packet, resp.StatusCode)
	}
}

// poll returns the next batch of Engine.IO packets.
func (p *poller) poll() []string {
	p.t.Helper()
	resp, err := p.http.Get(p.url)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("poll: status %d: %s", resp.StatusCode, b)
	}
	if p.eio == 4 {
		return strings.Split(string(b), "\x1e")
	}
	var packets []string
	for rest := string(b); rest != ""; {
		colon := strings.IndexByte(rest, ':')
		n, err := strconv.Atoi(rest[:max(colon, 0)])
		if colon < 0 || err != nil {
			p.t.Fatalf("bad EIO3 payload %q", b)
		}
		rest = rest[colon+1:]
		end := 0
		for range n {
			_, size := utf8.DecodeRuneInString(rest[end:])
			end += size
		}
		packets = append(packets, rest[:end])
		rest = rest[end:]
	}
	return packets
}

// updates polls, answering pings, until it has read at least n updates and
// for at least d (failing when n do not come within testkit.Patience).
func (p *poller) updates(n int, d time.Duration) []map[string]any {
	p.t.Helper()
	var out []map[string]any
	start := time.Now()
	for (len(out) < n || time.Since(start) < d) && time.Since(start) < testkit.Patience {
		for _, packet := range p.poll() {
			switch {
			case packet == "2":
				p.send("3")
			case strings.HasPrefix(packet, `42["update",`):
				var args []map[string]any
				if err := json.Unmarshal([]byte(`[`+packet[len(`42["update",`):]), &args); err != nil {
					p.t.Fatalf("bad update packet %q: %v", packet, err)
				}
				out = append(out, args[0])
			}
		}
	}
	if len(out) < n {
		p.t.Fatalf("got %d updates, want %d", len(out), n)
	}
	return out
}

// connectPoller opens an Engine.IO session and joins the main namespace.
func connectPoller(t *testing.T, s *Server, eio int) *poller {
	t.Helper()
	n := s.Stats().Connected
	p, _ := openPoller(t, s, eio)
	if eio == 4 {
		p.send("40") // EIO3 clients join "/" implicitly
	}
	testkit.Eventually(t, "the namespace connection", func() bool { return s.Stats().Connected == n+1 })
	return p
}

func initPacket(target any, token string) string {
	b, _ := json.Marshal([]any{"init", "supervisor", target, token})
	return "42" + string(b)
}

// TestWireOrder checks that the burst and the live updates leave the server
// in cpt order.
func TestWireOrder(t *testing.T) {
	t.Parallel()
	s := startServer(t, Options{Seed: 11, Tick: 20 * time.Millisecond})
	target, token := login(t, s)
	p := connectPoller(t, s, 4)
	p.send(initPacket(target, token))
	p.send(initPacket(target, token))               // a repeated init must not resend the burst
	updates := p.updates(100, 500*time.Millisecond) // a resent burst would follow the first at once
	for i := 1; i < len(updates); i++ {
		if prev, cpt := updates[i-1]["cpt"].(float64), updates[i]["cpt"].(float64); cpt != prev+1 {
			t.Fatalf("update %d: cpt %v after %v", i, cpt, prev)
		}
	}
	logins := map[string]int{}
	for _, u := range updates {
		ev := u["event"].(map[string]any)
		if ev["type_notification"] == "UI" && ev["event"] == "login" {
			id, _ := json.Marshal(ev["msg"].(map[string]any)["id_operator"])
			logins[strings.Trim(string(id), `"`)]++
		}
	}
	if len(logins) < 20 {
		t.Errorf("the burst logged in %d agents, want most of 40", len(logins))
	}
	if st := s.Stats(); st.InitsAccepted != 1 {
		t.Errorf("stats %+v, want one accepted init", st)
	}
}

// TestEIO3 talks to the server as a Socket.IO 2.x client would.
func TestEIO3(t *testing.T) {
	off := startServer(t, Options{Seed: 2, NoTraffic: true})
	resp, err := http.Get(off.URL() + "/socket.io/?EIO=3&transport=polling")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("EIO3 handshake without AllowEIO3: status %d, want 400", resp.StatusCode)
	}

	s := startServer(t, Options{Seed: 2, NoTraffic: true, AllowEIO3: true})
	target, token := login(t, s)
	p := connectPoller(t, s, 3)
	p.send(initPacket(target, token))
	testkit.Eventually(t, "the EIO3 init", func() bool { return s.Stats().Streaming == 1 })
	s.Push(Event{Type: "queue", Name: "delete_call", Msg: map[string]any{"id_call": -17137}})
	u := p.updates(1, 0)[0]
	if msg := u["event"].(map[string]any)["msg"].(map[string]any); msg["id_call"] != float64(-17137) {
		t.Errorf("EIO3 client got %v", u)
	}
}

// TestPushRevokeDisconnect drives the helpers meant for scripted tests.
func TestPushRevokeDisconnect(t *testing.T) {
	s := startServer(t, Options{Seed: 5, NoTraffic: true})
	target, token := login(t, s)
	p := connectPoller(t, s, 4)
	p.send(initPacket(target, token))
	testkit.Eventually(t, "the init", func() bool { return s.Stats().Streaming == 1 })

	sent := s.Push(Event{Type: "UI", Name: "login", Msg: map[string]any{"supp": "", "id_operator": ID{N: 8, Quoted: true}}})
	if err := s.PushRaw(json.RawMessage(`{"ts":1547651821,"elapse":0,"cpt":2297,"event":{"type_notification":"odd"}}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.PushRaw(json.RawMessage(`{oops`)); err == nil {
		t.Error("PushRaw took invalid JSON")
	}
	updates := p.updates(2, 0)
	if sent.Cpt != 1 || updates[0]["cpt"] != float64(1) {
		t.Errorf("sent cpt %d, first update %v: want cpt 1 (no burst without traffic)", sent.Cpt, updates[0])
	}
	if id := updates[0]["event"].(map[string]any)["msg"].(map[string]any)["id_operator"]; id != "8" {
		t.Errorf("id_operator %#v, want the string \"8\"", id)
	}
	if updates[1]["cpt"] != float64(2297) {
		t.Errorf("raw update %v", updates[1])
	}

	// After a cut, the same token opens a new stream.
	s.DisconnectAll()
	testkit.Eventually(t, "the cut", func() bool { st := s.Stats(); return st.Connected == 0 && st.Streaming == 0 })
	p = connectPoller(t, s, 4)
	p.send(initPacket(target, token))
	testkit.Eventually(t, "the new stream", func() bool { return s.Stats().Streaming == 1 })
	s.Push(Event{Type: "UI", Name: "logout", Msg: map[string]any{}})
	if u := p.updates(1, 0); u[0]["cpt"] != float64(2) {
		t.Errorf("after reconnecting: %v", u)
	}

	// Once tokens are revoked, an init is refused with a disconnect.
	s.RevokeTokens()
	s.DisconnectAll()
	testkit.Eventually(t, "the cut", func() bool { return s.Stats().Connected == 0 })
	p = connectPoller(t, s, 4)
	p.send(initPacket(target, token))
	testkit.Eventually(t, "the refusal", func() bool { return s.Stats().Connected == 0 })
	if st := s.Stats(); st.InitsAccepted != 2 || st.InitsRefused != 1 || st.Streaming != 0 {
		t.Errorf("stats %+v", st)
	}
}
