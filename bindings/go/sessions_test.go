package gumloop

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

var ctx = context.Background()

func TestTheLoadedLibraryMatchesTheHeader(t *testing.T) {
	if LibraryVersion() != HeaderVersion {
		t.Fatalf("library %q, header %q", LibraryVersion(), HeaderVersion)
	}
}

func TestCreateRetrieveRenameAndCancel(t *testing.T) {
	c := ada(t, nil)
	idle, err := c.Sessions.Create(ctx, "agent_pro", nil)
	if err != nil {
		t.Fatal(err)
	}
	if idle.Session.State != "idle" || idle.Session.AgentID != "agent_pro" || idle.Session.ID == "" {
		t.Fatalf("an idle stub: %+v", idle.Session)
	}
	working, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "[slow:60000] think", Name: "go test"})
	if err != nil {
		t.Fatal(err)
	}
	if working.Session.State != "processing" || working.Session.Name != "go test" {
		t.Fatalf("a working session: %+v", working.Session)
	}
	got, err := c.Sessions.Retrieve(ctx, working.Session.ID)
	if err != nil || got.Session.ID != working.Session.ID || len(got.Session.Messages) != 1 {
		t.Fatalf("retrieve: %+v, %v", got, err)
	}
	if !strings.Contains(string(got.Raw), working.Session.ID) || got.Session.Raw == nil {
		t.Fatalf("raw answer kept: %s", got.Raw)
	}
	renamed, err := c.Sessions.Update(ctx, working.Session.ID, "renamed")
	if err != nil || renamed.Session.Name != "renamed" {
		t.Fatalf("update: %+v, %v", renamed, err)
	}
	cancelled, err := c.Sessions.Cancel(ctx, working.Session.ID)
	if err != nil || cancelled.Session.State != "failed" {
		t.Fatalf("cancel: %+v, %v", cancelled, err)
	}
}

