package com.gumloop.ffi;

import static com.gumloop.ffi.Json.args;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A client's session calls ({@code client.sessions()}), named as the official SDK names them
 * ({@code create}, {@code retrieve}, {@code list}, {@code send}, {@code stream} ...). Each
 * blocks its caller (an interrupt cancels it and throws {@link CancelledException}) and has an
 * {@code ...Async} twin returning a {@link CompletableFuture} whose {@code cancel} ends the call.
 */
public final class Sessions {
    private final Calls engine;

    Sessions(Calls engine) {
        this.engine = engine;
    }

    private static ObjectNode body(Fields<?> params) {
        return params == null ? Json.object() : params.toJson();
    }

    /**
     * Creates a session: an idle stub without input, a working session with it.
     *
     * @param agentId the agent
     * @param params the body
     * @return the session envelope
     */
    public SessionResponse create(String agentId, CreateParams params) {
        return engine.run("create_session", args("agent_id", agentId, "body", body(params)), null, SessionResponse::of);
    }

    /**
     * {@link #create} without blocking.
     *
     * @param agentId the agent
     * @param params the body
     * @return the envelope's future
     */
    public CompletableFuture<SessionResponse> createAsync(String agentId, CreateParams params) {
        return engine.submit("create_session", args("agent_id", agentId, "body", body(params)), null, SessionResponse::of);
    }

    /**
     * Fetches a session with its transcript.
     *
     * @param sessionId the session
     * @return the envelope
     */
    public SessionResponse retrieve(String sessionId) {
        return engine.run("get_session", args("session_id", sessionId), null, SessionResponse::of);
    }

    /**
     * {@link #retrieve} without blocking.
     *
     * @param sessionId the session
     * @return the envelope's future
     */
    public CompletableFuture<SessionResponse> retrieveAsync(String sessionId) {
        return engine.submit("get_session", args("session_id", sessionId), null, SessionResponse::of);
    }

    /**
     * One page of the agent's sessions.
     *
     * @param agentId the agent
     * @param params filters and paging (null: none)
     * @return the page
     */
    public SessionList list(String agentId, ListParams params) {
        return engine.run("list_sessions", args("agent_id", agentId, "query", body(params)), null, SessionList::of);
    }

    /**
     * {@link #list} without blocking.
     *
     * @param agentId the agent
     * @param params filters and paging
     * @return the page's future
     */
    public CompletableFuture<SessionList> listAsync(String agentId, ListParams params) {
        return engine.submit("list_sessions", args("agent_id", agentId, "query", body(params)), null, SessionList::of);
    }

    /**
     * Every session of the agent, page after page as the stream is read.
     *
     * @param agentId the agent
     * @param params filters (null: none)
     * @return the sessions
     */
    public Stream<Session> listAll(String agentId, ListParams params) {
        return Pages.all(params, p -> list(agentId, p), SessionList::sessions, SessionList::nextCursor);
    }

    /**
     * Sends a message to an idle or settled session; a busy one answers {@link ConflictException}
     * (queue the message with {@link #sendQueued} instead).
     *
     * @param sessionId the session
     * @param params the message
     * @return the session envelope
     */
    public SessionResponse send(String sessionId, SendParams params) {
        return engine.run("send_message", sendArgs(sessionId, params, false), null, SessionResponse::of);
    }

    /**
     * {@link #send} without blocking.
     *
     * @param sessionId the session
     * @param params the message
     * @return the envelope's future
     */
    public CompletableFuture<SessionResponse> sendAsync(String sessionId, SendParams params) {
        return engine.submit("send_message", sendArgs(sessionId, params, false), null, SessionResponse::of);
    }

    /**
     * Sends with {@code "delivery":"queued"}: on a busy session the message waits in its queue.
     * The library adds an {@code Idempotency-Key}, so a repeat never queues it twice.
     *
     * @param sessionId the session
     * @param params the message
     * @return the receipt
     */
    public MessageReceipt sendQueued(String sessionId, SendParams params) {
        return engine.run("send_message", sendArgs(sessionId, params, true), null, MessageReceipt::of);
    }

    /**
     * {@link #sendQueued} without blocking.
     *
     * @param sessionId the session
     * @param params the message
     * @return the receipt's future
     */
    public CompletableFuture<MessageReceipt> sendQueuedAsync(String sessionId, SendParams params) {
        return engine.submit("send_message", sendArgs(sessionId, params, true), null, MessageReceipt::of);
    }

