package gumloop

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestAnUploadedFileIsAttachedAndMentioned(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", nil)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := c.Sessions.UploadFile(ctx, r.Session.ID, "notes.txt", []byte("hello notes"), "text/plain")
	if err != nil || stored["file_name"] != "sessions/"+r.Session.ID+"/files/notes.txt" || stored["size"] != float64(11) {
		t.Fatalf("upload: %v, %v", stored, err)
	}
	var sent map[string]any
	for _, req := range requests(t) {
		if strings.HasSuffix(req["path"].(string), "/files") {
			_ = json.Unmarshal([]byte(req["body"].(string)), &sent)
		}
	}
	if sent["file_content"] != base64.StdEncoding.EncodeToString([]byte("hello notes")) {
		t.Fatalf("the upload's body: %v", sent)
	}
	if _, err := c.Sessions.Send(ctx, r.Session.ID, &SendParams{Input: "read it", Extra: map[string]any{"attachments": []any{map[string]any{"file_name": stored["file_name"]}}}}); err != nil {
		t.Fatal(err)
	}
	done, err := c.Sessions.Wait(ctx, r.Session.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	last := done.Session.Messages[len(done.Session.Messages)-1]
	if last.Content == nil || !strings.Contains(*last.Content, "Attached files: notes.txt (11 bytes)") {
		t.Fatalf("the answer: %v", last.Content)
	}
}

func TestApprovalsStopAWaitAndAcceptingStreamsTheContinuation(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "[approval:2] deploy"})
	if err != nil {
		t.Fatal(err)
	}
	paused, err := c.Sessions.Wait(ctx, r.Session.ID, nil)
	if err != nil || paused.Session.State != "approval_required" {
		t.Fatalf("wait: %+v, %v", paused, err)
	}
	var asks []map[string]any
	if err := json.Unmarshal(paused.Session.PendingAsks, &asks); err != nil || len(asks) != 2 {
		t.Fatalf("asks: %s", paused.Session.PendingAsks)
	}
	_, err = c.Sessions.ResolveApprovals(ctx, r.Session.ID, []ApprovalResponse{Accept("nope")})
	expect(t, err, ErrBadRequest)
	resolved, err := c.Sessions.ResolveApprovals(ctx, r.Session.ID, []ApprovalResponse{
		Accept(asks[0]["action_request_id"].(string)), Reject(asks[1]["action_request_id"].(string), "not now"),
	})
	if err != nil {
		t.Fatal(err)
	}
	results := resolved["results"].([]any)
	if results[0].(map[string]any)["outcome"] != "accepted" || results[1].(map[string]any)["outcome"] != "rejected" {
		t.Fatalf("results: %v", results)
	}
	text := ""
	_, err = c.Sessions.ResumeStream(ctx, r.Session.ID, resolved["stream_cursor"].(string), func(e Event) error {
		if e.Type == "text-delta" {
			text += e.Delta
		}
		return nil
	})
	if err != nil || !strings.Contains(text, "Continuing after approvals") || !strings.Contains(text, "not now") {
		t.Fatalf("the continuation: %q, %v", text, err)
	}
}