func TestListPagesThroughEverySession(t *testing.T) {
	c := ada(t, nil)
	made := map[string]bool{}
	for i := 0; i < 5; i++ {
		r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Name: fmt.Sprintf("list %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		made[r.Session.ID] = true
	}
	page, err := c.Sessions.List(ctx, "agent_pro", &ListParams{PageSize: 2})
	if err != nil || len(page.Sessions) != 2 || page.NextCursor == "" {
		t.Fatalf("first page: %+v, %v", page, err)
	}
	seen := map[string]bool{}
	for session, err := range c.Sessions.ListAll(ctx, "agent_pro", &ListParams{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[session.ID] {
			t.Fatalf("%s listed twice", session.ID)
		}
		seen[session.ID] = true
	}
	if len(seen) != 5 {
		t.Fatalf("all pages: %d sessions", len(seen))
	}
	// Leaving the loop early stops the paging: one page was fetched, not three.
	adminCall(t, "DELETE", "/requests", nil)
	for range c.Sessions.ListAll(ctx, "agent_pro", &ListParams{PageSize: 2}) {
		break
	}
	if n := len(requests(t)); n != 1 {
		t.Fatalf("%d pages fetched for one item", n)
	}
	for id := range made {
		if !seen[id] {
			t.Fatalf("%s not listed", id)
		}
	}
}

func TestSendWaitAndQueue(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", &CreateParams{Input: "first"})
	if err != nil {
		t.Fatal(err)
	}
	id := r.Session.ID
	if _, err := c.Sessions.Send(ctx, id, &SendParams{Input: "too soon"}); !errors.Is(err, ErrConflict) || !errors.Is(err, ErrAPIStatus) {
		t.Fatalf("a send to a busy session: %v", err)
	}
	queued, err := c.Sessions.Send(ctx, id, &SendParams{Input: "later", Delivery: DeliveryQueued, IdempotencyKey: "go-key-1"})
	if err != nil || queued.Receipt == nil || queued.Receipt.MessageID == "" {
		t.Fatalf("queued send: %+v, %v", queued, err)
	}
	again, err := c.Sessions.Send(ctx, id, &SendParams{Input: "later", Delivery: DeliveryQueued, IdempotencyKey: "go-key-1"})
	if err != nil || again.Receipt.MessageID != queued.Receipt.MessageID {
		t.Fatalf("a repeated key gives the same receipt: %+v, %v", again, err)
	}
	done, err := c.Sessions.Wait(ctx, id, nil)
	if err != nil || done.Session.State != "completed" {
		t.Fatalf("wait: %+v, %v", done, err)
	}
	now, err := c.Sessions.Send(ctx, id, &SendParams{Input: "now"})
	if err != nil || now.Response == nil || now.Response.Session.ID != id {
		t.Fatalf("immediate send: %+v, %v", now, err)
	}
}

func TestStreamDeliversEveryWordOnceAndResumesAfterADrop(t *testing.T) {
	c := ada(t, nil)
	arm(t, map[string]any{"listener": "stream", "drop_stream_after": 7})
	adminCall(t, "DELETE", "/requests", nil)
	var words, cursors []string
	sessionID, last := "", Event{}
	for e, err := range c.Sessions.Stream(ctx, "agent_pro", &CreateParams{Input: "[words:40] go"}) {
		if err != nil {
			t.Fatal(err)
		}
		cursors = append(cursors, e.StreamCursor)
		if e.Type == "interaction-ready" {
			sessionID = e.InteractionID
		}
		if e.Type == "text-delta" {
			words = append(words, strings.TrimSpace(e.Delta))
		}
		last = e
	}
	if len(words) != 40 || !last.Final || last.FinishReason != "stop" || sessionID == "" {
		t.Fatalf("%d words, last event %+v", len(words), last)
	}
	seen := map[string]bool{}
	for _, cursor := range cursors {
		if seen[cursor] {
			t.Fatalf("event %s delivered twice", cursor)
		}
		seen[cursor] = true
	}
	// The drop was resumed with the last cursor seen, once.
	resumes := 0
	for _, r := range requests(t) {
		if r["method"] == "GET" && strings.Contains(fmt.Sprint(r["query"]), "last_cursor") {
			resumes++
		}
	}
	if resumes != 1 {
		t.Fatalf("%d resumes", resumes)
	}
	// The rest of the session's events, replayed after an early cursor: the run has ended, so
	// the stream says it cannot resume.
	var reasons []string
	for e, err := range c.Sessions.ResumeStream(ctx, sessionID, cursors[2]) {
		if err != nil {
			t.Fatal(err)
		}
		reasons = append(reasons, e.FinishReason)
	}
	if len(reasons) != 1 || reasons[0] != "not_resumable" {
		t.Fatalf("resume of an ended run: %v", reasons)
	}
}

func TestStreamMessageAndALoopThatStops(t *testing.T) {
	c := ada(t, nil)
	r, err := c.Sessions.Create(ctx, "agent_pro", nil)
	if err != nil {
		t.Fatal(err)
	}
	count, final := 0, false
	for e, err := range c.Sessions.StreamMessage(ctx, r.Session.ID, &SendParams{Input: "[words:5] hi"}) {
		if err != nil {
			t.Fatal(err)
		}
		count++
		final = e.Final
	}
	if count != 10 || !final {
		t.Fatalf("stream message: %d events, final %v", count, final)
	}
	// A loop left with break cancels the run's stream; the session is free for the next call.
	seen := 0
	for _, err := range c.Sessions.StreamMessage(ctx, r.Session.ID, &SendParams{Input: "[words:50] more"}) {
		if err != nil {
			t.Fatal(err)
		}
		if seen++; seen == 3 {
			break
		}
	}
	if seen != 3 {
		t.Fatalf("%d events after break", seen)
	}
	if _, err := c.Sessions.Retrieve(ctx, r.Session.ID); err != nil {
		t.Fatal(err)
	}
}

func TestAPanickingLoopPanicsInTheCaller(t *testing.T) {
	c := ada(t, nil)
	defer func() {
		if r := recover(); r != "boom" {
			t.Fatalf("recovered %v", r)
		}
		// The client still works after the panic went through.
		if _, err := c.Sessions.Create(ctx, "agent_pro", nil); err != nil {
			t.Fatal(err)
		}
	}()
	for range c.Sessions.Stream(ctx, "agent_pro", &CreateParams{Input: "[words:5] x"}) {
		panic("boom")
	}
	t.Fatal("no panic")
}
