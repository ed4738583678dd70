package modicasim

import (
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/wabcheck/wabcheck/internal/jsonw"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// maxUploadBytes is the spec's RequestMediaPost file maxLength.
const maxUploadBytes = 1_000_000

// postMedia is POST /media (multipart/form-data, part `file`): 200 {id}.
func (a *api) postMedia(w http.ResponseWriter, r *http.Request) {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" {
		a.writeError(w, http.StatusUnsupportedMediaType, "Content-Type", sim.CodeUnsupportedMedia, "the body must be multipart/form-data with a file part")
		return
	}
	if r.ContentLength > a.s.Config().MaxBodyBytes {
		a.writeError(w, http.StatusRequestEntityTooLarge, "file", sim.CodeTooLarge, "the body exceeds the size limit")
		return
	}
	it, status, msg := a.readUpload(r)
	if status != 0 {
		code := codeBadMultipart
		switch status {
		case http.StatusRequestEntityTooLarge:
			code = sim.CodeTooLarge
		case http.StatusUnsupportedMediaType:
			code = codeMediaType
		}
		a.writeError(w, status, "file", code, msg)
		return
	}
	id := a.s.PutMedia(it.MimeType, it.Data)
	body := jsonw.AppendString(append(make([]byte, 0, 40), `{"id":`...), id)
	a.writeJSON(w, http.StatusOK, append(body, '}'))
}

// readUpload reads the `file` part; on failure it returns the status and
// the reason.
func (a *api) readUpload(r *http.Request) (*sim.MediaItem, int, string) {
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
		typ := partType(p.Header.Get("Content-Type"), data)
		if !a.mime[typ] {
			return nil, http.StatusUnsupportedMediaType, "media type " + typ + " is not one the spec allows"
		}
		return &sim.MediaItem{MimeType: typ, Data: data}, 0, ""
	}
}

// partType is the part's declared type, or the sniffed one when it
// declares none or application/octet-stream.
func partType(declared string, data []byte) string {
	if mt, _, err := mime.ParseMediaType(declared); err == nil && mt != "application/octet-stream" {
		return mt
	}
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	return mt
}

// getMedia is GET /media?media_id=: the uploaded bytes.
func (a *api) getMedia(w http.ResponseWriter, r *http.Request) {
	if fs := a.v.Request(r, nil); len(fs) > 0 {
		a.writeErrors(w, http.StatusBadRequest, errorsFromFindings(fs)...)
		return
	}
	id := r.URL.Query().Get("media_id")
	it := a.s.Media(id)
	if it == nil {
		a.writeError(w, http.StatusNotFound, "media_id", sim.CodeNotFound, "no media with this id")
		return
	}
	h := w.Header()
	a.setCommonHeaders(h)
	// The spec declares the download as application/octet-stream; the
	// uploaded type travels in Content-Disposition's file name extension.
	h[hContentType] = hvOctet
	h["Content-Disposition"] = []string{`attachment; filename="` + it.ID + extFor(it.MimeType) + `"`}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(it.Data)
	}
	a.s.CountStatus(http.StatusOK)
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
