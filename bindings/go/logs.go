package gumloop

/*
#include <unistd.h>
#include "gumloop.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"sort"
	"sync"
	"time"
)

// The library's log records (one per request attempt, retry, redirect, stream resume, keyed
// create recovery, token refresh; never a secret, header, body or query) go to a log/slog
// logger set with SetLogger. The records are process-wide; this package takes them on a
// goroutine of its own that Go's network poller wakes, and after each call, so a call's records
// have reached the handler when it returns. The library's threads never run Go code.

var logs struct {
	mu      sync.Mutex
	logger  *slog.Logger
	watcher sync.Once
}

// SetLogger sends the library's records to logger, at the lowest level its handler enables
// (debug: every attempt; info: failed attempts, retries, resumes, recoveries, refreshes; warn:
// failed refreshes). A nil logger turns them off (the default).
func SetLogger(logger *slog.Logger) error {
	level := "off"
	if logger != nil {
		for _, l := range []struct {
			slog  slog.Level
			level string
		}{{slog.LevelError, "error"}, {slog.LevelWarn, "warn"}, {slog.LevelInfo, "info"}, {slog.LevelDebug, "debug"}} {
			if logger.Enabled(context.Background(), l.slog) {
				level = l.level
			}
		}
	}
	logs.mu.Lock()
	logs.logger = logger
	logs.mu.Unlock()
	text, free := cString(level)
	defer free()
	var out *C.char
	code := C.gumloop_log_set_level(text, &out)
	if result := takeString(out); code != C.GUMLOOP_OK {
		return errorFrom(code, result)
	}
	if logger != nil {
		logs.watcher.Do(watchLogs)
	}
	return nil
}

// watchLogs drains the records each time the library's log descriptor becomes readable (a
// duplicate, watched by Go's network poller; never read: taking the records clears it).
func watchLogs() {
	fd := C.dup(C.gumloop_log_get_fd())
	if fd < 0 {
		return
	}
	file := os.NewFile(uintptr(fd), "gumloop-log")
	raw, err := file.SyscallConn()
	if err != nil {
		return
	}
	go func() {
		// The function drains and says "not done": the goroutine parks until the descriptor is
		// readable again.
		_ = raw.Read(func(uintptr) bool {
			drainLogs()
			return false
		})
	}()
}

// drainLogs hands every waiting record to the logger's handler, oldest first.
func drainLogs() {
	logs.mu.Lock()
	defer logs.mu.Unlock()
	if logs.logger == nil {
		return
	}
	var out *C.char
	if C.gumloop_log_take(&out) != C.GUMLOOP_OK {
		takeString(out)
		return
	}
	var taken struct {
		Records []map[string]any `json:"records"`
		Dropped int              `json:"dropped"`
	}
	if json.Unmarshal([]byte(takeString(out)), &taken) != nil {
		return
	}
	handler := logs.logger.Handler()
	ctx := context.Background()
	if taken.Dropped > 0 {
		r := slog.NewRecord(time.Now(), slog.LevelWarn, "gumloop: log records were dropped", 0)
		r.AddAttrs(slog.Int("dropped", taken.Dropped))
		_ = handler.Handle(ctx, r)
	}
	for _, record := range taken.Records {
		level := map[string]slog.Level{"error": slog.LevelError, "warn": slog.LevelWarn, "info": slog.LevelInfo}[record["level"].(string)]
		if record["level"] == "debug" {
			level = slog.LevelDebug
		}
		if !handler.Enabled(ctx, level) {
			continue
		}
		at := time.Now()
		if ms, ok := record["ts_ms"].(float64); ok {
			at = time.UnixMilli(int64(ms))
		}
		message, _ := record["message"].(string)
		r := slog.NewRecord(at, level, message, 0)
		keys := make([]string, 0, len(record))
		for k := range record {
			if k != "message" && k != "level" && k != "ts_ms" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			r.AddAttrs(slog.Any(k, record[k]))
		}
		_ = handler.Handle(ctx, r)
	}
}

// loggingOn says whether a logger is set (checked after each call).
func loggingOn() bool {
	logs.mu.Lock()
	defer logs.mu.Unlock()
	return logs.logger != nil
}
