package com.gumloop.ffi;

import static com.gumloop.ffi.Json.args;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** A client's agent calls ({@code client.agents()}): list and retrieve. */
public final class Agents {
    private final Calls engine;

    Agents(Calls engine) {
        this.engine = engine;
    }

    /**
     * One page of the agents the caller can read.
     *
     * @param params filters and paging (null: none)
     * @return the page
     */
    public AgentList list(ListParams params) {
        return engine.run("list_agents", args("query", params == null ? Json.object() : params.toJson()), null, AgentList::of);
    }

    /**
     * {@link #list} without blocking.
     *
     * @param params filters and paging
     * @return the page's future
     */
    public CompletableFuture<AgentList> listAsync(ListParams params) {
        return engine.submit("list_agents", args("query", params == null ? Json.object() : params.toJson()), null, AgentList::of);
    }

    /**
     * Every agent, page after page as the stream is read.
     *
     * @param params filters (null: none)
     * @return the agents
     */
    public Stream<Agent> listAll(ListParams params) {
        return Pages.all(params, this::list, AgentList::agents, AgentList::nextCursor);
    }

    /**
     * One agent.
     *
     * @param agentId the agent (or the alias {@code gumball} / {@code analytics})
     * @return the agent
     */
    public Agent retrieve(String agentId) {
        return engine.run("get_agent", args("agent_id", agentId), null, Agent::ofEnvelope);
    }

    /**
     * {@link #retrieve} without blocking.
     *
     * @param agentId the agent
     * @return the agent's future
     */
    public CompletableFuture<Agent> retrieveAsync(String agentId) {
        return engine.submit("get_agent", args("agent_id", agentId), null, Agent::ofEnvelope);
    }
}
