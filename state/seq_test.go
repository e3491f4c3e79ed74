package state

import (
	"fmt"
	"testing"

	"callboard/internal/testkit/feedtest"
)

// TestRejectedUpdatesKeepTheSequence: an update the decoder rejects still
// steps the cpt sequence when its cpt can be read, so a rejection is not a
// gap; one whose cpt cannot be read is no step and no gap, and the check
// goes on from the cpt before it.
func TestRejectedUpdatesKeepTheSequence(t *testing.T) {
	t.Parallel()
	good := func(cpt int) string {
		return fmt.Sprintf(`{"cpt":%d,"elapse":0,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`, cpt)
	}
	rejected := map[string]func(cpt int) string{
		"bad duration": func(cpt int) string {
			return fmt.Sprintf(`{"cpt":%d,"elapse":-5,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`, cpt)
		},
		"bad ts before cpt": func(cpt int) string {
			return fmt.Sprintf(`{"ts":"soon","cpt":"%d","event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`, cpt)
		},
		"bad msg field": func(cpt int) string {
			return fmt.Sprintf(`{"cpt":%d,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":[1]}}}`, cpt)
		},
		"missing event": func(cpt int) string { return fmt.Sprintf(`{"cpt":%d}`, cpt) },
	}
	unreadable := map[string]string{
		"cpt not a number": `{"cpt":"two","event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`,
		"cpt an array":     `{"elapse":-5,"cpt":[2],"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`,
		"cpt missing":      `{"ts":"soon","event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`,
		"cpt then bad cpt": `{"cpt":2,"elapse":-5,"cpt":true}`,
		"not JSON":         `{"cpt":2,"event":{"type_notification":"UI"`,
		"cpt null":         `{"cpt":null,"elapse":-5,"event":{"type_notification":"UI","event":"login","msg":{"id_operator":1}}}`,
	}
	run := func(t *testing.T, payloads ...string) FeedHealth {
		t.Helper()
		b := New(Options{}, t0)
		for _, raw := range payloads {
			b.Apply(feedtest.Event(t0, raw), t0)
		}
		return b.Feed()
	}
	for name, bad := range rejected {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if f := run(t, good(1), bad(2), good(3)); f.Gaps != 0 || f.Rejected != 1 || f.LastSeq != 3 {
				t.Errorf("1, 2 rejected, 3: %d gaps, %d rejected, last %d; want 0, 1, 3", f.Gaps, f.Rejected, f.LastSeq)
			}
			if f := run(t, good(1), bad(2), good(4)); f.Gaps != 1 {
				t.Errorf("1, 2 rejected, 4: %d gaps, want 1", f.Gaps)
			}
			if f := run(t, good(1), bad(3), good(5)); f.Gaps != 2 {
				t.Errorf("1, 3 rejected, 5: %d gaps, want 2", f.Gaps)
			}
		})
	}
	for name, raw := range unreadable {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if f := run(t, good(1), raw, good(2), good(3)); f.Gaps != 0 || f.Rejected != 1 || f.LastSeq != 3 {
				t.Errorf("1, unreadable, 2, 3: %d gaps, %d rejected, last %d; want 0, 1, 3", f.Gaps, f.Rejected, f.LastSeq)
			}
			if f := run(t, good(1), raw, good(2), good(4)); f.Gaps != 1 {
				t.Errorf("1, unreadable, 2, 4: %d gaps, want 1", f.Gaps)
			}
			if f := run(t, raw, good(5), good(6)); f.Gaps != 0 {
				t.Errorf("unreadable, 5, 6: %d gaps, want 0", f.Gaps)
			}
		})
	}
}
