package sim

import "sync"

// MediaItem is one uploaded file.
type MediaItem struct {
	ID, MimeType string
	Data         []byte
}

// mediaStore holds uploads up to a byte budget, evicting the oldest.
type mediaStore struct {
	mu    sync.Mutex
	items map[string]*MediaItem
	order []string // insertion order, for eviction
	bytes int64
	max   int64
}

func newMediaStore(max int64) *mediaStore {
	return &mediaStore{items: map[string]*MediaItem{}, max: max}
}

func (ms *mediaStore) put(it *MediaItem) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	ms.items[it.ID] = it
	ms.order = append(ms.order, it.ID)
	ms.bytes += int64(len(it.Data))
	for ms.bytes > ms.max && len(ms.order) > 1 {
		old := ms.order[0]
		ms.order = ms.order[1:]
		if o := ms.items[old]; o != nil {
			ms.bytes -= int64(len(o.Data))
			delete(ms.items, old)
		}
	}
}

func (ms *mediaStore) get(id string) *MediaItem {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.items[id]
}

func (ms *mediaStore) remove(id string) bool {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	it := ms.items[id]
	if it == nil {
		return false
	}
	ms.bytes -= int64(len(it.Data))
	delete(ms.items, id)
	return true
}

func (ms *mediaStore) size() (int, int64) {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return len(ms.items), ms.bytes
}

// PutMedia stores an upload under a new id and returns the id.
func (s *Server) PutMedia(mimeType string, data []byte) string {
	it := &MediaItem{ID: NewMediaID(), MimeType: mimeType, Data: data}
	s.media.put(it)
	return it.ID
}

// Media returns the upload with id, or nil (unknown, or evicted).
func (s *Server) Media(id string) *MediaItem { return s.media.get(id) }

// DeleteMedia removes the upload with id; false when there was none.
func (s *Server) DeleteMedia(id string) bool { return s.media.remove(id) }
