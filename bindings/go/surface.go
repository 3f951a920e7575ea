package gumloop

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
)

// Object is a JSON object as the server sent it, for the calls whose answers this package does
// not give a struct of their own.
type Object map[string]any

func object(text string, err error) (Object, error) {
	if err != nil {
		return nil, err
	}
	o := Object{}
	if err := json.Unmarshal([]byte(text), &o); err != nil {
		return nil, invalidResponse("a JSON object", err, text)
	}
	return o, nil
}

// UploadFile stores content as a file of the session; the answer's "file_name" goes into a
// send's Attachments. An empty mediaType lets the server guess it.
func (s *Sessions) UploadFile(ctx context.Context, sessionID, fileName string, content []byte, mediaType string) (Object, error) {
	args := map[string]any{"session_id": sessionID, "file_name": fileName}
	if mediaType != "" {
		args["media_type"] = mediaType
	}
	return object(s.client.run(ctx, "upload_file", args, content, nil))
}

// ApprovalResponse answers one pending ask: Action is "accept" or "reject".
type ApprovalResponse struct {
	ActionRequestID string         `json:"action_request_id"`
	Action          string         `json:"action"`
	Reason          string         `json:"reason,omitempty"`
	Response        map[string]any `json:"response,omitempty"`
}

// Accept answers a pending ask with "accept".
func Accept(actionRequestID string) ApprovalResponse {
	return ApprovalResponse{ActionRequestID: actionRequestID, Action: "accept"}
}

// Reject answers a pending ask with "reject" and a reason.
func Reject(actionRequestID, reason string) ApprovalResponse {
	return ApprovalResponse{ActionRequestID: actionRequestID, Action: "reject", Reason: reason}
}

// ResolveApprovals answers pending asks over REST: the answer has each item's "outcome" and,
// once nothing is pending, the "stream_cursor" from which ResumeStream streams the continuation.
func (s *Sessions) ResolveApprovals(ctx context.Context, sessionID string, responses []ApprovalResponse) (Object, error) {
	items := make([]any, len(responses))
	for i, r := range responses {
		item := map[string]any{"action_request_id": r.ActionRequestID, "action": r.Action}
		if r.Reason != "" {
			item["reason"] = r.Reason
		}
		if r.Response != nil {
			item["response"] = r.Response
		}
		items[i] = item
	}
	body := map[string]any{"approval_responses": items}
	return object(s.client.run(ctx, "resolve_approvals", map[string]any{"session_id": sessionID, "body": body}, nil, nil))
}

// ListQueue is the session's message queue: {"queue": [...]}.
func (s *Sessions) ListQueue(ctx context.Context, sessionID string) (Object, error) {
	return object(s.client.run(ctx, "list_queue", map[string]any{"session_id": sessionID}, nil, nil))
}

// QueueMessage adds a message to the session's queue.
func (s *Sessions) QueueMessage(ctx context.Context, sessionID, input string) (Object, error) {
	return object(s.client.run(ctx, "queue_message", map[string]any{"session_id": sessionID, "body": map[string]any{"input": input}}, nil, nil))
}

// EditQueuedMessage changes a queued message.
func (s *Sessions) EditQueuedMessage(ctx context.Context, sessionID, queuedMessageID, input string) (Object, error) {
	return object(s.client.run(ctx, "edit_queued_message", map[string]any{"session_id": sessionID, "queued_message_id": queuedMessageID, "body": map[string]any{"input": input}}, nil, nil))
}

// DeleteQueuedMessage removes a queued message.
func (s *Sessions) DeleteQueuedMessage(ctx context.Context, sessionID, queuedMessageID string) (Object, error) {
	return object(s.client.run(ctx, "delete_queued_message", map[string]any{"session_id": sessionID, "queued_message_id": queuedMessageID}, nil, nil))
}

// SendQueuedMessage sends a queued message now, interrupting the current run.
func (s *Sessions) SendQueuedMessage(ctx context.Context, sessionID, queuedMessageID string) (*SessionResponse, error) {
	return envelope(s.client.run(ctx, "send_queued_message", map[string]any{"session_id": sessionID, "queued_message_id": queuedMessageID}, nil, nil))
}

// GetAccess says who may see the session: {"access": {...}}.
func (s *Sessions) GetAccess(ctx context.Context, sessionID string) (Object, error) {
	return object(s.client.run(ctx, "get_session_access", map[string]any{"session_id": sessionID}, nil, nil))
}

// UpdateAccess shares, unshares or links the session (body: "share", "remove", "link").
func (s *Sessions) UpdateAccess(ctx context.Context, sessionID string, body map[string]any) (Object, error) {
	return object(s.client.run(ctx, "update_session_access", map[string]any{"session_id": sessionID, "body": body}, nil, nil))
}

