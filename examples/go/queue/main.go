// queue: hand a busy session messages through its queue: queue, edit, list, delete, and send
// one now; a queued send with an idempotency key is queued once.
//
//	cd examples/go && go run ./queue [agent_id]
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

	// A long run keeps the session busy ("[slow:N]" makes the emulator take N ms).
	busy, err := client.Sessions.Create(ctx, agentID, &gumloop.CreateParams{Input: "[slow:30000] Research the market"})
	if err != nil {
		return err
	}
	id := busy.Session.ID
	first, err := client.Sessions.QueueMessage(ctx, id, "Then draft an e-mail")
	if err != nil {
		return err
	}
	second, err := client.Sessions.QueueMessage(ctx, id, "And a tweet")
	if err != nil {
		return err
	}
	if _, err := client.Sessions.EditQueuedMessage(ctx, id, first.QueuedMessage.ID, "Then draft a short e-mail"); err != nil {
		return err
	}
	if _, err := client.Sessions.DeleteQueuedMessage(ctx, id, second.QueuedMessage.ID); err != nil {
		return err
	}
	receipt, err := client.Sessions.Send(ctx, id, &gumloop.SendParams{
		Input: "Finally, a summary", Delivery: gumloop.DeliveryQueued, IdempotencyKey: "summary-1",
	})
	if err != nil {
		return err
	}
	fmt.Printf("queued by send: %s (%s)\n", receipt.Receipt.MessageID, receipt.Receipt.Status)
	queue, err := client.Sessions.ListQueue(ctx, id)
	if err != nil {
		return err
	}
	for _, m := range queue.Queue {
		fmt.Printf("%d. %s [%s]\n", m.Position, m.Input, m.State)
	}
	if len(queue.Queue) != 2 {
		return fmt.Errorf("expected 2 queued messages, got %d", len(queue.Queue))
	}
	// Send the first one now: it interrupts the long run.
	now, err := client.Sessions.SendQueuedMessage(ctx, id, first.QueuedMessage.ID)
	if err != nil {
		return err
	}
	fmt.Printf("sent now; the session is %s\n", now.Session.State)
	_, err = client.Sessions.Cancel(ctx, id)
	return err
}
