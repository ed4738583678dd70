package sim

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// ErrBodyTooLarge marks a body beyond Config.MaxBodyBytes.
var ErrBodyTooLarge = errors.New("body too large")

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// ReadBody reads the request body up to MaxBodyBytes into a pooled buffer;
// release it with PutBuf.
func (s *Server) ReadBody(r *http.Request) (*[]byte, error) {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return nil, ErrBodyTooLarge
	}
	bp := bufPool.Get().(*[]byte)
	b := (*bp)[:0]
	limit := int(s.cfg.MaxBodyBytes)
	for {
		if len(b) == cap(b) {
			b = slices.Grow(b, 4096)
		}
		n, err := r.Body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if len(b) > limit {
			err = ErrBodyTooLarge
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			*bp = b
			PutBuf(bp)
			return nil, err
		}
	}
	*bp = b
	return bp, nil
}

// GetBuf returns a pooled buffer for building an answer; release it with
// PutBuf.
func GetBuf() *[]byte { return bufPool.Get().(*[]byte) }

// PutBuf releases a buffer from ReadBody or GetBuf.
func PutBuf(bp *[]byte) {
	if cap(*bp) <= 64<<10 {
		bufPool.Put(bp)
	}
}

// IsJSON reports whether a Content-Type is application/json (any params).
func IsJSON(ct string) bool {
	if strings.HasPrefix(ct, "application/json") && (len(ct) == 16 || ct[16] == ';' || ct[16] == ' ') {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}
