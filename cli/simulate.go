package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"callboard/sim"
)

// simulateCommand runs the simulator alone, for another client.
func simulateCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("callboard simulate", "")
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	seed := fs.Int64("seed", 1, "seed of the simulated traffic")
	login := fs.String("login", sim.DefaultLogin, "login the simulator accepts")
	blast := fs.Int("blast", 0, "instead of the simulated call center, send this many updates as fast as possible after the first init")
	if err := parseArgs(fs, args, false, stdout, stderr); err != nil {
		return err
	}
	if *blast < 0 {
		return usageError(fmt.Errorf("--blast %d: want a count of updates, 0 for the simulated call center", *blast))
	}
	password := os.Getenv("CALLBOARD_SIM_PASSWORD")
	if password == "" {
		password = sim.DefaultPassword
	}
	opts := sim.Options{Seed: *seed, Login: *login, Password: password, NoTraffic: *blast > 0}
	srv, err := sim.Start(*listen, opts)
	if err != nil { // an address the user gave, as every command's listen address
		return usageError(err)
	}
	defer srv.Close()
	if *blast == 0 {
		fmt.Fprintf(stdout, "Axialys simulator listening on %s (login %q)\n", srv.URL(), opts.Login)
		<-ctx.Done()
		return nil
	}
	fmt.Fprintf(stdout, "callboard simulate: %s, login %q: %d updates to the first client that inits\n", srv.URL(), opts.Login, *blast)
	if err := srv.Blast(ctx, *blast); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	<-ctx.Done()
	return nil
}