func TestTheQueue(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "[slow:60000] busy"})
	if err != nil {
		t.Fatal(err)
	}
	id := r.Session.ID
	first, err := c.Sessions.QueueMessage(ctx, id, "one")
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Sessions.QueueMessage(ctx, id, "two")
	if err != nil {
		t.Fatal(err)
	}
	firstID := first["queued_message"].(map[string]any)["id"].(string)
	secondID := second["queued_message"].(map[string]any)["id"].(string)
	if _, err := c.Sessions.EditQueuedMessage(ctx, id, firstID, "one, edited"); err != nil {
		t.Fatal(err)
	}
	listed, err := c.Sessions.ListQueue(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	queue := listed["queue"].([]any)
	if len(queue) != 2 || queue[0].(map[string]any)["input"] != "one, edited" {
		t.Fatalf("queue: %v", queue)
	}
	if _, err := c.Sessions.DeleteQueuedMessage(ctx, id, secondID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Sessions.DeleteQueuedMessage(ctx, id, secondID)
	expect(t, err, ErrNotFound)
	sent, err := c.Sessions.SendQueuedMessage(ctx, id, firstID)
	if err != nil || sent.Session.ID != id {
		t.Fatalf("send now: %+v, %v", sent, err)
	}
	if _, err := c.Sessions.Cancel(ctx, id); err != nil {
		t.Fatal(err)
	}
}

func TestAccess(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.Sessions.GetAccess(ctx, r.Session.ID); err != nil || got["access"] == nil {
		t.Fatalf("get access: %v, %v", got, err)
	}
	changed, err := c.Sessions.UpdateAccess(ctx, r.Session.ID, map[string]any{
		"share": []any{map[string]any{"type": "person", "email": "bob@example.com", "role": "viewer"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if notified := changed["notified"].([]any); len(notified) != 1 || notified[0] != "bob@example.com" {
		t.Fatalf("notified: %v", changed["notified"])
	}
}

func TestAgents(t *testing.T) {
	c := ada(t, nil)
	seen := map[string]bool{}
	err := c.Agents.ListAll(ctx, map[string]any{"page_size": 2}, func(a Object) error {
		seen[a["id"].(string)] = true
		return nil
	})
	if err != nil || !seen["agent_pro"] {
		t.Fatalf("agents: %v, %v", seen, err)
	}
	got, err := c.Agents.Retrieve(ctx, "agent_pro")
	if err != nil || got["agent"].(map[string]any)["name"] != "Sales research agent" {
		t.Fatalf("retrieve: %v, %v", got, err)
	}
	_, err = c.Agents.Retrieve(ctx, "agent_none")
	expect(t, err, ErrNotFound)
}

func TestArtifactsAreFetchedWithoutTrustingTheirNames(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "[artifact:../report.txt:40] make it"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sessions.Wait(ctx, r.Session.ID, nil); err != nil {
		t.Fatal(err)
	}
	var artifact Object
	err = c.Artifacts.ListAll(ctx, "agent_pro", map[string]any{"session_id": r.Session.ID}, func(a Object) error {
		artifact = a
		return nil
	})
	if err != nil || artifact == nil || artifact["filename"] != "../report.txt" {
		t.Fatalf("list: %v, %v", artifact, err)
	}
	id := artifact["id"].(string)
	described, err := c.Artifacts.Download(ctx, id, "")
	if err != nil || described["size"] != float64(40) {
		t.Fatalf("download: %v, %v", described, err)
	}
	want := strings.Repeat(r.Session.ID+"/../report.txt\n", 10)[:40]
	got, err := c.Artifacts.DownloadBytes(ctx, id, nil)
	if err != nil || string(got) != want {
		t.Fatalf("bytes: %q, %v", got, err)
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "saved.txt")
	if _, err := c.Artifacts.DownloadToFile(ctx, id, target, nil); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(target); string(data) != want {
		t.Fatalf("file: %q", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("the download left %d files", len(entries))
	}
	_, err = c.Artifacts.DownloadBytes(ctx, id, &DownloadOptions{MaxBytes: 10})
	expect(t, err, ErrResponseTooLarge)
}

func TestARawRequestEncodesEachSegment(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := c.Request(ctx, "GET", []string{"sessions", r.Session.ID}, nil, nil)
	if err != nil || !strings.Contains(string(raw), r.Session.ID) {
		t.Fatalf("raw: %s, %v", raw, err)
	}
	_, err = c.Request(ctx, "GET", []string{"sessions", "../agents"}, nil, nil)
	expect(t, err, ErrNotFound)
	found := false
	for _, req := range requests(t) {
		if ok, _ := regexp.MatchString(`^/api/v1/sessions/\.\.%2Fagents$`, req["path"].(string)); ok {
			found = true
		}
	}
	if !found {
		t.Fatal("the raw path was not sent as one encoded segment")
	}
}