    private static ObjectNode sendArgs(String sessionId, SendParams params, boolean queued) {
        SendParams p = params == null ? new SendParams() : params;
        if (p.isQueued() && !queued) {
            throw Errors.invalidArgument("params", "a queued send answers a receipt: use sendQueued");
        }
        ObjectNode body = p.toJson();
        if (queued) {
            body.put("delivery", "queued");
        }
        return args("session_id", sessionId, "body", body);
    }

    /**
     * Stops a running or queued session.
     *
     * @param sessionId the session
     * @return the envelope
     */
    public SessionResponse cancel(String sessionId) {
        return engine.run("cancel_session", args("session_id", sessionId), null, SessionResponse::of);
    }

    /**
     * {@link #cancel} without blocking.
     *
     * @param sessionId the session
     * @return the envelope's future
     */
    public CompletableFuture<SessionResponse> cancelAsync(String sessionId) {
        return engine.submit("cancel_session", args("session_id", sessionId), null, SessionResponse::of);
    }

    /**
     * Renames the session (1–256 characters after trimming).
     *
     * @param sessionId the session
     * @param name the name
     * @return the envelope
     */
    public SessionResponse rename(String sessionId, String name) {
        return engine.run("rename_session", args("session_id", sessionId, "name", name), null, SessionResponse::of);
    }

    /**
     * {@link #rename} without blocking.
     *
     * @param sessionId the session
     * @param name the name
     * @return the envelope's future
     */
    public CompletableFuture<SessionResponse> renameAsync(String sessionId, String name) {
        return engine.submit("rename_session", args("session_id", sessionId, "name", name), null, SessionResponse::of);
    }

    /**
     * The official SDK's name for {@link #rename}.
     *
     * @param sessionId the session
     * @param name the name
     * @return the envelope
     */
    public SessionResponse update(String sessionId, String name) {
        return rename(sessionId, name);
    }

    /**
     * Polls the session until it settles ({@code completed}, {@code failed},
     * {@code approval_required} or {@code idle}); at the deadline {@link APITimeoutException}.
     *
     * @param sessionId the session
     * @param options the deadline and poll intervals (null: the library's)
     * @return its last envelope
     */
    public SessionResponse waitUntilSettled(String sessionId, WaitOptions options) {
        return engine.run("wait_session", args("session_id", sessionId, "options", body(options)), null, SessionResponse::of);
    }

    /**
     * {@link #waitUntilSettled} without blocking.
     *
     * @param sessionId the session
     * @param options the polling
     * @return the envelope's future
     */
    public CompletableFuture<SessionResponse> waitUntilSettledAsync(String sessionId, WaitOptions options) {
        return engine.submit("wait_session", args("session_id", sessionId, "options", body(options)), null, SessionResponse::of);
    }

    /**
     * Creates a session and streams its first run, resumed by the library after drops and stalls.
     *
     * @param agentId the agent
     * @param params the body (its input starts the run)
     * @return the events, to close
     */
    public EventStream stream(String agentId, CreateParams params) {
        return new EventStream(engine, "stream_session", args("agent_id", agentId, "body", body(params)));
    }

    /**
     * {@link #stream} without a thread: {@code handler} gets each event in order on the client's
     * executor; the future is the stream's summary, and cancelling it ends the stream.
     *
     * @param agentId the agent
     * @param params the body
     * @param handler called with each event (throwing stops the stream)
     * @return the summary's future
     */
    public CompletableFuture<StreamSummary> streamAsync(String agentId, CreateParams params,
            Consumer<? super StreamEvent> handler) {
        return StreamDelivery.start(engine, "stream_session", args("agent_id", agentId, "body", body(params)), handler);
    }

    /**
     * Sends a message (or answers to asks) and streams the run it starts.
     *
     * @param sessionId the session
     * @param params the message
     * @return the events, to close
     */
    public EventStream streamMessage(String sessionId, SendParams params) {
        return new EventStream(engine, "stream_message", args("session_id", sessionId, "body", body(params)));
    }

    /**
     * {@link #streamMessage} without a thread.
     *
     * @param sessionId the session
     * @param params the message
     * @param handler called with each event
     * @return the summary's future
     */
    public CompletableFuture<StreamSummary> streamMessageAsync(String sessionId, SendParams params,
            Consumer<? super StreamEvent> handler) {
        return StreamDelivery.start(engine, "stream_message", args("session_id", sessionId, "body", body(params)), handler);
    }

