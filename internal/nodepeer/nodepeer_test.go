package nodepeer

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestOnlyTestsImportIt: no package of the program imports the peer; only
// tests do.
func TestOnlyTestsImportIt(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...")
	cmd.Dir = root(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if slices.Contains(fields[1:], "callboard/internal/nodepeer") {
			t.Errorf("%s imports callboard/internal/nodepeer, which is for tests only", fields[0])
		}
	}
}
