package gumloop

import "context"

// UploadFile stores content as a file of the session. Attach it to a send with the answer's
// Attachment():
//
//	file, err := client.Sessions.UploadFile(ctx, sessionID, "notes.txt", data, "text/plain")
//	...
//	client.Sessions.Send(ctx, sessionID, &gumloop.SendParams{Input: "Read it",
//		Attachments: []gumloop.Attachment{file.Attachment()}})
//
// An empty mediaType lets the server guess it. Content over the client's MaxUploadBytes is
// refused before anything is sent.
func (s *Sessions) UploadFile(ctx context.Context, sessionID, fileName string, content []byte, mediaType string) (*UploadedFile, error) {
	args := map[string]any{"session_id": sessionID, "file_name": fileName}
	if mediaType != "" {
		args["media_type"] = mediaType
	}
	text, err := s.client.run(ctx, "upload_file", args, content, nil)
	return decoded[UploadedFile](text, err, "a stored file")
}

// ResolveApprovals answers pending asks over REST (Accept, Reject, Answer). The answer has each
// item's outcome and, once nothing is pending, the StreamCursor from which ResumeStream streams
// the continuation.
func (s *Sessions) ResolveApprovals(ctx context.Context, sessionID string, responses []ApprovalResponse) (*ApprovalResult, error) {
	body := map[string]any{"approval_responses": responses}
	text, err := s.client.run(ctx, "resolve_approvals", map[string]any{"session_id": sessionID, "body": body}, nil, nil)
	return decoded[ApprovalResult](text, err, "an approvals answer")
}

func queue(text string, err error) (*Queue, error) {
	return decoded[Queue](text, err, "a queue")
}

// ListQueue is the session's message queue.
func (s *Sessions) ListQueue(ctx context.Context, sessionID string) (*Queue, error) {
	return queue(s.client.run(ctx, "list_queue", map[string]any{"session_id": sessionID}, nil, nil))
}

// QueueMessage adds a message to the session's queue (at most 20); the answer's QueuedMessage
// is the new entry.
func (s *Sessions) QueueMessage(ctx context.Context, sessionID, input string) (*Queue, error) {
	return queue(s.client.run(ctx, "queue_message", map[string]any{"session_id": sessionID, "body": map[string]any{"input": input}}, nil, nil))
}

// EditQueuedMessage changes a queued message's input.
func (s *Sessions) EditQueuedMessage(ctx context.Context, sessionID, queuedMessageID, input string) (*Queue, error) {
	return queue(s.client.run(ctx, "edit_queued_message", map[string]any{"session_id": sessionID, "queued_message_id": queuedMessageID, "body": map[string]any{"input": input}}, nil, nil))
}

// DeleteQueuedMessage removes a queued message.
func (s *Sessions) DeleteQueuedMessage(ctx context.Context, sessionID, queuedMessageID string) (*Queue, error) {
	return queue(s.client.run(ctx, "delete_queued_message", map[string]any{"session_id": sessionID, "queued_message_id": queuedMessageID}, nil, nil))
}

// SendQueuedMessage sends a queued message now, interrupting the current run.
func (s *Sessions) SendQueuedMessage(ctx context.Context, sessionID, queuedMessageID string) (*SessionResponse, error) {
	return envelope(s.client.run(ctx, "send_queued_message", map[string]any{"session_id": sessionID, "queued_message_id": queuedMessageID}, nil, nil))
}

// GetAccess says who may see the session.
func (s *Sessions) GetAccess(ctx context.Context, sessionID string) (*AccessResponse, error) {
	text, err := s.client.run(ctx, "get_session_access", map[string]any{"session_id": sessionID}, nil, nil)
	return decoded[AccessResponse](text, err, "an access document")
}

// UpdateAccess shares, unshares or links the session; the answer's Notified are the e-mails
// newly shared with.
func (s *Sessions) UpdateAccess(ctx context.Context, sessionID string, change *AccessChange) (*AccessResponse, error) {
	text, err := s.client.run(ctx, "update_session_access", map[string]any{"session_id": sessionID, "body": fields(change, "param")}, nil, nil)
	return decoded[AccessResponse](text, err, "an access document")
}
