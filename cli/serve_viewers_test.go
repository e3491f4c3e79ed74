package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"callboard/internal/testkit"
	"callboard/sim"
	"callboard/state"
)

// teamsDirectory is two teams that share nobody: Support (391: Alice,
// Bob) and Ventes (392: Chloé, David).
var teamsDirectory = &sim.Directory{
	Ops: []sim.Op{
		{ID: sim.ID{N: 1}, Nom: "Alice Martin", Groupes: []sim.ID{{N: 391}}},
		{ID: sim.ID{N: 2}, Nom: "Bob Durand", Groupes: []sim.ID{{N: 391}}},
		{ID: sim.ID{N: 3}, Nom: "Chloé Petit", Groupes: []sim.ID{{N: 392}}},
		{ID: sim.ID{N: 4}, Nom: "David Roux", Groupes: []sim.ID{{N: 392}}},
	},
	Groupes: []sim.Named{{ID: sim.ID{N: 391}, Nom: "Support"}, {ID: sim.ID{N: 392}, Nom: "Ventes"}},
	Pauses:  []sim.Pause{{ID: sim.ID{N: 4}, Value: "Déjeuner"}},
	Target:  sim.ID{N: 5207},
}

// sshKey is a key made for a test: its private key's path, its public
// key's authorized_keys line and its fingerprint.
type sshKey struct{ path, line, fingerprint string }

func newSSHKey(t *testing.T, dir, name string) sshKey {
	t.Helper()
	path := filepath.Join(dir, name)
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name+"@test", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	return readSSHKey(t, path)
}

// readSSHKey is the key at path, its public key beside it (.pub).
func readSSHKey(t *testing.T, path string) sshKey {
	t.Helper()
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	k, _, _, _, err := gossh.ParseAuthorizedKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return sshKey{path: path, line: strings.TrimSpace(string(pub)), fingerprint: gossh.FingerprintSHA256(k)}
}

// authorize adds keys to the fixture's authorized_keys (read at each
// login).
func (fx *serveFixture) authorize(t *testing.T, keys ...sshKey) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(fx.dir, "authorized_keys"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, k := range keys {
		fmt.Fprintln(f, k.line)
	}
}

// sshCommand runs command over ssh with key, without a terminal: its
// standard output, standard error and how it ended.
func sshCommand(t *testing.T, key, port string, command ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testkit.Patience)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", sshArgs(key, port, append([]string{"viewer@127.0.0.1"}, command...)...)...)
	cmd.Stdin = strings.NewReader("")
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("ssh %q still running after %v", command, testkit.Patience)
	}
	return out.String(), errs.String(), err
}

// teamEvent is a sim event of the teams' day.
func teamEvent(kind, name string, msg map[string]any) sim.Event {
	return sim.Event{Type: kind, Name: name, Msg: msg}
}

func loginEvent(agent int) sim.Event {
	return teamEvent("UI", "login", map[string]any{"supp": "", "id_operator": agent, "id_client": 3})
}

func waitingEvent(call, queue int, caller string, waited int) sim.Event {
	return teamEvent("queue", "insert_call", map[string]any{"id_call": call, "id_queue": queue, "caller_id_num": caller, "duration_in_queue": waited, "call_duration": 0, "priority": 100})
}

// answeredEvents: agent takes call, waiting in queue, from caller.
func answeredEvents(call, queue, agent int, caller string) []sim.Event {
	return []sim.Event{
		teamEvent("operator", "status", map[string]any{"id_operator": agent, "status": "connected", "id_call": call, "id_queue": queue, "caller_id_num": caller, "call_duration": 0}),
		teamEvent("queue", "connect_call", map[string]any{"id_call": call, "id_queue": queue, "id_operator": agent, "status": "connected", "caller_id_num": caller, "call_duration": 0}),
	}
}

// The teams' day: each team's people, queue and callers, and what the
// other team must never see of them.
var (
	supportSees = []string{"Alice Martin", "Bob Durand", "Support"}
	ventesSees  = []string{"Chloé Petit", "David Roux", "Ventes"}
	// callers, full: a viewer that hides them sees none; masked or not,
	// the other team sees none of its own (their last digits are kept
	// by the mask: "…41", "…52")
	supportCallers = []string{"33611110041", "33611110042", "33611110043", "33611110044"}
	ventesCallers  = []string{"33622220051", "33622220052", "33622220053"}
)

