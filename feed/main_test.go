package feed

import (
	"os"
	"testing"

	"callboard/internal/testkit"
)

// TestMain removes the callboard binary the ingest benchmarks built.
func TestMain(m *testing.M) {
	code := m.Run()
	testkit.RemoveBinary()
	os.Exit(code)
}
