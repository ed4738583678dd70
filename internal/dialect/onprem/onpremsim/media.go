package onpremsim

import (
	"mime"
	"net/http"

	"github.com/wabcheck/wabcheck/internal/dialect/onprem"
	"github.com/wabcheck/wabcheck/internal/jsonw"
	"github.com/wabcheck/wabcheck/internal/sim"
)

// upload is POST /media: the body is the media, its Content-Type one the
// spec declares; answers 201 {media: [{id}]}.
func (a *api) upload(w http.ResponseWriter, r *http.Request, _ string) {
	bp := a.readBody(w, r)
	if bp == nil {
		return
	}
	defer sim.PutBuf(bp)
	if len(*bp) == 0 {
		a.writeError(w, http.StatusBadRequest, onprem.CodeParamMissing, "the body is empty: send the media's bytes")
		return
	}
	if fs := a.v.Request(r, *bp); len(fs) > 0 {
		a.writeErrors(w, http.StatusBadRequest, errorsFromFindings(fs)...)
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	id := a.s.PutMedia(mt, append([]byte(nil), *bp...))
	body := jsonw.AppendString(append(make([]byte, 0, 96), `{"media":[{"id":`...), id)
	a.writeJSON(w, http.StatusCreated, append(body, `}],"meta":`+metaJSON+`}`...))
}

// download is GET /media/{id}: the bytes in their own type; 404 without a
// body for an unknown id (Meta, "Media ID").
func (a *api) download(w http.ResponseWriter, _ *http.Request, id string) {
	it := a.s.Media(id)
	if it == nil {
		w.WriteHeader(http.StatusNotFound)
		a.s.CountStatus(http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", it.MimeType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(it.Data)
	a.s.CountStatus(http.StatusOK)
}

// deleteMedia is DELETE /media/{id}: 200 {meta}, 404 for an unknown id.
func (a *api) deleteMedia(w http.ResponseWriter, _ *http.Request, id string) {
	if !a.s.DeleteMedia(id) {
		a.writeError(w, http.StatusNotFound, onprem.CodeNotFound, "no media with this id")
		return
	}
	a.writeMeta(w)
}
