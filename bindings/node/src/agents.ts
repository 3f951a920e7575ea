/** `client.agents`: finding and checking agents. */
import type { Agent, AgentList, AgentResponse } from "./answers.js";
import type { CallOptions, Caller } from "./caller.js";
import { answerOf } from "./json.js";
import { PagedList } from "./paging.js";
import { ListAgentsParams, listAgentsShape } from "./params.js";
import { toWire } from "./wire.js";

/** The agent calls. */
export class Agents {
  readonly #client: Caller;

  /** The calls of `client`. */
  constructor(client: Caller) {
    this.#client = client;
  }

  /** The agents the caller can read: `await` it for the first page, `for await` for every agent. */
  list(params: ListAgentsParams = {}, options?: CallOptions): PagedList<AgentList, Agent> {
    const fetch = (cursor: string | undefined) =>
      answerOf<AgentList>(this.#client.call("list_agents", () => ({ query: toWire(cursor === undefined ? params : { ...params, cursor }, listAgentsShape, "query") }), options));
    return new PagedList(fetch, (page) => page.agents);
  }

  /** Every agent, page after page (the same as iterating `list`). */
  listAll(params: ListAgentsParams = {}, options?: CallOptions): AsyncIterable<Agent> {
    return this.list(params, options);
  }

  /** One agent (the aliases `gumball` and `analytics` resolve to the caller's own). */
  retrieve(agentId: string, options?: CallOptions): Promise<AgentResponse> {
    return answerOf(this.#client.call("get_agent", { agent_id: agentId }, options));
  }
}