    /**
     * Replays the session's events after {@code cursor}, then follows the run live.
     *
     * @param sessionId the session
     * @param cursor a stream cursor seen earlier
     * @return the events, to close
     */
    public EventStream resumeStream(String sessionId, String cursor) {
        return new EventStream(engine, "resume_stream", args("session_id", sessionId, "cursor", cursor));
    }

    /**
     * {@link #resumeStream} without a thread.
     *
     * @param sessionId the session
     * @param cursor the cursor
     * @param handler called with each event
     * @return the summary's future
     */
    public CompletableFuture<StreamSummary> resumeStreamAsync(String sessionId, String cursor,
            Consumer<? super StreamEvent> handler) {
        return StreamDelivery.start(engine, "resume_stream", args("session_id", sessionId, "cursor", cursor), handler);
    }

    /**
     * Stores a file with the session; attach it to a send with {@link Attachment#of}.
     *
     * @param sessionId the session
     * @param fileName its name (the server keeps a safe plain name)
     * @param content its bytes
     * @param mediaType its media type, or null to let the server guess
     * @return the stored file
     */
    public UploadedFile uploadFile(String sessionId, String fileName, byte[] content, String mediaType) {
        return engine.run("upload_file", uploadArgs(sessionId, fileName, mediaType), content, UploadedFile::of);
    }

    /**
     * {@link #uploadFile} without blocking.
     *
     * @param sessionId the session
     * @param fileName its name
     * @param content its bytes
     * @param mediaType its type or null
     * @return the stored file's future
     */
    public CompletableFuture<UploadedFile> uploadFileAsync(String sessionId, String fileName, byte[] content, String mediaType) {
        return engine.submit("upload_file", uploadArgs(sessionId, fileName, mediaType), content, UploadedFile::of);
    }

