package testkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// DifferentFields names the fields of want and got, two structs of one
// type, that differ, each with both values: what a test that compares two
// views field by field says. same compares two fields' values; nil is
// reflect.DeepEqual. Unexported fields (what a view keeps for View.For)
// are not compared: the exported ones derive from the same state.
func DifferentFields(want, got any, same func(want, got any) bool) []string {
	if same == nil {
		same = reflect.DeepEqual
	}
	wv, gv := reflect.ValueOf(want), reflect.ValueOf(got)
	var diffs []string
	for i := range wv.NumField() {
		if !wv.Type().Field(i).IsExported() {
			continue
		}
		if w, g := wv.Field(i).Interface(), gv.Field(i).Interface(); !same(w, g) {
			diffs = append(diffs, fmt.Sprintf("%s differs:\nwant %+v\ngot  %+v", wv.Type().Field(i).Name, w, g))
		}
	}
	return diffs
}

// SameJSON is a comparison for DifferentFields: two values are the same
// when JSON writes them alike (times by instant and offset, whatever
// their location: the lines of a journal are read in fixed zones, a
// board's checkpoint gives its own zone back).
func SameJSON(t testing.TB) func(want, got any) bool {
	return func(want, got any) bool {
		wj, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		gj, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Equal(wj, gj)
	}
}

// CopyFiles copies the files of directory from whose names match one of
// patterns (filepath.Match) into a new directory of the test's, 0700, each
// 0600, and returns it.
func CopyFiles(t testing.TB, from string, patterns ...string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), filepath.Base(from))
	if err := os.Mkdir(to, 0o700); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, pattern := range patterns {
		matched, err := filepath.Glob(filepath.Join(from, pattern))
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, matched...)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err == nil {
			err = os.WriteFile(filepath.Join(to, filepath.Base(name)), data, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return to
}
