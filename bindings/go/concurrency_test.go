package gumloop

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

func TestOneClientServesManyGoroutines(t *testing.T) {
	c := ada(t, nil)
	const n = 32
	ids := make(chan string, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.Sessions.Create(context.Background(), "agent_pro", nil)
			if err != nil {
				t.Error(err)
				return
			}
			ids <- r.Session.ID
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		seen[id] = true
	}
	if len(seen) != n {
		t.Fatalf("%d distinct sessions from %d creates", len(seen), n)
	}
}

func TestCloseWaitsForTheCallsInFlightAndLaterCallsFail(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "[words:20] [slow:400] x"})
	if err != nil {
		t.Fatal(err)
	}
	var events atomic.Int64
	started := make(chan struct{})
	result := make(chan *StreamSummary, 1)
	go func() {
		summary, err := c.Sessions.ResumeStream(ctx, r.Session.ID, r.Session.ID+":1", func(Event) error {
			if events.Add(1) == 1 {
				close(started)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
		result <- summary
	}()
	<-started
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	// Close returned only once the stream had ended: no event came after it.
	atClose := events.Load()
	summary := <-result
	if summary == nil || !summary.Final || events.Load() != atClose || int64(summary.Events) != atClose {
		t.Fatalf("events at Close %d, after %d, summary %+v", atClose, events.Load(), summary)
	}
	if _, err := c.Sessions.Retrieve(ctx, r.Session.ID); err != ErrClosed {
		t.Fatalf("a call after Close: %v", err)
	}
}