    /**
     * Uploads a file from disk under its own name.
     *
     * @param sessionId the session
     * @param file the file
     * @return the stored file
     */
    public UploadedFile uploadFile(String sessionId, Path file) {
        try {
            return uploadFile(sessionId, file.getFileName().toString(), Files.readAllBytes(file), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode uploadArgs(String sessionId, String fileName, String mediaType) {
        return args("session_id", sessionId, "file_name", fileName, "media_type", mediaType);
    }

    /**
     * Answers pending asks over REST: each item's {@code outcome}, and once nothing is pending
     * the {@code stream_cursor} from which {@link #resumeStream} streams the continuation.
     *
     * @param sessionId the session
     * @param responses the answers
     * @return the server's answer
     */
    public JsonResult resolveApprovals(String sessionId, List<ApprovalResponse> responses) {
        return engine.run("resolve_approvals", approvalArgs(sessionId, responses), null, JsonResult::of);
    }

    /**
     * {@link #resolveApprovals} without blocking.
     *
     * @param sessionId the session
     * @param responses the answers
     * @return the answer's future
     */
    public CompletableFuture<JsonResult> resolveApprovalsAsync(String sessionId, List<ApprovalResponse> responses) {
        return engine.submit("resolve_approvals", approvalArgs(sessionId, responses), null, JsonResult::of);
    }

    private static ObjectNode approvalArgs(String sessionId, List<ApprovalResponse> responses) {
        ObjectNode body = Json.object();
        var items = body.putArray("approval_responses");
        responses.forEach(r -> items.add(r.toJson()));
        return args("session_id", sessionId, "body", body);
    }

    /**
     * The session's message queue, {@code {"queue": [...]}}.
     *
     * @param sessionId the session
     * @return the queue
     */
    public JsonResult listQueue(String sessionId) {
        return engine.run("list_queue", args("session_id", sessionId), null, JsonResult::of);
    }

    /**
     * {@link #listQueue} without blocking.
     *
     * @param sessionId the session
     * @return the queue's future
     */
    public CompletableFuture<JsonResult> listQueueAsync(String sessionId) {
        return engine.submit("list_queue", args("session_id", sessionId), null, JsonResult::of);
    }

    /**
     * Adds a message to the session's queue.
     *
     * @param sessionId the session
     * @param input the message
     * @return {@code {queued_message, queue}}
     */
    public JsonResult queueMessage(String sessionId, String input) {
        return engine.run("queue_message", args("session_id", sessionId, "body", Map.of("input", input)), null, JsonResult::of);
    }

    /**
     * {@link #queueMessage} without blocking.
     *
     * @param sessionId the session
     * @param input the message
     * @return the answer's future
     */
    public CompletableFuture<JsonResult> queueMessageAsync(String sessionId, String input) {
        return engine.submit("queue_message", args("session_id", sessionId, "body", Map.of("input", input)), null, JsonResult::of);
    }

    /**
     * Changes a queued message.
     *
     * @param sessionId the session
     * @param queuedMessageId the entry
     * @param input the new text
     * @return {@code {queued_message, queue}}
     */
    public JsonResult editQueuedMessage(String sessionId, String queuedMessageId, String input) {
        return engine.run("edit_queued_message", args("session_id", sessionId, "queued_message_id", queuedMessageId,
                "body", Map.of("input", input)), null, JsonResult::of);
    }

    /**
     * {@link #editQueuedMessage} without blocking.
     *
     * @param sessionId the session
     * @param queuedMessageId the entry
     * @param input the text
     * @return the answer's future
     */
    public CompletableFuture<JsonResult> editQueuedMessageAsync(String sessionId, String queuedMessageId, String input) {
        return engine.submit("edit_queued_message", args("session_id", sessionId, "queued_message_id", queuedMessageId,
                "body", Map.of("input", input)), null, JsonResult::of);
    }

    /**
     * Removes a queued message.
     *
     * @param sessionId the session
     * @param queuedMessageId the entry
     * @return {@code {queue}}
     */
    public JsonResult deleteQueuedMessage(String sessionId, String queuedMessageId) {
        return engine.run("delete_queued_message", args("session_id", sessionId, "queued_message_id", queuedMessageId),
                null, JsonResult::of);
    }

    /**
     * {@link #deleteQueuedMessage} without blocking.
     *
     * @param sessionId the session
     * @param queuedMessageId the entry
     * @return the answer's future
     */
    public CompletableFuture<JsonResult> deleteQueuedMessageAsync(String sessionId, String queuedMessageId) {
        return engine.submit("delete_queued_message", args("session_id", sessionId, "queued_message_id", queuedMessageId),
                null, JsonResult::of);
    }

    /**
     * Sends a queued message now, interrupting the current run.
     *
     * @param sessionId the session
     * @param queuedMessageId the entry
     * @return the envelope
     */
    public SessionResponse sendQueuedMessage(String sessionId, String queuedMessageId) {
        return engine.run("send_queued_message", args("session_id", sessionId, "queued_message_id", queuedMessageId),
                null, SessionResponse::of);
    }

    /**
     * {@link #sendQueuedMessage} without blocking.
     *
     * @param sessionId the session
     * @param queuedMessageId the entry
     * @return the envelope's future
     */
    public CompletableFuture<SessionResponse> sendQueuedMessageAsync(String sessionId, String queuedMessageId) {
        return engine.submit("send_queued_message", args("session_id", sessionId, "queued_message_id", queuedMessageId),
                null, SessionResponse::of);
    }

    /**
     * Who may see the session, {@code {"access": {...}}}.
     *
     * @param sessionId the session
     * @return the access document
     */
    public JsonResult getAccess(String sessionId) {
        return engine.run("get_session_access", args("session_id", sessionId), null, JsonResult::of);
    }

    /**
     * {@link #getAccess} without blocking.
     *
     * @param sessionId the session
     * @return the document's future
     */
    public CompletableFuture<JsonResult> getAccessAsync(String sessionId) {
        return engine.submit("get_session_access", args("session_id", sessionId), null, JsonResult::of);
    }

    /**
     * Shares, unshares or links the session.
     *
     * @param sessionId the session
     * @param body {@code share}, {@code remove} and/or {@code link}, as the API takes them
     * @return {@code {access, notified}}
     */
    public JsonResult updateAccess(String sessionId, Map<String, ?> body) {
        return engine.run("update_session_access", args("session_id", sessionId, "body", body), null, JsonResult::of);
    }

    /**
     * {@link #updateAccess} without blocking.
     *
     * @param sessionId the session
     * @param body the changes
     * @return the answer's future
     */
    public CompletableFuture<JsonResult> updateAccessAsync(String sessionId, Map<String, ?> body) {
        return engine.submit("update_session_access", args("session_id", sessionId, "body", body), null, JsonResult::of);
    }
}
