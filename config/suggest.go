package config

import (
	"encoding"
	"reflect"
	"strings"
)

// keyFields is the tree of the keys a configuration file may hold,
// read from Config's toml tags: a table's keys by name, a map's as "*".
type keyFields map[string]keyFields

var knownKeys = fieldsOf(reflect.TypeOf(Config{}))

var textUnmarshaler = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()

// fieldsOf is the keys under a value of type t: nil for a value that is a
// key's own (a string, a duration, a list).
func fieldsOf(t reflect.Type) keyFields {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		fields := keyFields{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				// an embedded table's keys are its container's (toml's inline)
				for k, v := range fieldsOf(f.Type) {
					fields[k] = v
				}
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			fields[name] = fieldsOf(f.Type)
		}
		return fields
	case reflect.Map:
		return keyFields{"*": fieldsOf(t.Elem())}
	}
	return nil
}

// didYouMean is the key nearest to key, an unknown key of the file, that
// the file may hold: its first unknown part replaced by the known name
// nearest to it (at most two letters apart, and fewer than half of its
// letters); "" when none is near.
func didYouMean(key []string) string {
	fields := knownKeys
	for i, part := range key {
		if next, ok := fields[part]; ok {
			fields = next
			continue
		}
		if next, ok := fields["*"]; ok {
			fields = next
			continue
		}
		best, bestDistance := "", 3
		for name := range fields {
			if d := editDistance(strings.ToLower(part), name); d < bestDistance || (d == bestDistance && name < best) {
				best, bestDistance = name, d
			}
		}
		if best == "" || 2*bestDistance >= len(part) {
			return ""
		}
		return strings.Join(append(append([]string{}, key[:i]...), best), ".")
	}
	return ""
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
