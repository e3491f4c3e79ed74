package sim

import (
	"encoding/json"
	"net/http"
	"testing"
)

func startServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// authenticate posts the X-JSON header and returns the status and the body.
func authenticate(t *testing.T, url, header string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/ws/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if header != "" {
		req.Header.Set("X-JSON", header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("status %d: body is not JSON: %v", resp.StatusCode, err)
	}
	return resp.StatusCode, body
}

func credentials(login, password string) string {
	b, _ := json.Marshal(map[string]any{
		"requete": "init",
		"header":  map[string]string{"login": login, "password": password, "account_type": "supervisor"},
		"msg":     map[string]any{},
	})
	return string(b)
}

// login authenticates with the default credentials and returns target and token.
func login(t *testing.T, s *Server) (target any, token string) {
	t.Helper()
	status, body := authenticate(t, s.URL(), credentials(DefaultLogin, DefaultPassword))
	if status != http.StatusOK {
		t.Fatalf("auth: status %d, %v", status, body)
	}
	return body["target"], body["id_session"].(string)
}
