package feed

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Socket.IO server generations callboard speaks.
const (
	ProtocolV2 = "v2" // Socket.IO 2.x, Engine.IO protocol 3
	ProtocolV4 = "v4" // Socket.IO 3.x and 4.x, Engine.IO protocol 4
)

// Handshake is what an Engine.IO server says when a client opens a session.
type Handshake struct {
	Protocol     string // ProtocolV2 or ProtocolV4
	SID          string
	Upgrades     []string
	PingInterval time.Duration
	PingTimeout  time.Duration
}

var eio3Frame = regexp.MustCompile(`^[0-9]+:0\{`)

// Probe opens one Engine.IO 4 polling handshake and tells, from the shape of
// the answer, which generation the server runs: an Engine.IO 4 server
// answers `0{…}`, an Engine.IO 3 server frames its answer as `97:0{…}`.
func Probe(ctx context.Context, client *http.Client, baseURL, path string) (Handshake, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return Handshake{}, fmt.Errorf("probe: bad url %q: %v", baseURL, err)
	}
	u.Path = path
	u.RawQuery = url.Values{"EIO": {"4"}, "transport": {"polling"}, "t": {fmt.Sprint(time.Now().UnixNano())}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Handshake{}, fmt.Errorf("probe: %v", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return Handshake{}, fmt.Errorf("probe: %w", describeRequestError(err, client, req))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return Handshake{}, fmt.Errorf("probe: reading the answer: %w", describeNetError(err))
	}
	if resp.StatusCode != http.StatusOK {
		return Handshake{}, fmt.Errorf("probe: HTTP %d from %s: %s", resp.StatusCode, u.Path, serverWords(body))
	}
	text := string(body)
	var h Handshake
	switch {
	case strings.HasPrefix(text, "0{"):
		h.Protocol = ProtocolV4
		text = text[1:]
	case eio3Frame.MatchString(text):
		h.Protocol = ProtocolV2
		text = text[strings.IndexByte(text, ':')+2:]
	default:
		return Handshake{}, fmt.Errorf("probe: %s does not answer as a Socket.IO server: %s", u.Path, serverWords(body))
	}
	var open struct {
		SID          string   `json:"sid"`
		Upgrades     []string `json:"upgrades"`
		PingInterval int64    `json:"pingInterval"`
		PingTimeout  int64    `json:"pingTimeout"`
	}
	if err := json.NewDecoder(strings.NewReader(text)).Decode(&open); err != nil {
		return Handshake{}, fmt.Errorf("probe: unreadable open packet: %v", err)
	}
	h.SID, h.Upgrades = open.SID, open.Upgrades
	h.PingInterval = time.Duration(open.PingInterval) * time.Millisecond
	h.PingTimeout = time.Duration(open.PingTimeout) * time.Millisecond
	return h, nil
}