func teamsMorning() []sim.Event {
	evs := []sim.Event{loginEvent(1), loginEvent(2), loginEvent(3), loginEvent(4),
		teamEvent("UI", "pause", map[string]any{"supp": "4", "id_operator": 3, "id_client": 3}),
		waitingEvent(41, 391, supportCallers[0], 12)}
	evs = append(evs, answeredEvents(41, 391, 1, supportCallers[0])...)
	evs = append(evs,
		waitingEvent(51, 392, ventesCallers[0], 40), // abandoned
		teamEvent("queue", "delete_call", map[string]any{"id_call": 51, "id_queue": 392}),
		// two waiting in each queue: waiting_max 1 raised on each
		waitingEvent(42, 391, supportCallers[1], 5), waitingEvent(43, 391, supportCallers[2], 3),
		waitingEvent(52, 392, ventesCallers[1], 7), waitingEvent(53, 392, ventesCallers[2], 2))
	return evs
}

// teamsLater happens while the viewers watch: each team answers a call.
func teamsLater() []sim.Event {
	evs := []sim.Event{waitingEvent(44, 391, supportCallers[3], 9)}
	evs = append(evs, answeredEvents(44, 391, 2, supportCallers[3])...)
	return append(evs, answeredEvents(52, 392, 4, ventesCallers[1])...)
}

