package harness

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect"
	"github.com/wabcheck/wabcheck/internal/dialect/modica"
	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicaspec"
)

// writeKeyPair writes a self-signed certificate for 127.0.0.1 and its key
// as PEM files and returns their paths and the certificate.
func writeKeyPair(t *testing.T) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "wabcheck test"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cb.pem"), filepath.Join(dir, "cb-key.pem")
	for path, block := range map[string]*pem.Block{certFile: {Type: "CERTIFICATE", Bytes: der}, keyFile: {Type: "EC PRIVATE KEY", Bytes: kder}} {
		if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cert, err = x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

// startHarness starts a Modica harness for o, closed at the test's end.
func startHarness(t *testing.T, o Options) *Harness {
	t.Helper()
	o.Dialect, o.Doc = modica.New(), modicaspec.MustDoc()
	h, err := Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close(context.Background()) })
	return h
}

// TestReceiverServesTLSFromLoadedKeyPair: with --callback-tls-cert/-key the
// receiver answers https with that certificate (it used to be handed to
// ServeTLS, whose error was dropped).
func TestReceiverServesTLSFromLoadedKeyPair(t *testing.T) {
	certFile, keyFile, cert := writeKeyPair(t)
	h := startHarness(t, Options{Target: "http://127.0.0.1:1/rest/wab/v1", Credentials: dialect.Credentials{User: "u", Password: "p"},
		CallbackTLSCert: certFile, CallbackTLSKey: keyFile})
	u, err := url.Parse(h.CallbackURLs["status"])
	if err != nil || u.Scheme != "https" {
		t.Fatalf("status URL %q: want https", h.CallbackURLs["status"])
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	resp, err := client.Get("https://" + u.Host + "/status")
	if err != nil {
		t.Fatalf("GET over https: %v", err)
	}
	_ = resp.Body.Close()
}

// failingListener fails every Accept, as a listener whose socket died.
type failingListener struct{ net.Listener }

func (failingListener) Accept() (net.Conn, error) { return nil, errors.New("accept: socket gone") }

// TestServeErrorIsNotDropped: a server that stops serving on its own is
// reported (the run then fails) instead of being ignored.
func TestServeErrorIsNotDropped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	h := &Harness{}
	h.serve("callback receiver", failingListener{ln}, http.NotFoundHandler())
	deadline := time.Now().Add(10 * time.Second)
	for len(h.Errs()) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if err := h.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	errs := h.Errs()
	if len(errs) != 1 || !strings.Contains(errs[0], "callback receiver stopped serving: accept: socket gone") {
		t.Errorf("errs() = %q, want the receiver's accept error", errs)
	}
}

// TestCloseDoesNotWaitOnUnusedConnections: closing the harness used to
// http.Server.Shutdown the simulator, which waits up to 5 s on a
// connection dialed but never used (the run's client leaves such
// connections in its pool), so every run ended with a 3 s stall. Now the
// client drops its idle connections and the servers close at once.
func TestCloseDoesNotWaitOnUnusedConnections(t *testing.T) {
	h := startHarness(t, Options{})
	resp, err := h.Client.Get(h.BaseURL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	u, _ := url.Parse(h.BaseURL)
	unused, err := net.Dial("tcp", u.Host) // connected, never sends a request
	if err != nil {
		t.Fatal(err)
	}
	defer unused.Close()
	if err := h.Close(context.Background()); err != nil {
		t.Fatalf("close: %v", err)
	}
	// A bound, not a speed check: before the fix the server kept the
	// connection open for 5 s after Shutdown gave up.
	_ = unused.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := unused.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("unused connection after close: read %v, want it closed by the server", err)
	}
}
