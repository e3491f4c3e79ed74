package sim

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"time"
)

// ExpireLayout is how the authentication answer writes the token's expiry,
// in UTC, after the vendor's English page.
const ExpireLayout = "2006-01-02T15-04-05.000000+GMT"

// grant is an issued token.
type grant struct {
	expire time.Time
	host   string // the address it was issued to
}

type authRequest struct {
	Requete string `json:"requete"`
	Header  struct {
		Login       string `json:"login"`
		Password    string `json:"password"`
		AccountType string `json:"account_type"`
	} `json:"header"`
}

type authAnswer struct {
	Directory
	IDSession string `json:"id_session"`
	Expire    string `json:"expire"`
}

// handleAuth serves POST /ws/ with the X-JSON header.
func (s *Server) handleAuth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, authError{"method not allowed"})
		return
	}
	host := hostOf(r.RemoteAddr)
	status, answer := s.authenticate(r.Header.Get("X-JSON"), host)
	s.smu.Lock()
	s.stats.AuthAttempts++
	if status != http.StatusOK {
		s.stats.AuthFailures++
	}
	s.smu.Unlock()
	if e, ok := answer.(authError); ok {
		s.logf("sim: auth refused from %s: %d %s", host, status, e.Error)
	} else {
		s.logf("sim: auth ok from %s", host)
	}
	writeJSON(w, status, answer)
}

// authError is the body of a refusal.
type authError struct {
	Error string `json:"error"`
}

func (s *Server) authenticate(header, host string) (int, any) {
	fail := func(status int, msg string) (int, any) { return status, authError{msg} }
	if header == "" {
		return fail(http.StatusBadRequest, "missing X-JSON header")
	}
	var req authRequest
	if err := json.Unmarshal([]byte(header), &req); err != nil {
		return fail(http.StatusBadRequest, "X-JSON header is not valid JSON")
	}
	if req.Requete != "init" {
		return fail(http.StatusBadRequest, `requete must be "init"`)
	}
	if req.Header.AccountType != "supervisor" {
		return fail(http.StatusBadRequest, `account_type must be "supervisor"`)
	}
	if !same(req.Header.Login, s.opts.Login) || !same(req.Header.Password, s.opts.Password) {
		return fail(http.StatusForbidden, "invalid login or password")
	}
	token := newToken()
	now := s.opts.Now()
	expire := now.Add(s.opts.TokenTTL)
	s.smu.Lock()
	for t, g := range s.tokens {
		if !now.Before(g.expire) {
			delete(s.tokens, t)
		}
	}
	s.tokens[token] = grant{expire: expire, host: host}
	s.smu.Unlock()
	return http.StatusOK, authAnswer{
		Directory: s.dir,
		IDSession: token,
		Expire:    expire.UTC().Format(ExpireLayout),
	}
}

func same(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails
	return hex.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// hostOf returns the host part of an address such as 127.0.0.1:5000.
func hostOf(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

// sameHost compares two hosts, taking every loopback address as one.
func sameHost(a, b string) bool {
	if a == b {
		return true
	}
	ia, ib := net.ParseIP(a), net.ParseIP(b)
	return ia != nil && ib != nil && ia.IsLoopback() && ib.IsLoopback()
}
