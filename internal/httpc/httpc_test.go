package httpc

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// redirectPair returns a server that answers 307 to the other one, and
// the count of requests (and of Authorization headers) the other one got.
func redirectPair(t *testing.T) (from string, hits, auths *atomic.Int32) {
	t.Helper()
	hits, auths = new(atomic.Int32), new(atomic.Int32)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "" {
			auths.Add(1)
		}
	}))
	t.Cleanup(other.Close)
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(first.Close)
	return first.URL, hits, auths
}

func TestNewFollowsNoRedirect(t *testing.T) {
	from, hits, auths := redirectPair(t)
	for name, c := range map[string]*http.Client{"New": New(0), "NoRedirects(DefaultClient)": NoRedirects(http.DefaultClient), "NoRedirects(nil)": NoRedirects(nil)} {
		req, _ := http.NewRequest(http.MethodPost, from+"/x", strings.NewReader("{}"))
		req.SetBasicAuth("acme", "secret")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusTemporaryRedirect {
			t.Errorf("%s: status %d, want the 307 itself", name, resp.StatusCode)
		}
	}
	if hits.Load() != 0 || auths.Load() != 0 {
		t.Errorf("the redirect target got %d requests (%d with Authorization), want none", hits.Load(), auths.Load())
	}
}

func TestNoRedirectsLeavesTheOriginal(t *testing.T) {
	orig := &http.Client{}
	c := NoRedirects(orig)
	if orig.CheckRedirect != nil {
		t.Error("NoRedirects changed the client it was given")
	}
	if c == orig || c.CheckRedirect == nil {
		t.Error("NoRedirects did not return a copy with a redirect policy")
	}
}

// countingReader counts the bytes read from an endless body.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	c.n += int64(len(p))
	return len(p), nil
}

func TestReadBody(t *testing.T) {
	tests := []struct {
		body      string
		limit     int64
		want      string
		truncated bool
	}{
		{"", 4, "", false},
		{"abc", 4, "abc", false},
		{"abcd", 4, "abcd", false},
		{"abcde", 4, "abcd", true},
	}
	for _, tt := range tests {
		b, err := ReadBody(strings.NewReader(tt.body), tt.limit)
		if err != nil || string(b.Data) != tt.want || b.Truncated != tt.truncated {
			t.Errorf("ReadBody(%q, %d) = %q truncated %v, %v; want %q truncated %v", tt.body, tt.limit, b.Data, b.Truncated, err, tt.want, tt.truncated)
		}
	}
}

// TestReadBodyStopsAfterTheDrainLimit: an endless body is read up to the
// limit and DrainLimit more, never to its end.
func TestReadBodyStopsAfterTheDrainLimit(t *testing.T) {
	r := &countingReader{}
	b, err := ReadBody(io.LimitReader(r, 1<<40), 1000)
	if err != nil || !b.Truncated || len(b.Data) != 1000 {
		t.Fatalf("ReadBody = %d bytes truncated %v, %v", len(b.Data), b.Truncated, err)
	}
	if max := int64(1000 + 1 + DrainLimit); r.n > max {
		t.Errorf("read %d bytes of an endless body, want at most %d", r.n, max)
	}
}

type closeCounter struct {
	io.Reader
	closed bool
}

func (c *closeCounter) Close() error { c.closed = true; return nil }

func TestDrain(t *testing.T) {
	r := &countingReader{}
	cc := &closeCounter{Reader: r}
	Drain(cc)
	if !cc.closed || r.n > DrainLimit {
		t.Errorf("Drain read %d bytes, closed %v; want at most %d and closed", r.n, cc.closed, DrainLimit)
	}
	small := &closeCounter{Reader: bytes.NewReader([]byte("ok"))}
	Drain(small)
	if !small.closed {
		t.Error("Drain did not close a short body")
	}
}
