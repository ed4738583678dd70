package steps

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/wabcheck/wabcheck/internal/dialect"
)

// magic are the leading bytes of a sample file of each MIME type, so that
// a server sniffing content sees what the type says.
var magic = map[string]struct{ ext, head string }{
	"image/png":       {"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
	"image/jpeg":      {"jpg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00"},
	"text/plain":      {"txt", "wabcheck sample text\n"},
	"application/pdf": {"pdf", "%PDF-1.4\n%wabcheck\n"},
	"audio/mp4":       {"m4a", "\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00"},
	"video/mp4":       {"mp4", "\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00"},
	"application/zip": {"zip", "PK\x03\x04"},
}

// sample returns a file of mime type of about size bytes (at least the
// magic and the scenario reference, so each upload is unique).
func (s *Scenario) sample(mime string, size int) ([]byte, string) {
	m, ok := magic[mime]
	if !ok {
		m.ext, m.head = "bin", ""
	}
	b := []byte(m.head + s.ref + "\n")
	if size > len(b) {
		b = append(b, bytes.Repeat([]byte("w"), size-len(b))...)
	}
	return b, "wabcheck." + m.ext
}

func (s *Scenario) uploadFile(ctx context.Context, mime string) error {
	return s.uploadFileOfSize(ctx, mime, 0)
}

// uploadFileOfSize uploads a sample file of mime type and about size
// bytes as the dialect uploads media, and keeps the media id the answer
// gives (an answer without one leaves it empty).
func (s *Scenario) uploadFileOfSize(ctx context.Context, mime string, size int) error {
	ms, err := capability[dialect.MediaStore](s, dialect.CapMedia)
	if err != nil {
		return err
	}
	data, _ := s.sample(mime, size)
	r, err := ms.UploadRequest(mime, data)
	if err != nil {
		return fmt.Errorf("build upload: %w", err)
	}
	s.upload, s.mediaID = data, ""
	err = s.request(ctx, r)
	if last := s.last; last != nil && last.status/100 == 2 {
		if id, rerr := ms.ReadUpload(last.answer()); rerr == nil {
			s.mediaID = id
		}
	}
	return err
}

// uploadAccepted checks the last upload was answered with a media id.
func (s *Scenario) uploadAccepted() error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	if s.mediaID == "" {
		return expected(fmt.Sprintf("%s %s answer", r.method, r.path), "a 2XX with the uploaded media's id", fmt.Sprintf("%d %s", r.status, show(string(r.body))))
	}
	return nil
}

func (s *Scenario) downloadUploaded(ctx context.Context) error {
	if s.mediaID == "" {
		return fmt.Errorf("no media id yet: upload a file and check its id first")
	}
	return s.downloadMedia(ctx, s.mediaID)
}

func (s *Scenario) downloadMedia(ctx context.Context, id string) error {
	ms, err := capability[dialect.MediaStore](s, dialect.CapMedia)
	if err != nil {
		return err
	}
	return s.request(ctx, ms.DownloadRequest(id))
}

func (s *Scenario) sameBytes() error {
	r, err := s.lastResponse()
	if err != nil {
		return err
	}
	if err := r.whole(); err != nil {
		return err
	}
	if !bytes.Equal(r.body, s.upload) {
		return expected("GET /media bytes", fmt.Sprintf("the %d bytes uploaded", len(s.upload)),
			fmt.Sprintf("%d bytes that differ (starting %s)", len(r.body), show(strings.ToValidUTF8(string(r.body[:min(len(r.body), 40)]), "?"))))
	}
	return nil
}
