// Command gumloopbench runs one bench workload from Go, with the gumloop package (libgumloop
// through cgo) or with net/http, on N goroutines, and prints one JSON line: requests/s,
// latency percentiles, CPU per request and peak RSS, as the C bench programs do.
//
//	gumloopbench -client ffi|nethttp -workload create_idle|retrieve [-concurrency N]
//	             [-seconds S] [-warmup S] [-session-id ID]
//
// Reads GUMLOOP_BASE_URL and GUMLOOP_STREAM_BASE_URL (the emulator's).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"go.gumloop.com/gumloop"
)

const (
	token = "gk_personal_ada"
	user  = "user_ada"
	agent = "agent_pro"
)

// request runs one request of the workload; it returns an error when the call failed.
type request func(ctx context.Context) error

func ffiRequest(workload, sessionID string) (request, func(), error) {
	client, err := gumloop.NewClient(&gumloop.Options{
		AccessToken:   token,
		UserID:        user,
		BaseURL:       os.Getenv("GUMLOOP_BASE_URL"),
		StreamBaseURL: os.Getenv("GUMLOOP_STREAM_BASE_URL"),
	})
	if err != nil {
		return nil, nil, err
	}
	closeClient := func() { _ = client.Close() }
	if workload == "retrieve" {
		return func(ctx context.Context) error {
			_, err := client.Sessions.Retrieve(ctx, sessionID)
			return err
		}, closeClient, nil
	}
	return func(ctx context.Context) error {
		_, err := client.Sessions.Create(ctx, agent, &gumloop.CreateParams{})
		return err
	}, closeClient, nil
}

// netHTTPRequest sends the request with net/http's default transport (keep-alive, a pool of
// idle connections per host as large as the concurrency) and decodes the JSON answer, as a
// client would.
func netHTTPRequest(workload, sessionID string, concurrency int) request {
	base := os.Getenv("GUMLOOP_BASE_URL")
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = concurrency
	client := &http.Client{Transport: transport, Timeout: 90 * time.Second}
	method, url, body := http.MethodPost, base+"/agents/"+agent+"/sessions", []byte("{}")
	if workload == "retrieve" {
		method, url, body = http.MethodGet, base+"/sessions/"+sessionID, nil
	}
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("x-auth-key", user)
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		text, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return fmt.Errorf("HTTP %d: %s", resp.StatusCode, text)
		}
		var answer map[string]any
		return json.Unmarshal(text, &answer)
	}
}

func cpuSeconds() float64 {
	var r syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
}

// peakRSSKiB is VmHWM of /proc/self/status in KiB, or -1.
func peakRSSKiB() int64 {
	text, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(text), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			n, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return n
		}
	}
	return -1
}

func main() {
	clientName := flag.String("client", "ffi", "ffi (the gumloop package) or nethttp")
	workload := flag.String("workload", "create_idle", "create_idle or retrieve")
	sessionID := flag.String("session-id", "", "the session to retrieve")
	concurrency := flag.Int("concurrency", 1, "goroutines, each with one request at a time")
	seconds := flag.Float64("seconds", 3, "measured window")
	warmup := flag.Float64("warmup", 0.3, "unmeasured requests first")
	flag.Parse()
	if (*workload != "create_idle" && *workload != "retrieve") || (*workload == "retrieve" && *sessionID == "") || *concurrency < 1 {
		fmt.Fprintln(os.Stderr, "usage: gumloopbench -client ffi|nethttp -workload create_idle|retrieve [-session-id ID] [-concurrency N]")
		os.Exit(2)
	}
	var do request
	label := "net/http (Go)"
	switch *clientName {
	case "ffi":
		var closeClient func()
		var err error
		if do, closeClient, err = ffiRequest(*workload, *sessionID); err != nil {
			fmt.Fprintln(os.Stderr, "gumloop.NewClient:", err)
			os.Exit(1)
		}
		defer closeClient()
		label = "gumloop (Go)"
	case "nethttp":
		do = netHTTPRequest(*workload, *sessionID, *concurrency)
	default:
		fmt.Fprintln(os.Stderr, "-client ffi|nethttp")
		os.Exit(2)
	}
	ctx := context.Background()
	warmupEnd := time.Now().Add(time.Duration(*warmup * float64(time.Second)))
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	latencies := make([][]time.Duration, *concurrency)
	errorsSeen := make([]int, *concurrency)
	var deadline time.Time
	for i := 0; i < *concurrency; i++ {
		ready.Add(1)
		done.Add(1)
		go func(i int) {
			defer done.Done()
			for time.Now().Before(warmupEnd) {
				if do(ctx) != nil {
					break
				}
			}
			ready.Done()
			<-start
			for {
				before := time.Now()
				if !before.Before(deadline) {
					return
				}
				if err := do(ctx); err != nil {
					if errorsSeen[i] == 0 {
						fmt.Fprintln(os.Stderr, "request failed:", err)
					}
					errorsSeen[i]++
					continue
				}
				latencies[i] = append(latencies[i], time.Since(before))
			}
		}(i)
	}
	ready.Wait()
	began := time.Now()
	deadline = began.Add(time.Duration(*seconds * float64(time.Second)))
	cpuBefore := cpuSeconds()
	close(start)
	done.Wait()
	elapsed := time.Since(began).Seconds()
	cpu := cpuSeconds() - cpuBefore
	var all []time.Duration
	failures := 0
	for i := range latencies {
		all = append(all, latencies[i]...)
		failures += errorsSeen[i]
	}
	sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
	percentile := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[int(p*float64(len(all)-1))].Nanoseconds()) / 1e3
	}
	perRequest := 0.0
	if len(all) > 0 {
		perRequest = cpu * 1e6 / float64(len(all))
	}
	line, _ := json.Marshal(map[string]any{
		"label": label, "workload": *workload, "threads": *concurrency, "requests": len(all),
		"errors": failures, "seconds": elapsed, "rps": float64(len(all)) / elapsed,
		"p50_us": percentile(0.5), "p99_us": percentile(0.99), "cpu_s": cpu,
		"cpu_us_per_req": perRequest, "max_rss_kb": peakRSSKiB(),
	})
	fmt.Println(string(line))
	if failures > 0 {
		os.Exit(1)
	}
}
