package gumloop

import (
	"context"
	"encoding/json"
)

// Request sends a request the package does not wrap: path is given as segments (each encoded
// as one segment, after the API's base path), with the library's credentials, safe-retry
// rules, limits and error model. query and body may be nil. The answer is the server's JSON.
func (c *Client) Request(ctx context.Context, method string, path []string, query map[string]any, body any) (json.RawMessage, error) {
	args := map[string]any{"method": method, "path": path}
	if query != nil {
		args["query"] = query
	}
	if body != nil {
		args["body"] = body
	}
	text, err := c.run(ctx, "send_request", args, nil, nil)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(text), nil
}