// TestServeViewersSeeTheirTeamOnly: two viewers of [[serve.viewers]], a
// team lead per team by their own keys (a key, a fingerprint), watch the
// board over the OpenSSH client through a day; each sees its team, never
// a name or a caller of the other, on every tab and in what `ssh host
// snapshot` and `ssh host report --csv calls` print; the sales lead's
// caller_id hides every number. A key in no viewer sees the whole center,
// unnamed; a viewer's key not in authorized_keys is refused (the viewers
// let nobody in), named in the log; another command is refused. Logins
// and acknowledgements carry the viewer's name.
func TestServeViewersSeeTheirTeamOnly(t *testing.T) {
	t.Parallel()
	requireSSH(t)
	keys := t.TempDir()
	support, sales, outsider := newSSHKey(t, keys, "support"), newSSHKey(t, keys, "sales"), newSSHKey(t, keys, "outsider")
	fx := newServeFixtureWith(t, sim.Options{NoTraffic: true, Directory: teamsDirectory},
		"[[serve.viewers]]\nname = \"support-lead\"\nkeys = [\""+support.line+"\"]\ngroups = [\"391\"]\nstart = \"agents\"\n",
		"[[serve.viewers]]\nname = \"sales\"\nkeys = [\""+sales.fingerprint+"\"]\nqueues = [\"Ventes\"]\ncaller_id = \"hide\"\n",
		"[[serve.viewers]]\nname = \"contractor\"\nkeys = [\""+outsider.fingerprint+"\"]\n",
		"[alerts]\nwaiting_max = 1\n",
		// the wall's pages: one of each team, one of both (each viewer sees its own team's part)
		"[wall]\nrotate_every = \"1h\"\npages = [{ name = \"Ventes\", queues = [\"Ventes\"] }, { queues = [\"Support\", \"392\"] }, { groups = [\"391\"], tab = \"calls\" }]\n")
	fx.authorize(t, support, sales)
	port, log := fx.start(t)
	testkit.Eventually(t, "the simulator streaming", func() bool { return fx.sim.Stats().Streaming == 1 }, log.String)
	pushAll(fx.sim, teamsMorning())

	// the leads log in once serve knows the center (their wall's pages
	// are cut to their scope at login: see pagesWithin)
	whole := startViewer(t, fx.key, port)
	whole.screen.waitFor(t, "Ventes")
	whole.screen.waitFor(t, "Support")
	lead, seller := startViewer(t, support.path, port), startViewer(t, sales.path, port)
	for _, v := range []*sshViewer{lead, seller, whole} {
		v.screen.waitFor(t, "live")
	}
	lead.screen.waitFor(t, "Support")
	lead.screen.waitFor(t, "Pause reason") // the lead's start: the Agents tab
	seller.screen.waitFor(t, "Ventes")
	whole.screen.waitFor(t, "Ventes")
	whole.screen.waitFor(t, "Support")
	waitLog(t, log, "msg=login fingerprint="+support.fingerprint+" viewer=support-lead ", 1)
	waitLog(t, log, "msg=login fingerprint="+sales.fingerprint+" viewer=sales ", 1)
	if strings.Contains(log.String(), "msg=login fingerprint="+readSSHKey(t, fx.key).fingerprint+" viewer=") {
		t.Errorf("a key in no viewer is logged with a viewer's name:\n%s", log)
	}

	pushAll(fx.sim, teamsLater())
	// every tab of each board, drawn once the later calls are in, the
	// first one none starts on
	tabs := []struct{ key, shows string }{{"3", "Avail/Logged in"}, {"2", "Pause reason"}, {"4", "Waited"}, {"5", "Ringing"}, {"6", "Received"}, {"7", "Interval"}, {"1", "Overview"}, {"8", "Subject"}}
	for _, v := range []*sshViewer{lead, seller, whole} {
		for _, tab := range tabs {
			off := len(v.screen.String())
			v.ptmx.WriteString(tab.key)
			v.screen.waitSince(t, off, tab.shows)
		}
	}
	// the Alerts tab: the lead's own queue's alert, once the queue rules
	// are looked at (AlertSettle after the feed went live); x acknowledges
	// it in the lead's name
	acked := `msg="acknowledgement asked" by=support-lead rule=waiting_max queue_id=391`
	testkit.Eventually(t, "the lead's acknowledgement", func() bool {
		if strings.Contains(log.String(), acked) {
			return true
		}
		lead.ptmx.WriteString("x") // until the alert is on the lead's board
		return false
	}, log.String)

	// the wall's pages, each stepped to: a page of the other team is not
	// the viewer's, and a page of both is of the viewer's team only
	for _, c := range []struct {
		v     *sshViewer
		pages int
	}{{lead, 2}, {seller, 2}, {whole, 3}} {
		off := len(c.v.screen.String())
		c.v.ptmx.WriteString("w")
		c.v.screen.waitSince(t, off, fmt.Sprintf("/%d", c.pages))
		for range c.pages {
			off = len(c.v.screen.String())
			c.v.ptmx.WriteString("]")
			c.v.screen.waitSince(t, off, fmt.Sprintf("/%d", c.pages))
		}
		c.v.ptmx.WriteString("w")
	}

	// Bob's later call shows on the lead's board; David's on the seller's
	for _, c := range []struct {
		v    *sshViewer
		name string
	}{{lead, "Bob Durand"}, {seller, "David Roux"}, {whole, "Alice Martin"}, {whole, "Chloé Petit"}} {
		c.v.screen.waitFor(t, c.name)
	}
	leadSaw, sellerSaw := lead.screen.String(), seller.screen.String()
	never := func(who, saw string, names []string) {
		t.Helper()
		for _, n := range names {
			if strings.Contains(saw, n) {
				t.Errorf("%s's terminal got %q, out of its scope", who, n)
			}
		}
	}
	never("support-lead", leadSaw, append(slices.Clone(ventesSees), ventesCallers...))
	never("support-lead", leadSaw, maskedTails(ventesCallers))
	never("sales", sellerSaw, append(slices.Clone(supportSees), supportCallers...))
	never("sales", sellerSaw, append(slices.Clone(ventesCallers), maskedTails(supportCallers)...))

	// ssh host snapshot: the scope's JSON
	for _, c := range []struct {
		who           string
		key           string
		agents, queue []string
		never         []string
	}{
		{"support-lead", support.path, []string{"Alice Martin", "Bob Durand"}, []string{"Support"}, append(slices.Clone(ventesSees), ventesCallers...)},
		{"sales", sales.path, []string{"Chloé Petit", "David Roux"}, []string{"Ventes"}, append(append(slices.Clone(supportSees), supportCallers...), ventesCallers...)},
		{"the whole center", fx.key, []string{"Alice Martin", "Bob Durand", "Chloé Petit", "David Roux"}, []string{"Support", "Ventes"}, nil},
	} {
		out, errs, err := sshCommand(t, c.key, port, "snapshot")
		if err != nil {
			t.Fatalf("ssh %s snapshot: %v: %s", c.who, err, errs)
		}
		var snap state.Snapshot
		if err := json.Unmarshal([]byte(out), &snap); err != nil {
			t.Fatalf("%s's snapshot is not JSON: %v\n%s", c.who, err, out)
		}
		var agents, queues []string
		for _, a := range snap.Agents {
			agents = append(agents, a.Name)
		}
		for _, q := range snap.Queues {
			queues = append(queues, q.Name)
		}
		slices.Sort(agents)
		if !slices.Equal(agents, c.agents) || !slices.Equal(queues, c.queue) {
			t.Errorf("%s's snapshot: agents %q, queues %q; want %q, %q", c.who, agents, queues, c.agents, c.queue)
		}
		never(c.who+" (snapshot)", out, c.never)
	}

	// ssh host report --csv calls: the scope's calls, from the journal
	for _, c := range []struct {
		who, key string
		calls    []string // id, queue, caller
	}{
		{"support-lead", support.path, []string{"41 Support", "42 Support", "43 Support", "44 Support"}},
		{"sales", sales.path, []string{"51 Ventes", "52 Ventes", "53 Ventes"}},
		{"the whole center", fx.key, []string{"41 Support", "42 Support", "43 Support", "44 Support", "51 Ventes", "52 Ventes", "53 Ventes"}},
	} {
		var rows [][]string
		var out string
		testkit.Eventually(t, c.who+"'s report of every call", func() bool {
			var errs string
			var err error
			out, errs, err = sshCommand(t, c.key, port, "report", "--csv", "calls")
			if err != nil {
				t.Fatalf("ssh %s report --csv calls: %v: %s", c.who, err, errs)
			}
			if rows, err = csv.NewReader(strings.NewReader(out)).ReadAll(); err != nil {
				t.Fatalf("%s's report is not CSV: %v\n%s", c.who, err, out)
			}
			return len(rows) == len(c.calls)+1
		}, func() string { return out })
		if rows[0][0] != "id" || rows[0][2] != "queue" || rows[0][3] != "caller" {
			t.Fatalf("%s's report's header: %q", c.who, rows[0])
		}
		var got []string
		for _, r := range rows[1:] {
			got = append(got, r[0]+" "+r[2])
			if c.who == "sales" && r[3] != "" {
				t.Errorf("the sales lead's caller_id hides callers; its report shows %q", r[3])
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, c.calls) {
			t.Errorf("%s's report: calls %q, want %q", c.who, got, c.calls)
		}
	}
	waitLog(t, log, `msg=command fingerprint=`+sales.fingerprint+` viewer=sales remote=`, 2)

	// any other command, or one of these past the bound or with more to
	// it: the one line, a failure; no shell reads it
	for _, command := range [][]string{{"report", "--csv", "agents"}, {"snapshot;", "uptime"}, {"snapshot", "$(uptime)"}, {"snapshot" + strings.Repeat(" ", maxCommandLine)}} {
		out, _, err := sshCommand(t, support.path, port, command...)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || strings.TrimSpace(out) != notABoard("127.0.0.1:"+port) {
			t.Errorf("ssh %q: %v, %q; want the one line and a failure", command, err, out)
		}
	}
	waitLog(t, log, `msg="ssh session refused: no terminal or a command" fingerprint=`+support.fingerprint+" viewer=support-lead", 4)

	// a viewer's key not in authorized_keys: refused, named
	if sshAuthenticates(t, outsider.path, port) {
		t.Error("a viewer's key not in authorized_keys logged in")
	}
	waitLog(t, log, `msg="ssh key refused" fingerprint=`+outsider.fingerprint+" viewer=contractor", 1)
	if !strings.Contains(log.String(), `msg="a viewer's key is not in authorized_keys: it cannot log in until it is added" viewer=contractor fingerprint=`+outsider.fingerprint) ||
		strings.Count(log.String(), "not in authorized_keys") != 1 {
		t.Errorf("serve did not say at start, once, that the contractor's key cannot log in:\n%s", log)
	}

	lead.ptmx.WriteString("q")
	if err := lead.wait(t); err != nil {
		t.Errorf("ssh after q: %v", err)
	}
	waitLog(t, log, "msg=logout fingerprint="+support.fingerprint+" viewer=support-lead ", 1)
}

// maskedTails are callers as the mask leaves them to be found: their
// last two digits after the mask's stars (maskCaller).
func maskedTails(callers []string) []string {
	var out []string
	for _, c := range callers {
		out = append(out, "*"+c[len(c)-2:])
	}
	return out
}
