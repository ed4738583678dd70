package sim

import (
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
)

// maxUploadBytes is the spec's RequestMediaPost file maxLength.
const maxUploadBytes = 1_000_000

// mediaItem is one uploaded file.
type mediaItem struct {
	id, mimeType string
	data         []byte
}

// mediaStore holds uploads up to a byte budget, evicting the oldest.
type mediaStore struct {
	mu    sync.Mutex
	items map[string]*mediaItem
	order []string // insertion order, for eviction
	bytes int64
	max   int64
}

func newMediaStore(max int64) *mediaStore {
	return &mediaStore{items: map[string]*mediaItem{}, max: max}
}

func (ms *mediaStore) put(it *mediaItem) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	ms.items[it.id] = it
	ms.order = append(ms.order, it.id)
	ms.bytes += int64(len(it.data))
	for ms.bytes > ms.max && len(ms.order) > 1 {
		old := ms.order[0]
		ms.order = ms.order[1:]
		if o := ms.items[old]; o != nil {
			ms.bytes -= int64(len(o.data))
			delete(ms.items, old)
		}
	}
}

func (ms *mediaStore) get(id string) *mediaItem {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.items[id]
}

func (ms *mediaStore) size() (int, int64) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return len(ms.items), ms.bytes
}

// postMedia is POST /media (multipart/form-data, part `file`): 200 {id}.
func (s *Server) postMedia(w http.ResponseWriter, r *http.Request) {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" {
		s.writeError(w, http.StatusUnsupportedMediaType, "Content-Type", codeUnsupportedMedia, "the body must be multipart/form-data with a file part")
		return
	}
	if r.ContentLength > s.cfg.MaxBodyBytes {
		s.writeError(w, http.StatusRequestEntityTooLarge, "file", codeTooLarge, "the body exceeds the size limit")
		return
	}
	it, status, msg := s.readUpload(r)
	if status != 0 {
		code := codeBadMultipart
		switch status {
		case http.StatusRequestEntityTooLarge:
			code = codeTooLarge
		case http.StatusUnsupportedMediaType:
			code = codeMediaType
		}
		s.writeError(w, status, "file", code, msg)
		return
	}
	s.media.put(it)
	body := appendJSONString(append(make([]byte, 0, 40), `{"id":`...), it.id)
	s.writeJSON(w, http.StatusOK, append(body, '}'))
}

// readUpload reads the `file` part; on failure it returns the status and
// the reason.
func (s *Server) readUpload(r *http.Request) (*mediaItem, int, string) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, http.StatusBadRequest, "the multipart body cannot be read"
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil, http.StatusBadRequest, "the multipart body has no part named file"
		}
		if err != nil {
			return nil, http.StatusBadRequest, "the multipart body is malformed"
		}
		if p.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(p, maxUploadBytes+1))
		if err != nil {
			return nil, http.StatusBadRequest, "the file part cannot be read"
		}
		if len(data) > maxUploadBytes {
			return nil, http.StatusRequestEntityTooLarge, "the file exceeds 1000000 bytes"
		}
		if len(data) == 0 {
			return nil, http.StatusBadRequest, "the file is empty"
		}
		typ := s.partType(p.Header.Get("Content-Type"), data)
		if !s.mimeTypes[typ] {
			return nil, http.StatusUnsupportedMediaType, "media type " + typ + " is not one the spec allows"
		}
		return &mediaItem{id: newMediaID(), mimeType: typ, data: data}, 0, ""
	}
}

// partType is the part's declared type, or the sniffed one when it
// declares none or application/octet-stream.
func (s *Server) partType(declared string, data []byte) string {
	if mt, _, err := mime.ParseMediaType(declared); err == nil && mt != "application/octet-stream" {
		return mt
	}
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	return mt
}

// getMedia is GET /media?media_id=: the uploaded bytes.
func (s *Server) getMedia(w http.ResponseWriter, r *http.Request) {
	if fs := s.v.Request(r, nil); len(fs) > 0 {
		s.writeErrors(w, http.StatusBadRequest, errorsFromFindings(fs)...)
		return
	}
	id := r.URL.Query().Get("media_id")
	it := s.media.get(id)
	if it == nil {
		s.writeError(w, http.StatusNotFound, "media_id", codeNotFound, "no media with this id")
		return
	}
	h := w.Header()
	s.setCommonHeaders(h)
	// The spec declares the download as application/octet-stream; the
	// uploaded type travels in Content-Disposition's file name extension.
	h[hContentType] = hvOctet
	h["Content-Disposition"] = []string{`attachment; filename="` + it.id + extFor(it.mimeType) + `"`}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(it.data)
	}
	s.stats.countStatus(http.StatusOK)
}

// extFor is a file name extension for a media type.
func extFor(mt string) string {
	switch mt {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "text/plain":
		return ".txt"
	case "application/pdf":
		return ".pdf"
	case "video/mp4":
		return ".mp4"
	case "audio/mp4":
		return ".m4a"
	case "audio/mp3", "audio/mpeg":
		return ".mp3"
	case "image/webp":
		return ".webp"
	}
	if _, sub, ok := strings.Cut(mt, "/"); ok {
		return "." + sub
	}
	return ""
}

// mediaIDFromURL returns the media_id of a URL pointing at this API's
// GET /media, else "".
func mediaIDFromURL(u string) string {
	_, q, ok := strings.Cut(u, "media_id=")
	if !ok || !strings.Contains(u, "/media?") {
		return ""
	}
	if i := strings.IndexAny(q, "&#"); i >= 0 {
		q = q[:i]
	}
	for i := 0; i < len(q); i++ {
		c := q[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return ""
		}
	}
	return q
}
