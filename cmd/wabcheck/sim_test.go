package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wabcheck/wabcheck/internal/dialect/modica/modicasim"

	"github.com/spf13/pflag"

	"github.com/wabcheck/wabcheck/internal/sim"
)

// simBuffer is a bytes.Buffer safe for the simulator's goroutines to write
// while the test reads.
type simBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *simBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *simBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSimBadFlagsExit2 checks every bad value is a usage error: exit 2, one
// stderr line naming the flag, nothing on stdout, no server started.
func TestSimBadFlagsExit2(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = busy.Close() })
	badYAML := filepath.Join(t.TempDir(), "faults.yaml")
	if err := os.WriteFile(badYAML, []byte("- name: no-such-fault\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	misspelt := filepath.Join(t.TempDir(), "misspelt.yaml")
	if err := os.WriteFile(misspelt, []byte("- name: dlr-drop\n  ratioo: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		flag string
	}{
		{[]string{"--listen", "bad"}, "--listen"},
		{[]string{"--listen", busy.Addr().String()}, "--listen"},
		{[]string{"--rate-limit", "-1"}, "--rate-limit"},
		{[]string{"--rate-limit", "101"}, "--rate-limit"},
		{[]string{"--rate-limit", "ten"}, "--rate-limit"},
		{[]string{"--rate-burst", "-1"}, "--rate-burst"},
		{[]string{"--fault", "no-such-fault"}, "--fault"},
		{[]string{"--fault", "dlr-drop=2"}, "--fault"},
		{[]string{"--fault", "dlr-drop=x"}, "--fault"},
		{[]string{"--faults", "missing.yaml"}, "--faults"},
		{[]string{"--faults", badYAML}, "--faults"},
		{[]string{"--faults", misspelt}, "ratioo"},
		{[]string{"--faults", "/dev/zero"}, "--faults"},
		{[]string{"--status-callback-url", "not-a-url"}, "--status-callback-url"},
		{[]string{"--reply-callback-url", "ftp://127.0.0.1/reply"}, "--reply-callback-url"},
		{[]string{"--callback-ca", "missing.pem"}, "--callback-ca"},
		{[]string{"--callback-workers", "0"}, "--callback-workers"},
		{[]string{"--callback-queue", "0"}, "--callback-queue"},
		{[]string{"--callback-attempts", "0"}, "--callback-attempts"},
		{[]string{"--callback-timeout", "0s"}, "--callback-timeout"},
		{[]string{"--submit-delay", "-1s"}, "--submit-delay"},
		{[]string{"--send-delay", "-1s"}, "--send-delay"},
		{[]string{"--dlr-delay", "-1s"}, "--dlr-delay"},
		{[]string{"--read-delay", "-1s"}, "--read-delay"},
		{[]string{"--jitter", "-1s"}, "--jitter"},
		{[]string{"--dlr-statuses", "delivered"}, "--dlr-statuses"},
		{[]string{"--read-ratio", "1.5"}, "--read-ratio"},
		{[]string{"--fail-ratio", "-0.1"}, "--fail-ratio"},
		{[]string{"--reject-ratio", "2"}, "--reject-ratio"},
		{[]string{"--expire-ratio", "2"}, "--expire-ratio"},
		{[]string{"--fail-ratio", "0.6", "--reject-ratio", "0.6"}, "--fail-ratio"},
		{[]string{"--error-burst", "0"}, "--error-burst"},
		{[]string{"--latency-spike", "-1s"}, "--latency-spike"},
		{[]string{"--late-dlr-delay", "-1s"}, "--late-dlr-delay"},
		{[]string{"--message-ttl", "0s"}, "--message-ttl"},
		{[]string{"--max-messages", "0"}, "--max-messages"},
		{[]string{"--drain-timeout", "-1s"}, "--drain-timeout"},
		{[]string{"--log-format", "xml"}, "--log-format"},
		{[]string{"--log-level", "loud"}, "--log-level"},
		{[]string{"--spec", "missing-spec.yaml"}, "--spec"},
		{[]string{"--no-such-flag"}, "--no-such-flag"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			// A case that wrongly starts serving ends with the deadline
			// (and fails on its exit code) instead of hanging the test.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var stdout, stderr simBuffer
			code := run(ctx, append([]string{"sim"}, tc.args...), &stdout, &stderr)
			out, errOut := stdout.String(), stderr.String()
			if code != exitUsage {
				t.Errorf("exit %d, want %d (stderr %q)", code, exitUsage, errOut)
			}
			if !strings.HasPrefix(errOut, "wabcheck: ") || strings.Count(errOut, "\n") != 1 {
				t.Errorf("stderr %q is not one wabcheck: line", errOut)
			}
			if !strings.Contains(errOut, tc.flag) {
				t.Errorf("stderr %q does not name %s", errOut, tc.flag)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
		})
	}
}

// TestSimBadURLNeverEchoesPassword: a malformed callback URL is reported
// without the credentials it carries.
func TestSimBadURLNeverEchoesPassword(t *testing.T) {
	code, _, errOut := runCLI(t, "sim", "--status-callback-url", "http://u:s3cr%zz@127.0.0.1/status")
	if code != exitUsage || !strings.Contains(errOut, "--status-callback-url") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(errOut, "s3cr") {
		t.Errorf("stderr %q echoes the password", errOut)
	}
}

// TestSimFaultsListsCatalogue: `sim faults` prints every fault's name with
// what it does and the conformant behaviour.
func TestSimFaultsListsCatalogue(t *testing.T) {
	code, out, errOut := runCLI(t, "sim", "faults")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	all, err := sim.Faults(modicasim.New())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 || len(lines) != len(all)+1 {
		t.Fatalf("%d lines for %d faults:\n%s", len(lines), len(all), out)
	}
	if !strings.HasPrefix(lines[0], "NAME") {
		t.Errorf("header %q", lines[0])
	}
	for i, f := range all {
		l := lines[i+1]
		if !strings.HasPrefix(l, f.Name+" ") || !strings.Contains(l, f.Does) || !strings.HasSuffix(l, f.Conformant) {
			t.Errorf("line %q does not list %+v", l, f)
		}
	}
}

// TestSimDocFaultTableMatchesCatalogue keeps the table in
// docs/simulator.md, which says `sim faults` prints it, in step.
func TestSimDocFaultTableMatchesCatalogue(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "simulator.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\| (.+) \\| (.+) \\|$")
	got := map[string][2]string{}
	for _, m := range row.FindAllStringSubmatch(string(data), -1) {
		got[m[1]] = [2]string{strings.ReplaceAll(m[2], "`", ""), strings.ReplaceAll(m[3], "`", "")}
	}
	all, err := sim.Faults(modicasim.New())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		if g, ok := got[f.Name]; !ok {
			t.Errorf("docs/simulator.md: no fault table row for %s", f.Name)
		} else if g != [2]string{f.Does, f.Conformant} {
			t.Errorf("docs/simulator.md row %s = %q,\n want %q", f.Name, g, [2]string{f.Does, f.Conformant})
		}
	}
}

