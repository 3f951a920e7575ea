package gumloop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
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
	type outcome struct {
		final bool
		err   error
	}
	result := make(chan outcome, 1)
	go func() {
		var o outcome
		for e, err := range c.Sessions.ResumeStream(ctx, r.Session.ID, r.Session.ID+":1") {
			if err != nil {
				o.err = err
				break
			}
			if events.Add(1) == 1 {
				close(started)
			}
			o.final = e.Final
		}
		result <- o
	}()
	<-started
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	// Close returned only once the stream had ended: no event came after it.
	atClose := events.Load()
	o := <-result
	if o.err != nil || !o.final || events.Load() != atClose {
		t.Fatalf("events at Close %d, after %d, %+v", atClose, events.Load(), o)
	}
	if _, err := c.Sessions.Retrieve(ctx, r.Session.ID); !errors.Is(err, ErrClosed) {
		t.Fatalf("a call after Close: %v", err)
	}
}

// threads is the process's OS thread count.
func threads(t *testing.T) int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc on this system")
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "Threads:") {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "Threads:")))
			return n
		}
	}
	t.Fatal("no Threads line")
	return 0
}

func TestTwoHundredStreamsNeedNoThreadEach(t *testing.T) {
	c := ada(t, nil)
	const n = 200
	var open, most atomic.Int64
	var peakThreads atomic.Int64
	var wg sync.WaitGroup
	counts := make([]int, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			first := true
			for e, err := range c.Sessions.Stream(ctx, "agent_ent", &CreateParams{Input: fmt.Sprintf("[words:10] [slow:1500] %d", i)}) {
				if err != nil {
					t.Error(err)
					return
				}
				if first {
					first = false
					if o := open.Add(1); o > most.Load() {
						most.Store(o)
					}
					if th := int64(threads(t)); th > peakThreads.Load() {
						peakThreads.Store(th)
					}
				}
				if e.Final {
					open.Add(-1)
				}
				counts[i]++
			}
		}(i)
	}
	wg.Wait()
	for i, got := range counts {
		if got != 15 {
			t.Fatalf("stream %d: %d events", i, got)
		}
	}
	// Many streams were open at once, on far fewer threads than streams.
	if most.Load() < 50 || peakThreads.Load() >= 100 {
		t.Fatalf("%d streams open at once on at most %d threads", most.Load(), peakThreads.Load())
	}
}
