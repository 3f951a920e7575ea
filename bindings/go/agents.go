package gumloop

import (
	"context"
	"iter"
)

// Agents are the calls for finding and checking agents.
type Agents struct{ client *Client }

// List is one page of the agents the caller can read.
func (a *Agents) List(ctx context.Context, params *AgentListParams) (*AgentList, error) {
	text, err := a.client.run(ctx, "list_agents", map[string]any{"query": fields(params, "param")}, nil, nil)
	return decoded[AgentList](text, err, "a list of agents")
}

// ListAll is every agent, page after page from params.Cursor, for a range loop; a failed page
// is yielded as the error and ends the loop.
func (a *Agents) ListAll(ctx context.Context, params *AgentListParams) iter.Seq2[Agent, error] {
	page := AgentListParams{}
	if params != nil {
		page = *params
	}
	return pages(page.Cursor, func(cursor string) ([]Agent, string, error) {
		page.Cursor = cursor
		list, err := a.List(ctx, &page)
		if err != nil {
			return nil, "", err
		}
		return list.Agents, list.NextCursor, nil
	})
}

// Retrieve is one agent (also the aliases "gumball" and "analytics").
func (a *Agents) Retrieve(ctx context.Context, agentID string) (*Agent, error) {
	text, err := a.client.run(ctx, "get_agent", map[string]any{"agent_id": agentID}, nil, nil)
	got, err := decoded[agentEnvelope](text, err, "an agent")
	if err != nil {
		return nil, err
	}
	return &got.Agent, nil
}
