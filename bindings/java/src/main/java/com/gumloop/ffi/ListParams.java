package com.gumloop.ffi;

/**
 * Filters and paging of a list (sessions, agents or artifacts; each list takes the keys its
 * endpoint knows, and the library refuses none it sends on). Fields not set are left out.
 */
public final class ListParams extends Fields<ListParams> {
    /** No filter: the first page at the server's page size. */
    public ListParams() {}

    @Override
    ListParams self() {
        return this;
    }

    /**
     * Items per page (1–100).
     *
     * @param pageSize the size
     * @return this
     */
    public ListParams pageSize(int pageSize) {
        fields.put("page_size", pageSize);
        return this;
    }

    /**
     * The page after a list's {@code nextCursor}.
     *
     * @param cursor the cursor
     * @return this
     */
    public ListParams cursor(String cursor) {
        return put("cursor", cursor);
    }

    /**
     * Text to search for (sessions and agents).
     *
     * @param search the text
     * @return this
     */
    public ListParams search(String search) {
        return put("search", search);
    }

    /**
     * Text to search for in artifact file names.
     *
     * @param query the text
     * @return this
     */
    public ListParams searchQuery(String query) {
        return put("search_query", query);
    }

    /**
     * {@code newest} (default) or {@code oldest}.
     *
     * @param order the order
     * @return this
     */
    public ListParams sortOrder(String order) {
        return put("sort_order", order);
    }

    /**
     * Sessions in this state only.
     *
     * @param state the state
     * @return this
     */
    public ListParams state(String state) {
        return put("state", state);
    }

    /**
     * Sessions of this type only.
     *
     * @param type the type
     * @return this
     */
    public ListParams type(String type) {
        return put("type", type);
    }

    /**
     * Sessions created by this user only.
     *
     * @param userId the user
     * @return this
     */
    public ListParams creatorUserId(String userId) {
        return put("creator_user_id", userId);
    }

    /**
     * Artifacts of this session only.
     *
     * @param sessionId the session
     * @return this
     */
    public ListParams sessionId(String sessionId) {
        return put("session_id", sessionId);
    }

    /**
     * Agents of this team only.
     *
     * @param teamId the team
     * @return this
     */
    public ListParams teamId(String teamId) {
        return put("team_id", teamId);
    }

    /**
     * Agents with only their summary fields.
     *
     * @param summary whether
     * @return this
     */
    public ListParams summary(boolean summary) {
        fields.put("summary", summary);
        return this;
    }

    /** A copy with another cursor (for the next page). */
    ListParams withCursor(String cursor) {
        ListParams next = new ListParams();
        next.fields.setAll(fields);
        next.fields.put("cursor", cursor);
        return next;
    }
}
