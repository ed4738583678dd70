package load

import (
	"fmt"
	"slices"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/wabcheck/wabcheck/internal/dialect/modica"
)

// TestRecentForgetsEvictedIDsAfterGrace: the in-process simulator kept
// every finished message for simMessageTTL (a minute) although "get" only
// asks for the ids in Recent's ring. An id that left the ring is now
// forgotten once the grace (the request timeout) has passed since, so a
// retrieve built from it just before it left still finds the message.
func TestRecentForgetsEvictedIDsAfterGrace(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	var forgotten []string
	r := NewRecent(func(id string) { forgotten = append(forgotten, id) }, 10*time.Second)
	r.now = func() time.Time { return now }
	ring := len(r.ids)
	for i := range ring + 2 { // id-0 and id-1 leave the ring at t0
		r.Put(fmt.Sprintf("id-%d", i))
	}
	if len(forgotten) != 0 {
		t.Fatalf("forgotten %v at once, want none before the grace", forgotten)
	}
	now = t0.Add(10*time.Second - time.Nanosecond)
	r.Put("id-a") // id-2 leaves
	if len(forgotten) != 0 {
		t.Fatalf("forgotten %v within the grace, want none", forgotten)
	}
	now = t0.Add(10 * time.Second)
	r.Put("id-b") // id-3 leaves
	if want := []string{"id-0", "id-1"}; !slices.Equal(forgotten, want) {
		t.Errorf("forgotten %v after the grace, want %v", forgotten, want)
	}
	for n := range uint64(2 * ring) {
		if id, _ := r.Get(n); slices.Contains(forgotten, id) {
			t.Fatalf("Get(%d) = %s, an id already forgotten", n, id)
		}
	}
}

// TestCollectorForgetsAcceptedIDsWithoutGet: with no "get" in the mix
// nothing will retrieve a message, so each accepted id is forgotten as
// soon as its 202 is read.
func TestCollectorForgetsAcceptedIDsWithoutGet(t *testing.T) {
	var forgotten []string
	c := NewCollector(CollectorConfig{Budget: time.Second, Dialect: modica.New(), Forget: func(id string) { forgotten = append(forgotten, id) }})
	defer c.Close()
	const id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	c.Add(&vegeta.Result{Code: 202, URL: "http://127.0.0.1:1/messages#sref-1", Timestamp: time.Now(),
		Body: []byte(`{"message_id":"` + id + `","status":"accepted"}`)})
	c.Add(&vegeta.Result{Code: 400, URL: "http://127.0.0.1:1/messages#sref-2", Timestamp: time.Now(), Body: []byte(`{}`)})
	if !slices.Equal(forgotten, []string{id}) {
		t.Errorf("forgotten %v, want [%s]", forgotten, id)
	}
}
