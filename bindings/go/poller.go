package gumloop

/*
#include <stdlib.h>
#include <unistd.h>
#include "gumloop.h"
*/
import "C"

import (
	"encoding/json"
	"errors"
	"os"
	"sync"
	"unsafe"
)

// The process's libgumloop poller: every call of this package is started on it, so no OS thread
// waits per call in flight. One goroutine watches the poller's descriptor through Go's network
// poller (a duplicate of it, wrapped in an *os.File), takes every ready item and hands it to its
// call. The library's threads never run Go code.
type poller struct {
	handle *C.gumloop_poller
	mu     sync.Mutex
	calls  map[uint64]*pending
}

// pending is a call in flight: what the poller has taken for it and not yet handed over.
type pending struct {
	mu     sync.Mutex
	events []string
	done   bool
	code   C.gumloop_code
	result string
	// wantBytes: the call's result is bytes, taken from the poller when its DONE item is.
	wantBytes bool
	data      []byte
	// wantInfo: the call's info is taken when its DONE item is.
	wantInfo bool
	info     string
	// ready has a value whenever something new was added (capacity 1: one wake-up is enough).
	ready chan struct{}
}

func (p *pending) add(event *string, code C.gumloop_code, result string) {
	p.mu.Lock()
	if event != nil {
		p.events = append(p.events, *event)
	} else {
		p.done, p.code, p.result = true, code, result
	}
	p.mu.Unlock()
	select {
	case p.ready <- struct{}{}:
	default:
	}
}

// take hands over what has arrived: the events, and whether the call ended.
func (p *pending) take() (events []string, done bool, code C.gumloop_code, result string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	events, p.events = p.events, nil
	return events, p.done, p.code, p.result
}

var (
	sharedPoller *poller
	pollerErr    error
	pollerOnce   sync.Once
)

// thePoller is the process's poller, made on first use.
func thePoller() (*poller, error) {
	pollerOnce.Do(func() { sharedPoller, pollerErr = newPoller() })
	return sharedPoller, pollerErr
}

func newPoller() (*poller, error) {
	var handle *C.gumloop_poller
	var out *C.char
	code := C.gumloop_poller_new(nil, &handle, &out)
	if text := takeString(out); code != C.GUMLOOP_OK {
		return nil, errorFrom(code, text)
	}
	fd := C.dup(C.gumloop_poller_get_fd(handle))
	if fd < 0 {
		C.gumloop_poller_free(handle)
		return nil, errors.New("gumloop: the poller's descriptor could not be duplicated")
	}
	p := &poller{handle: handle, calls: map[uint64]*pending{}}
	// The descriptor is non-blocking, so os.NewFile registers it with Go's network poller: Read
	// parks this goroutine, not a thread.
	file := os.NewFile(uintptr(fd), "gumloop-poller")
	go p.watch(file)
	return p, nil
}

// watch drains the poller each time its descriptor becomes readable. The bytes are only a
// wake-up: what is ready is what take_item gives.
func (p *poller) watch(file *os.File) {
	buf := make([]byte, 64)
	for {
		p.drain()
		if _, err := file.Read(buf); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			// The descriptor cannot fail while the poller lives; keep draining on a closed file
			// would spin, so stop, failing every call in flight.
			p.failAll(err)
			return
		}
	}
}

func (p *poller) drain() {
	for {
		var id C.uint64_t
		var kind C.uint32_t
		var code C.gumloop_code
		var out *C.char
		if C.gumloop_poller_take_item(p.handle, &id, &kind, &code, &out) != C.GUMLOOP_OK || kind == C.GUMLOOP_ITEM_NONE {
			return
		}
		text := takeString(out)
		p.mu.Lock()
		call := p.calls[uint64(id)]
		if kind == C.GUMLOOP_ITEM_DONE {
			delete(p.calls, uint64(id))
		}
		p.mu.Unlock()
		if call == nil {
			continue
		}
		if kind == C.GUMLOOP_ITEM_DONE && call.wantInfo {
			var out *C.char
			C.gumloop_poller_take_call_info(p.handle, id, &out)
			call.mu.Lock()
			call.info = takeString(out)
			call.mu.Unlock()
		}
		switch {
		case kind == C.GUMLOOP_ITEM_EVENT:
			call.add(&text, 0, "")
		case code == C.GUMLOOP_OK && call.wantBytes:
			data, takeCode, takeText := p.takeBytes(id)
			if takeCode != C.GUMLOOP_OK {
				code, text = takeCode, takeText
			}
			call.mu.Lock()
			call.data = data
			call.mu.Unlock()
			call.add(nil, code, text)
		default:
			call.add(nil, code, text)
		}
	}
}

// takeBytes takes a finished bytes call's bytes (right after its DONE item), copied into Go
// memory.
func (p *poller) takeBytes(id C.uint64_t) ([]byte, C.gumloop_code, string) {
	var data *C.uint8_t
	var size C.size_t
	var out *C.char
	code := C.gumloop_poller_take_bytes(p.handle, id, &data, &size, &out)
	text := takeString(out)
	if code != C.GUMLOOP_OK {
		return nil, code, text
	}
	// The library's buffer is valid for size bytes until freed: copy it, then free it.
	var bytes []byte
	if data != nil {
		bytes = append([]byte{}, unsafe.Slice((*byte)(unsafe.Pointer(data)), int(size))...)
		C.gumloop_bytes_free(data, size)
	}
	return bytes, code, ""
}

func (p *poller) failAll(err error) {
	p.mu.Lock()
	calls := p.calls
	p.calls = map[uint64]*pending{}
	p.mu.Unlock()
	e := callerError(CodeInternal, "", "the poller's descriptor failed: "+err.Error())
	for _, call := range calls {
		call.add(nil, C.gumloop_code(CodeInternal), e.Document)
	}
}

// start starts an operation of the library's table with its named arguments (and raw bytes
// for the operations that take them).
func (p *poller) start(client *C.gumloop_client, operation string, args map[string]any, data []byte, wantBytes, wantInfo bool) (uint64, *pending, error) {
	text, err := json.Marshal(args)
	if err != nil {
		return 0, nil, callerError(CodeInvalidJSON, "args_json", err.Error())
	}
	op, freeOp := cString(operation)
	defer freeOp()
	argsText, freeArgs := cString(string(text))
	defer freeArgs()
	var bytes *C.uint8_t
	if len(data) > 0 {
		bytes = (*C.uint8_t)(C.CBytes(data))
		defer C.free(unsafe.Pointer(bytes))
	}
	call := &pending{ready: make(chan struct{}, 1), wantBytes: wantBytes, wantInfo: wantInfo}
	// Registered under the lock before the library can report on it.
	p.mu.Lock()
	defer p.mu.Unlock()
	var id C.uint64_t
	var out *C.char
	code := C.gumloop_poller_start_call(p.handle, client, op, argsText, bytes, C.size_t(len(data)), &id, &out)
	if text := takeString(out); code != C.GUMLOOP_OK {
		return 0, nil, errorFrom(code, text)
	}
	p.calls[uint64(id)] = call
	return uint64(id), call, nil
}

// cancel asks the library to end a call; its DONE item follows.
func (p *poller) cancel(id uint64) {
	var out *C.char
	C.gumloop_poller_cancel_call(p.handle, C.uint64_t(id), &out)
	takeString(out)
}
