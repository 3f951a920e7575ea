// approvals: a run that pauses for approval, its asks read from the stream (with their request
// IDs), one accepted and one rejected, and the continuation streamed from the resume cursor.
//
//	cd examples/go && go run ./approvals [agent_id]
//
// The input's "[approval:2]" asks the emulator for two approvals; a real agent asks when its
// tools need it.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"go.gumloop.com/gumloop"
)

func main() {
	agentID := "gumball"
	if len(os.Args) > 1 {
		agentID = os.Args[1]
	}
	if err := run(agentID); err != nil {
		fmt.Fprintf(os.Stderr, "failed: %v\n", err)
		os.Exit(1)
	}
}

func run(agentID string) error {
	client, err := gumloop.NewClient(nil)
	if err != nil {
		return err
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	sessionID := ""
	var asks []*gumloop.Approval
	for ev, err := range client.Sessions.Stream(ctx, agentID, &gumloop.CreateParams{Input: "[approval:2] Deploy the release"}) {
		if err != nil {
			return err
		}
		switch ev.Type {
		case "interaction-ready":
			sessionID = ev.InteractionID
		case "action-request":
			fmt.Printf("asked: %s (%s)\n", ev.ActionRequest.Title, ev.ActionRequestID)
			asks = append(asks, ev.ActionRequest)
		}
	}
	session, err := client.Sessions.Retrieve(ctx, sessionID)
	if err != nil {
		return err
	}
	if session.Session.State != "approval_required" || len(asks) != 2 {
		return fmt.Errorf("expected two pending asks, got state %s and %d asks", session.Session.State, len(asks))
	}

	resolved, err := client.Sessions.ResolveApprovals(ctx, sessionID, []gumloop.ApprovalResponse{
		gumloop.Accept(asks[0].ActionRequestID),
		gumloop.Reject(asks[1].ActionRequestID, "Not during the freeze"),
	})
	if err != nil {
		return err
	}
	for _, r := range resolved.Results {
		fmt.Printf("%s: %s\n", r.ActionRequestID, r.Outcome)
	}

	// Resume from the cursor the answer gave: the continuation of the run.
	for ev, err := range client.Sessions.ResumeStream(ctx, sessionID, resolved.StreamCursor) {
		if err != nil {
			return err
		}
		fmt.Print(ev.Delta)
	}
	final, err := client.Sessions.Retrieve(ctx, sessionID)
	if err != nil {
		return err
	}
	fmt.Printf("\nthe session is %s\n", final.Session.State)
	if final.Session.State != "completed" {
		return fmt.Errorf("the run did not complete")
	}
	return nil
}
