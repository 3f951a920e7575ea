package gumloop

import (
	"context"
	"encoding/json"
	"time"
)

// RequestOptions apply to the requests of one call only, carried by its context
// (WithRequestOptions): a traceparent per request, a tighter timeout for one call.
type RequestOptions struct {
	// ExtraHeaders are added to each of the call's requests, replacing a client-wide extra
	// header of the same name; the headers the library or HTTP owns are refused.
	ExtraHeaders map[string]string `param:"extra_headers"`
	// Timeout is the whole-request time limit of each of the call's requests instead of the
	// client's (not for streams).
	Timeout time.Duration `param:"timeout_ms"`
}

// CallInfo is what a call's requests saw (WithCallInfo), success or failure, without changing
// the server's JSON.
type CallInfo struct {
	// Attempts are the HTTP requests the call sent (retries included, redirects not).
	Attempts int `json:"attempts"`
	// DurationMs is the time from the call's start to its end.
	DurationMs int64 `json:"duration_ms"`
	// RequestID is the server's x-request-id of the last answer, or empty.
	RequestID string          `json:"request_id"`
	Raw       json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the info and keeps its text in Raw.
func (i *CallInfo) UnmarshalJSON(data []byte) error {
	type plain CallInfo
	return withRaw(data, (*plain)(i), &i.Raw)
}

type requestOptionsKey struct{}

type callInfoKey struct{}

// WithRequestOptions is ctx carrying options for the calls made with it.
func WithRequestOptions(ctx context.Context, options RequestOptions) context.Context {
	return context.WithValue(ctx, requestOptionsKey{}, options)
}

// WithCallInfo is ctx asking each call made with it to fill info when it ends (the last call's
// info stays).
func WithCallInfo(ctx context.Context, info *CallInfo) context.Context {
	return context.WithValue(ctx, callInfoKey{}, info)
}

// callContext adds the context's request options to a call's arguments, and says where its
// info goes (nil: nowhere).
func callContext(ctx context.Context, args map[string]any) (map[string]any, *CallInfo) {
	if options, ok := ctx.Value(requestOptionsKey{}).(RequestOptions); ok {
		with := make(map[string]any, len(args)+1)
		for k, v := range args {
			with[k] = v
		}
		with["request_options"] = fields(&options, "param")
		args = with
	}
	info, _ := ctx.Value(callInfoKey{}).(*CallInfo)
	return args, info
}
