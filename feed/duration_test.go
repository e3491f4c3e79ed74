package feed

import (
	"strings"
	"testing"
	"time"
)

func TestAbsurdDurationsAreRejected(t *testing.T) {
	t.Parallel()
	queue := func(top, msg string) string {
		return `{"ts":1547651821,"cpt":1,` + top + `"event":{"type_notification":"queue","event":"insert_call","msg":{"id_queue":1,"id_call":"c"` + msg + `}}}`
	}
	for _, c := range []struct {
		name, raw, detail string
	}{
		{"duration_in_queue 1e300", queue(`"elapse":0,`, `,"duration_in_queue":1e300`), "duration_in_queue: 1e+300 s is beyond 24 h"},
		{"duration_in_queue 9.3e9", queue(`"elapse":0,`, `,"duration_in_queue":9.3e9`), "duration_in_queue: 9.3e+09 s is beyond 24 h"},
		{"duration_in_queue negative", queue(`"elapse":0,`, `,"duration_in_queue":-3`), "duration_in_queue: -3 s is negative"},
		{"duration_in_queue Infinity", queue(`"elapse":0,`, `,"duration_in_queue":"Infinity"`), "duration_in_queue: not a finite number"},
		{"duration_in_queue NaN", queue(`"elapse":0,`, `,"duration_in_queue":"NaN"`), "duration_in_queue: not a finite number"},
		{"elapse 1e12", queue(`"elapse":1e12,`, ``), "elapse: 1e+12 s is beyond 24 h"},
		{"elapse Infinity", queue(`"elapse":"Infinity",`, ``), "elapse: not a finite number"},
		{"elapse negative", queue(`"elapse":-1,`, ``), "elapse: -1 s is negative"},
		{"elapse without msg", `{"elapse":"-Infinity","event":{"type_notification":"UI","event":"login"}}`, "elapse: not a finite number"},
		{"call_duration", `{"elapse":0,"event":{"type_notification":"operator","event":"status","msg":{"id_operator":1,"call_duration":86401}}}`, "call_duration: 86401 s is beyond 24 h"},
	} {
		for name, decode := range map[string]func([]byte) (Update, *DecodeError){"fast": Decode, "reference": decodeReference} {
			_, err := decode([]byte(c.raw))
			if err == nil || err.Reason != "bad duration" || err.Detail != c.detail {
				t.Errorf("%s (%s): %v, want bad duration: %s", c.name, name, err, c.detail)
			}
		}
	}
	// A day exactly, and the usual figures, pass.
	for _, raw := range []string{
		queue(`"elapse":86400,`, `,"duration_in_queue":86400`),
		queue(`"elapse":0.25,`, `,"duration_in_queue":"12"`),
	} {
		u, err := Decode([]byte(raw))
		if err != nil {
			t.Errorf("%s: %v", raw, err)
		}
		if u.Elapse > 24*time.Hour || !strings.Contains(raw, "elapse") {
			t.Errorf("%s: elapse %v", raw, u.Elapse)
		}
	}
}
