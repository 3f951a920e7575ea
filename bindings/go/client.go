package gumloop

/*
#include <stdlib.h>
#include "gumloop.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"
)

// Client is a libgumloop client: its configuration and connection pool. It is safe for
// concurrent use; Close it when done (Close waits for the calls still running).
type Client struct {
	mu sync.Mutex
	// idle is signalled when the last call in flight ends (Close waits on it).
	idle   *sync.Cond
	active int
	closed bool
	handle *C.gumloop_client
	// Sessions are the session calls: create, retrieve, list, send, stream, ...
	Sessions *Sessions
	// Agents find and check agents.
	Agents *Agents
	// Artifacts list and fetch the files agents produced.
	Artifacts *Artifacts
	// OAuth are the sign-in calls.
	OAuth *OAuth
	// tokens hands refreshed pairs to Options.OnTokens (nil without it).
	tokens *tokenHandover
}

// ErrClosed is the cause of the *Error (ErrInvalidArgument) that calls on a closed Client
// return: errors.Is(err, ErrClosed) tells it apart.
var ErrClosed = errors.New("gumloop: the client is closed")

// NewClient makes a client. A nil opts uses the environment and the library's defaults. Bad
// options give an *Error with CodeInvalidOption (or CodeNoCredentials) naming the option.
func NewClient(opts *Options) (*Client, error) {
	if opts == nil {
		opts = &Options{}
	}
	body, err := opts.json()
	if err != nil {
		return nil, err
	}
	text, free := cString(string(body))
	defer free()
	var handle *C.gumloop_client
	var out *C.char
	code := C.gumloop_client_new(text, &handle, &out)
	document := takeString(out)
	if code != C.GUMLOOP_OK {
		return nil, errorFrom(code, document)
	}
	c := &Client{handle: handle}
	c.idle = sync.NewCond(&c.mu)
	c.Sessions = &Sessions{client: c}
	c.Agents = &Agents{client: c}
	c.Artifacts = &Artifacts{client: c}
	c.OAuth = &OAuth{client: c}
	if opts.OnTokens != nil {
		c.tokens = &tokenHandover{deliver: opts.OnTokens}
	}
	runtime.SetFinalizer(c, func(c *Client) { _ = c.Close() })
	return c, nil
}

// Close frees the client after the calls still using it have returned; calls started after
// Close fail with ErrClosed. Closing twice is fine. Never Close a client from inside a loop over
// one of its own streams or pages: Close would wait for that loop.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for c.active > 0 {
		c.idle.Wait()
	}
	if c.handle != nil {
		C.gumloop_client_free(c.handle)
		c.handle = nil
	}
	return nil
}

// acquire is the client's handle for one more call, or nil once Close has begun.
func (c *Client) acquire() *C.gumloop_client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.active++
	return c.handle
}

// release ends a call that acquire began.
func (c *Client) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.active--; c.active == 0 {
		c.idle.Broadcast()
	}
}

// errStopped ends a call whose consumer stopped early (a range loop left with break); it never
// reaches the caller.
var errStopped = errors.New("gumloop: stopped by the consumer")

// run runs one operation of the library's table on the process's poller and waits for it,
// handing each stream event to onEvent (on this goroutine, in order). Cancelling ctx cancels
// the call; it returns only once the library has finished with it.
func (c *Client) run(ctx context.Context, operation string, args map[string]any, data []byte, onEvent func(string) error) (string, error) {
	text, _, err := c.exec(ctx, operation, args, data, false, onEvent)
	return text, err
}

// exec is run, for an operation whose result may be bytes (wantBytes): they come with the JSON.
func (c *Client) exec(ctx context.Context, operation string, args map[string]any, data []byte, wantBytes bool, onEvent func(string) error) (result string, out []byte, err error) {
	if ctx == nil {
		return "", nil, callerError(CodeNullArgument, "ctx", "the context must not be nil (use context.Background())")
	}
	args, info := callContext(ctx, args)
	if err := checkText(args, ""); err != nil {
		return "", nil, err
	}
	if err := ctx.Err(); err != nil {
		e := callerError(CodeCancelled, "", "the context ended before the call started; nothing was sent: "+err.Error())
		return "", nil, withContextCause(e, ctx)
	}
	p, err := thePoller()
	if err != nil {
		return "", nil, err
	}
	handle := c.acquire()
	if handle == nil {
		e := callerError(CodeInvalidArgument, "client", ErrClosed.Error())
		e.cause = ErrClosed
		return "", nil, e
	}
	defer c.release()
	id, call, err := p.start(handle, operation, args, data, wantBytes, info != nil)
	if err != nil {
		return "", nil, err
	}
	finished := false
	defer func() {
		if !finished {
			// A panicking consumer: the call is cancelled, and the client stays held until the
			// library has let go of it.
			p.cancel(id)
			for {
				<-call.ready
				if _, done, _, _ := call.take(); done {
					return
				}
			}
		}
	}()
	done := ctx.Done()
	contextEnded := false
	var stopped error
	for {
		select {
		case <-call.ready:
		case <-done:
			p.cancel(id)
			done, contextEnded = nil, true
		}
		events, ended, code, text := call.take()
		for _, event := range events {
			if stopped == nil && onEvent != nil {
				if stopped = onEvent(event); stopped != nil {
					p.cancel(id)
				}
			}
		}
		if ended {
			finished = true
			c.tokens.check(handle)
			if loggingOn() {
				drainLogs()
			}
			if info != nil {
				call.mu.Lock()
				_ = json.Unmarshal([]byte(call.info), info)
				call.mu.Unlock()
			}
			switch {
			case stopped != nil:
				return "", nil, stopped
			case code == C.GUMLOOP_ERR_CANCELLED && contextEnded:
				return "", nil, withContextCause(errorFrom(code, text), ctx)
			case code != C.GUMLOOP_OK:
				return "", nil, errorFrom(code, text)
			default:
				call.mu.Lock()
				defer call.mu.Unlock()
				return text, call.data, nil
			}
		}
	}
}

// checkText refuses text that JSON would silently change: invalid UTF-8 (which encoding/json
// replaces with U+FFFD) in any string of the arguments, map keys and struct fields included.
// name is the argument's path, e.g. "body.metadata.k".
func checkText(value any, name string) error {
	return checkValue(reflect.ValueOf(value), name)
}

func checkValue(v reflect.Value, name string) error {
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return callerError(CodeInvalidUTF8, name, "`"+name+"` is not valid UTF-8")
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkValue(v.Elem(), name)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := checkValue(v.Index(i), name); err != nil {
				return err
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			key := fmt.Sprint(iter.Key().Interface())
			if err := checkValue(iter.Key(), join(name, key)); err != nil {
				return err
			}
			if err := checkValue(iter.Value(), join(name, key)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if field := v.Type().Field(i); field.IsExported() {
				tag, _, _ := strings.Cut(field.Tag.Get("json")+field.Tag.Get("param")+field.Tag.Get("option"), ",")
				if tag == "" || tag == "-" {
					tag = field.Name
				}
				if err := checkValue(v.Field(i), join(name, tag)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}
