package config

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestUnsetPasswordVariableIsAnError: a password_env whose variable is
// unset or empty is an error that names the variable (the commands fetch
// the password once at start, so they stop there: see cli's
// tests); Load judges the file, not the environment.
func TestUnsetPasswordVariableIsAnError(t *testing.T) {
	const name = "CALLBOARD_TEST_PASSWORD_CHECK"
	body := "[axialys]\nlogin = \"sup\"\npassword_env = \"" + name + "\"\n"
	path := write(t, body, 0o600)
	cfg, _, err := Load(path)
	if err != nil {
		t.Fatalf("Load judges the file, not the environment: %v", err)
	}
	get := cfg.Axialys.PasswordFunc()

	t.Setenv(name, "")
	os.Unsetenv(name)
	if _, err := get(context.Background()); err == nil || !strings.Contains(err.Error(), "axialys.password_env: environment variable "+name+" is not set") {
		t.Errorf("unset: err = %v", err)
	}
	t.Setenv(name, "")
	if _, err := get(context.Background()); err == nil || !strings.Contains(err.Error(), "environment variable "+name+" is empty") {
		t.Errorf("empty: err = %v", err)
	}
	t.Setenv(name, "s3cret")
	if pw, err := get(context.Background()); err != nil || pw != "s3cret" {
		t.Errorf("set: %q, %v", pw, err)
	}
}
