package state

import "testing"

// TestAudienceKeysAreEqualOnlyForTheSameAudience: texts holding the
// bytes a naive key would separate fields with do not make two audiences'
// keys alike (the hub would then share one's views with the other).
func TestAudienceKeysAreEqualOnlyForTheSameAudience(t *testing.T) {
	audiences := []Audience{
		{Scope: Scope{Name: "a\x01\x00b", Queues: []string{"c"}}},
		{Scope: Scope{Name: "a", Queues: []string{"b\x01\x00c"}}},
		{Scope: Scope{Name: "a", Queues: []string{"b", "c"}}},
		{Scope: Scope{Name: "a", Queues: []string{"b,c"}}},
		{Scope: Scope{Name: "a", Queues: []string{"b"}, Groups: []string{"c"}}},
		{Scope: Scope{Name: "a", Groups: []string{"b", "c"}}},
		{Scope: Scope{Name: "1:a", Queues: []string{"b"}}},
		{Scope: Scope{Name: "a", Queues: []string{"b"}}, CallerID: CallerHide},
		{Scope: Scope{Queues: []string{"1:a"}}},
		{CallerID: CallerHide},
	}
	seen := map[string]int{}
	for i, a := range audiences {
		k := a.Key()
		if k == "" {
			t.Errorf("audience %d (%+v) has the whole board's key", i, a)
		}
		if j, ok := seen[k]; ok {
			t.Errorf("audiences %d (%+v) and %d (%+v) share the key %q", j, audiences[j], i, a, k)
		}
		seen[k] = i
	}
	same := Audience{Scope: Scope{Name: "a", Queues: []string{"c", "b", "c"}}}
	if same.Key() != audiences[2].Key() {
		t.Errorf("the same queues in another order, one twice, have another key: %q vs %q", same.Key(), audiences[2].Key())
	}
	if (Audience{}).Key() != "" {
		t.Errorf("the whole board's key is %q, want none", Audience{}.Key())
	}
}