// Agents are the calls for finding and checking agents.
type Agents struct{ client *Client }

// List is one page of agents: {"agents": [...], "next_cursor": ...}; query keys: search,
// team_id, page_size, cursor, summary.
func (a *Agents) List(ctx context.Context, query map[string]any) (Object, error) {
	if query == nil {
		query = map[string]any{}
	}
	return object(a.client.run(ctx, "list_agents", map[string]any{"query": query}, nil, nil))
}

// ListAll calls f with every agent, page after page.
func (a *Agents) ListAll(ctx context.Context, query map[string]any, f func(Object) error) error {
	return everyPage(query, "agents", func(q map[string]any) (Object, error) { return a.List(ctx, q) }, f)
}

// Retrieve is one agent: {"agent": {...}}.
func (a *Agents) Retrieve(ctx context.Context, agentID string) (Object, error) {
	return object(a.client.run(ctx, "get_agent", map[string]any{"agent_id": agentID}, nil, nil))
}

// Artifacts are the calls for the files agents produced.
type Artifacts struct{ client *Client }

// List is one page of the agent's artifacts; query keys: session_id, search_query,
// sort_order, page_size, cursor.
func (a *Artifacts) List(ctx context.Context, agentID string, query map[string]any) (Object, error) {
	if query == nil {
		query = map[string]any{}
	}
	return object(a.client.run(ctx, "list_artifacts", map[string]any{"agent_id": agentID, "query": query}, nil, nil))
}

// ListAll calls f with every artifact of the agent, page after page.
func (a *Artifacts) ListAll(ctx context.Context, agentID string, query map[string]any, f func(Object) error) error {
	return everyPage(query, "artifacts", func(q map[string]any) (Object, error) { return a.List(ctx, agentID, q) }, f)
}

// Download describes where an artifact's bytes are: download_url, filename, media_type, size
// (the official SDK's download). An empty versionID means the newest.
func (a *Artifacts) Download(ctx context.Context, artifactID, versionID string) (Object, error) {
	args := map[string]any{"artifact_id": artifactID}
	if versionID != "" {
		args["version_id"] = versionID
	}
	return object(a.client.run(ctx, "get_artifact_download", args, nil, nil))
}

// DownloadOptions bound a download; zero fields keep the library's defaults.
type DownloadOptions struct {
	VersionID string
	MaxBytes  int64
}

// DownloadToFile fetches the bytes into path: written to a temporary name and renamed, with
// no Gumloop credential sent to another origin.
func (a *Artifacts) DownloadToFile(ctx context.Context, artifactID, path string, opts *DownloadOptions) (Object, error) {
	options := map[string]any{}
	if opts != nil {
		if opts.VersionID != "" {
			options["version_id"] = opts.VersionID
		}
		if opts.MaxBytes != 0 {
			options["max_bytes"] = opts.MaxBytes
		}
	}
	return object(a.client.run(ctx, "download_artifact_to_file", map[string]any{"artifact_id": artifactID, "path": path, "options": options}, nil, nil))
}

// DownloadBytes fetches the bytes into memory, through a private temporary file removed after.
func (a *Artifacts) DownloadBytes(ctx context.Context, artifactID string, opts *DownloadOptions) ([]byte, error) {
	dir, err := os.MkdirTemp("", "gumloop-artifact-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "artifact")
	if _, err := a.DownloadToFile(ctx, artifactID, file, opts); err != nil {
		return nil, err
	}
	return os.ReadFile(file)
}

// Request sends a request the package does not wrap: path is given as segments (each encoded
// as one segment, after the API's base path), with the library's credentials, safe-retry
// rules, limits and error model. query and body may be nil. The answer is the server's JSON.
func (c *Client) Request(ctx context.Context, method string, path []string, query map[string]any, body any) (json.RawMessage, error) {
	segments := make([]any, len(path))
	for i, p := range path {
		segments[i] = p
	}
	args := map[string]any{"method": method, "path": segments}
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

// everyPage walks a cursor-paged listing whose items are under key.
func everyPage(query map[string]any, key string, page func(map[string]any) (Object, error), f func(Object) error) error {
	q := map[string]any{}
	for k, v := range query {
		q[k] = v
	}
	for {
		o, err := page(q)
		if err != nil {
			return err
		}
		items, _ := o[key].([]any)
		for _, item := range items {
			m, _ := item.(map[string]any)
			if err := f(Object(m)); err != nil {
				return err
			}
		}
		next, _ := o["next_cursor"].(string)
		if next == "" {
			return nil
		}
		q["cursor"] = next
	}
}