// TestSimHelpExamplesCoverEveryFlag: every flag of `sim` appears in its
// Example, and the subcommands have examples too.
func TestSimHelpExamplesCoverEveryFlag(t *testing.T) {
	c := newSimCmd()
	c.LocalFlags().VisitAll(func(f *pflag.Flag) {
		if f.Name != "help" && !strings.Contains(c.Example, "--"+f.Name+" ") && !strings.HasSuffix(c.Example, "--"+f.Name) {
			t.Errorf("sim Example does not use --%s", f.Name)
		}
	})
	for _, args := range [][]string{{"sim", "--help"}, {"sim", "faults", "--help"}, {"sim", "receive", "--help"}} {
		code, out, _ := runCLI(t, args...)
		if code != exitOK || !strings.Contains(out, "Examples:") || !strings.Contains(out, "  wabcheck sim") {
			t.Errorf("%v: exit %d, no examples:\n%s", args, code, out)
		}
	}
}

// simCallback is one callback the test receiver got.
type simCallback struct {
	path, user, pass string
	basic            bool
	body             map[string]any
}

// newSimReceiver starts a loopback receiver (https with its own CA when
// useTLS) answering status; it reports every callback on the channel.
func newSimReceiver(t *testing.T, status int, useTLS bool) (*httptest.Server, <-chan simCallback) {
	t.Helper()
	got := make(chan simCallback, 256)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cb := simCallback{path: r.URL.Path}
		cb.user, cb.pass, cb.basic = r.BasicAuth()
		_ = json.NewDecoder(r.Body).Decode(&cb.body)
		select {
		case got <- cb:
		default:
		}
		w.WriteHeader(status)
	}))
	if useTLS {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, got
}

