package sim

import (
	"context"
	"fmt"
	"io"
)

// Run starts a server on addr, prints its address and login to out, serves
// until ctx is done, then closes it.
func Run(ctx context.Context, addr string, opts Options, out io.Writer) error {
	s, err := Start(addr, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Axialys simulator listening on %s (login %q)\n", s.URL(), s.opts.Login)
	<-ctx.Done()
	return s.Close()
}
