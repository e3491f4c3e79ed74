package sim

import (
	"net/http"
	"testing"
	"time"
)

func TestAuthAccepts(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 0, 0, 123456000, time.UTC)
	s := startServer(t, Options{Seed: 1, NoTraffic: true, Now: func() time.Time { return at }})
	status, body := authenticate(t, s.URL(), credentials(DefaultLogin, DefaultPassword))
	if status != http.StatusOK {
		t.Fatalf("status %d, %v", status, body)
	}
	for _, key := range []string{"id_session", "target", "ops", "groupes", "trunks", "pauses", "expire"} {
		if _, ok := body[key]; !ok {
			t.Errorf("answer lacks %q", key)
		}
	}
	if ops := body["ops"].([]any); len(ops) < 30 {
		t.Errorf("%d ops, want about 40", len(ops))
	}
	expire, err := time.Parse(ExpireLayout, body["expire"].(string))
	if err != nil {
		t.Fatalf("expire %q: %v", body["expire"], err)
	}
	if !expire.Equal(at.Add(2 * time.Hour)) {
		t.Errorf("expire is %v after the request, want 2h", expire.Sub(at))
	}
	_, again := authenticate(t, s.URL(), credentials(DefaultLogin, DefaultPassword))
	if again["id_session"] == body["id_session"] {
		t.Error("two authentications got the same token")
	}
}

func TestAuthRefuses(t *testing.T) {
	s := startServer(t, Options{Seed: 1, NoTraffic: true, Login: "sup", Password: "secret"})
	cases := []struct {
		name, header string
		status       int
	}{
		{"bad password", credentials("sup", "wrong"), http.StatusForbidden},
		{"bad login", credentials("nobody", "secret"), http.StatusForbidden},
		{"no header", "", http.StatusBadRequest},
		{"not JSON", "{requete: init", http.StatusBadRequest},
		{"wrong requete", `{"requete":"list","header":{"login":"sup","password":"secret","account_type":"supervisor"},"msg":{}}`, http.StatusBadRequest},
		{"agent account", `{"requete":"init","header":{"login":"sup","password":"secret","account_type":"agent"},"msg":{}}`, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := authenticate(t, s.URL(), tc.header)
			if status != tc.status {
				t.Errorf("status %d, want %d (%v)", status, tc.status, body)
			}
			if _, ok := body["id_session"]; ok {
				t.Error("refusal carries an id_session")
			}
			if msg, _ := body["error"].(string); msg == "" {
				t.Errorf("refusal has no error message: %v", body)
			}
		})
	}
	resp, err := http.Get(s.URL() + "/ws/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /ws/: status %d, want 405", resp.StatusCode)
	}
	if st := s.Stats(); st.AuthAttempts != len(cases) || st.AuthFailures != len(cases) {
		t.Errorf("stats %+v, want %d attempts, all failed", st, len(cases))
	}
}
