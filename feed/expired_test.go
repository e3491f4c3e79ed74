package feed

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"callboard/internal/testkit/nodepeer"
)

func TestAnExpiredCertificateIsNamedAsSuch(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	expired := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: expired.Add(-365 * 24 * time.Hour), NotAfter: expired,
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()

	roots := x509.NewCertPool()
	roots.AddCert(cert) // trusted: only its date is wrong
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}, Timeout: 5 * time.Second}
	_, err = Authenticate(context.Background(), client, srv.URL, "x", "y", time.Now())
	var ne *NetError
	if !errors.As(err, &ne) || ne.Fault != FaultTLSExpired {
		t.Fatalf("err = %v, want an expired certificate", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "expired on 2025-03-01 12:00 UTC") || strings.Contains(msg, "authority") {
		t.Errorf("err = %q", msg)
	}
}

func TestTheLoginHeaderIsLatin1SafeForTheNodeServer(t *testing.T) {
	t.Parallel()
	const secret = "sécret€😀"
	srv := nodepeer.Start(t, 4, secret)
	w := watch(t, Config{URL: srv.URL, Login: "demo", Password: password(secret)})
	defer w.stop()
	w.until("the directory of a login with a non-ASCII password", func(m Message) bool {
		if s, ok := m.(*StatusMsg); ok && s.Refused {
			t.Fatalf("refused: %s", s.Reason)
		}
		_, ok := m.(*DirectoryMsg)
		return ok
	})
	for _, in := range []string{`{"p":"é"}`, `{"p":"😀"}`} {
		var a, b any
		if err := json.Unmarshal([]byte(in), &a); err != nil {
			t.Fatal(err)
		}
		out := asciiJSON([]byte(in))
		if err := json.Unmarshal(out, &b); err != nil || a.(map[string]any)["p"] != b.(map[string]any)["p"] {
			t.Errorf("%s became %s", in, out)
		}
		for _, c := range out {
			if c >= 0x80 {
				t.Errorf("%s is not ASCII", out)
				break
			}
		}
	}
}

func TestAHugeLoginAnswerIsRefusedNamed(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"ops":[`))
		chunk := []byte(strings.Repeat(`{"id":1,"nom":"x"},`, 1000))
		for written := 0; written < 2*MaxAuthAnswer; written += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	_, err := Authenticate(context.Background(), srv.Client(), srv.URL, "x", "y", time.Now())
	if err == nil || !strings.Contains(err.Error(), "larger than 8 MB") {
		t.Errorf("err = %v", err)
	}
}
