package gumloop

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEachCallSendsItsOwnHeaders(t *testing.T) {
	c := ada(t, nil)
	adminCall(t, "DELETE", "/requests", nil)
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			parent := fmt.Sprintf("00-%032d-%016d-01", i+1, i+1)
			callCtx := WithRequestOptions(ctx, RequestOptions{ExtraHeaders: map[string]string{"traceparent": parent}})
			if _, err := c.Agents.Retrieve(callCtx, "agent_pro"); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, r := range requests(t) {
		headers := fmt.Sprint(r["headers"])
		for i := 0; i < 2; i++ {
			if strings.Contains(headers, fmt.Sprintf("00-%032d-%016d-01", i+1, i+1)) {
				seen[fmt.Sprint(i)] = !seen[fmt.Sprint(i)]
			}
		}
	}
	if len(seen) != 2 || !seen["0"] || !seen["1"] {
		t.Fatalf("each request carries its own traceparent once: %v", seen)
	}
}

func TestCallInfoCountsAttemptsAndATimeoutPerCall(t *testing.T) {
	c := ada(t, nil)
	arm(t, map[string]any{"method": "GET", "path": "/api/v1/agents/*", "status": 503, "retry_after": 0})
	var info CallInfo
	if _, err := c.Agents.Retrieve(WithCallInfo(ctx, &info), "agent_pro"); err != nil {
		t.Fatal(err)
	}
	if info.Attempts != 2 || info.Raw == nil {
		t.Fatalf("info: %+v", info)
	}
	arm(t, map[string]any{"method": "GET", "path": "/api/v1/agents/*", "delay_ms": 5000, "times": 5})
	short := WithRequestOptions(WithCallInfo(ctx, &info), RequestOptions{Timeout: 200 * time.Millisecond})
	_, err := c.Agents.Retrieve(short, "agent_pro")
	expect(t, err, ErrAPITimeout, CodeTimeout)
	// The default two retries of a read that timed out: three attempts.
	if info.Attempts != 3 {
		t.Fatalf("a failed call's info: %+v", info)
	}
}
