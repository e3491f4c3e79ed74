package feed

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"syscall"
)

// describeNetError names what went wrong on the way to the server in the
// words a person checks things with: DNS, refused connection, TLS, timeout.
func describeNetError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var opErr *net.OpError
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Errorf("cannot resolve %s (DNS): %v", dnsErr.Name, dnsErr.Err)
	case errors.As(err, &unknownAuthority), errors.As(err, &hostErr), errors.As(err, &invalid), errors.As(err, &certErr):
		return fmt.Errorf("TLS certificate not accepted: %v", err)
	case errors.As(err, &recordErr):
		return fmt.Errorf("TLS handshake failed (is the server speaking plain HTTP?): %v", err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("connection refused by %s", opAddr(err))
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), isTimeout(err):
		return fmt.Errorf("no answer in time from %s (timeout)", opAddr(err))
	case errors.Is(err, syscall.ECONNRESET):
		return fmt.Errorf("connection reset by %s", opAddr(err))
	case errors.As(err, &opErr):
		return fmt.Errorf("network error: %v", opErr)
	}
	return err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func opAddr(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Addr != nil {
		return opErr.Addr.String()
	}
	return "the server"
}
