package config

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestUnsetPasswordVariableIsAnErrorAtStart: a password_env whose
// variable is unset or empty is reported before any login, with the
// variable's name and the file; a password_command is not run for it.
func TestUnsetPasswordVariableIsAnErrorAtStart(t *testing.T) {
	const name = "CALLBOARD_TEST_PASSWORD_CHECK"
	body := "[axialys]\nlogin = \"sup\"\npassword_env = \"" + name + "\"\n"
	path := write(t, body, 0o600)
	cfg, _, err := Load(path)
	if err != nil {
		t.Fatalf("Load judges the file, not the environment: %v", err)
	}

	t.Setenv(name, "")
	os.Unsetenv(name)
	err = cfg.CheckPassword()
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "axialys.password_env: environment variable "+name+" is not set") {
		t.Errorf("unset: err = %v", err)
	}
	if _, ferr := cfg.Axialys.PasswordFunc()(context.Background()); ferr == nil || !strings.Contains(ferr.Error(), name+" is not set") {
		t.Errorf("unset, at login: err = %v", ferr)
	}

	t.Setenv(name, "")
	if err := cfg.CheckPassword(); err == nil || !strings.Contains(err.Error(), "environment variable "+name+" is empty") {
		t.Errorf("empty: err = %v", err)
	}

	t.Setenv(name, "s3cret")
	if err := cfg.CheckPassword(); err != nil {
		t.Errorf("set: err = %v", err)
	}

	command, _, err := Load(write(t, "[axialys]\nlogin = \"sup\"\npassword_command = \"exit 1\"\n", 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if err := command.CheckPassword(); err != nil {
		t.Errorf("password_command was judged at start: %v", err)
	}
}