// startSim runs `wabcheck sim args...` on a free loopback port until the
// returned cancel; it returns the API base URL once healthz answers, and a
// channel with the exit code.
func startSim(t *testing.T, stdout, stderr *simBuffer, args ...string) (api string, cancel context.CancelFunc, code <-chan int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	argv := append([]string{"sim", "--listen", "127.0.0.1:0", "--user", "acme", "--password", "sim-s3cret"}, args...)
	go func() { done <- run(ctx, argv, stdout, stderr) }()
	serving := regexp.MustCompile(`serving (http://127\.0\.0\.1:\d+/rest/wab/v1) `)
	deadline := time.Now().Add(10 * time.Second)
	for api == "" || !simHealthy(api) {
		if m := serving.FindStringSubmatch(stdout.String()); m != nil {
			api = m[1]
		}
		select {
		case c := <-done:
			t.Fatalf("sim exited %d before serving; stderr:\n%s", c, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("sim not healthy within 10s; stdout %q stderr:\n%s", stdout.String(), stderr.String())
		}
	}
	return api, cancel, done
}

// simCall makes a request of the simulator these tests start, with its
// credentials (and a JSON body when body is not empty).
func simCall(method, url, body string) (*http.Response, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.SetBasicAuth("acme", "sim-s3cret")
	return http.DefaultClient.Do(req)
}

func simHealthy(api string) bool {
	resp, err := simCall(http.MethodGet, api+"/healthz", "")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// simSend posts a text message and returns its message_id.
func simSend(t *testing.T, api, destination string) string {
	t.Helper()
	body := `{"destination":"` + destination + `","type":"text","text":{"body":"Hello"},"reference":"order-42"}`
	resp, err := simCall(http.MethodPost, api+"/messages", body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		MessageID string `json:"message_id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode != http.StatusAccepted || r.MessageID == "" {
		t.Fatalf("send: status %d, body %+v, err %v", resp.StatusCode, r, err)
	}
	return r.MessageID
}

// waitExit waits for the sim's exit code after cancel.
func waitExit(t *testing.T, code <-chan int, stderr *simBuffer) int {
	t.Helper()
	select {
	case c := <-code:
		return c
	case <-time.After(20 * time.Second):
		t.Fatalf("sim did not exit within 20s of cancel; stderr:\n%s", stderr.String())
	}
	return -1
}

// TestSimRunDeliversDLRWithURLCredentials is the end-to-end path of
// docs/simulator.md: start, send with Basic auth, receive the DLRs at a URL
// carrying credentials, shut down with a drain, and never log a password.
func TestSimRunDeliversDLRWithURLCredentials(t *testing.T) {
	recv, got := newSimReceiver(t, http.StatusOK, false)
	statusURL := "http://u:p%40ss@" + strings.TrimPrefix(recv.URL, "http://") + "/status"
	var stdout, stderr simBuffer
	api, cancel, code := startSim(t, &stdout, &stderr, "--status-callback-url", statusURL, "--seed", "1")
	defer cancel()

	id := simSend(t, api, "+64211234567")
	var statuses []string
	deadline := time.After(10 * time.Second)
	for len(statuses) == 0 || statuses[len(statuses)-1] != "received" {
		select {
		case cb := <-got:
			if cb.path != "/status" || !cb.basic || cb.user != "u" || cb.pass != "p@ss" {
				t.Fatalf("callback %s: basic auth %v %q/%q, want u/p@ss", cb.path, cb.basic, cb.user, cb.pass)
			}
			if cb.body["id"] != id || cb.body["reference"] != "order-42" {
				t.Fatalf("DLR %v, want id %s reference order-42", cb.body, id)
			}
			statuses = append(statuses, cb.body["status"].(string))
		case <-deadline:
			t.Fatalf("DLRs so far %v, no received within 10s; stderr:\n%s", statuses, stderr.String())
		}
	}
	if want := []string{"submitted", "sent", "received"}; strings.Join(statuses, ",") != strings.Join(want, ",") {
		t.Errorf("DLR statuses %v, want %v", statuses, want)
	}

	cancel()
	if c := waitExit(t, code, &stderr); c != exitOK {
		t.Errorf("exit %d, want 0; stderr:\n%s", c, stderr.String())
	}
	logs := stderr.String()
	for _, secret := range []string{"p@ss", "p%40ss", "sim-s3cret"} {
		if strings.Contains(logs+stdout.String(), secret) {
			t.Errorf("output contains the password %q:\n%s", secret, logs)
		}
	}
	for _, want := range []string{"sim: listening", "u:REDACTED@", "sim: shutting down", "drain_timeout=10s", "drained=true"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if !strings.HasPrefix(stdout.String(), "wabcheck sim: serving http://127.0.0.1:") {
		t.Errorf("stdout %q", stdout.String())
	}
}

// TestSimRunHTTPSCallbackWithCA: --callback-ca makes an https receiver
// with a private CA reachable; the magic number +64210000001 posts one
// "rejected" DLR.
func TestSimRunHTTPSCallbackWithCA(t *testing.T) {
	recv, got := newSimReceiver(t, http.StatusOK, true)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: recv.Certificate().Raw})
	if err := os.WriteFile(ca, block, 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr simBuffer
	api, cancel, code := startSim(t, &stdout, &stderr, "--status-callback-url", recv.URL+"/status", "--callback-ca", ca)
	defer cancel()
	id := simSend(t, api, modicasim.MagicRejected)
	select {
	case cb := <-got:
		if cb.body["id"] != id || cb.body["status"] != "rejected" {
			t.Errorf("DLR %v, want id %s status rejected", cb.body, id)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no DLR over https within 10s; stderr:\n%s", stderr.String())
	}
	cancel()
	if c := waitExit(t, code, &stderr); c != exitOK {
		t.Errorf("exit %d, want 0; stderr:\n%s", c, stderr.String())
	}
}

// TestSimRunUndeliveredExit1: callbacks still failing when the drain ends
// make the run exit 1 and say how many were left.
func TestSimRunUndeliveredExit1(t *testing.T) {
	recv, _ := newSimReceiver(t, http.StatusInternalServerError, false)
	var stdout, stderr simBuffer
	api, cancel, code := startSim(t, &stdout, &stderr, "--status-callback-url", recv.URL+"/status",
		"--drain-timeout", "50ms", "--callback-attempts", "100")
	defer cancel()
	simSend(t, api, "+64211234567")
	waitStat(t, api, func(st simStats) bool { return st.Callbacks.Delivery.Retried > 0 })
	cancel()
	if c := waitExit(t, code, &stderr); c != exitFailed {
		t.Errorf("exit %d, want 1; stderr:\n%s", c, stderr.String())
	}
	if !regexp.MustCompile(`wabcheck: \d+ callbacks left undelivered at shutdown`).MatchString(stderr.String()) {
		t.Errorf("stderr lacks the undelivered summary:\n%s", stderr.String())
	}
}

// simStats is the part of GET /_sim/stats the tests read.
type simStats struct {
	Callbacks struct {
		Delivery struct {
			Retried int64 `json:"retried"`
		} `json:"delivery"`
	} `json:"callbacks"`
}

// waitStat polls the admin stats until ok or a 10 s deadline.
func waitStat(t *testing.T, api string, ok func(simStats) bool) {
	t.Helper()
	root := strings.TrimSuffix(api, "/rest/wab/v1")
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if resp, err := simCall(http.MethodGet, root+"/_sim/stats", ""); err == nil {
			var st simStats
			derr := json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if derr == nil && ok(st) {
				return
			}
		}
		<-time.After(10 * time.Millisecond)
	}
	t.Fatal("stats condition not reached within 10s")
}

// TestSimReceivePrintsCallbacks: `sim receive` prints path and body of each
// callback and answers 200, until the context ends.
func TestSimReceivePrintsCallbacks(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out simBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"sim", "receive", "--listen", "127.0.0.1:0"}, &out, &out) }()
	addr := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+) `)
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == ""; <-time.After(10 * time.Millisecond) {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("receiver not listening within 10s: %q", out.String())
		}
	}
	resp, err := http.Post(url+"/status", "application/json", strings.NewReader(`{"id":"x","status":"sent"}`+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("receiver answered %d", resp.StatusCode)
	}
	line := regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d\.\d{3} /status \{"id":"x","status":"sent"\}$`)
	for deadline := time.Now().Add(10 * time.Second); !line.MatchString(out.String()); <-time.After(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("callback not printed within 10s: %q", out.String())
		}
	}
	cancel()
	if c := <-done; c != exitOK {
		t.Errorf("receive exit %d", c)
	}
}
