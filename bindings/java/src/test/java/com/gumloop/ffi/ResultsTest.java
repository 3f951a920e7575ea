package com.gumloop.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every operation's result against the emulator, blocking and asynchronous. */
class ResultsTest extends EmulatorTest {

    private SessionResponse settled(String input) {
        SessionResponse created = client.sessions().create("agent_pro", CreateParams.of(input));
        return client.sessions().waitUntilSettled(created.session().id(), new WaitOptions().pollInterval(Duration.ofMillis(20)));
    }

    @Test
    void createRetrieveAndWaitGiveRecordsWithTheRawJson() {
        SessionResponse stub = client.sessions().create("agent_pro", new CreateParams().name("stub"));
        assertEquals("idle", stub.session().state());
        assertEquals("stub", stub.session().name());
        assertEquals(stub.session().id(), stub.json().path("session").path("id").asText());

        SessionResponse done = settled("hello there");
        assertEquals("completed", done.session().state());
        SessionResponse fetched = client.sessions().retrieve(done.session().id());
        List<String> texts = fetched.session().messages().stream().map(Message::content).collect(Collectors.toList());
        assertEquals(List.of("hello there", "Echo: hello there"), texts);
        assertEquals("agent_pro", fetched.session().agentId());
    }

    @Test
    void aKeyedCreateSendsTheCallersSessionId() {
        SessionResponse r = client.sessions().create("agent_pro", new CreateParams().sessionId("sess_java_keyed"));
        assertEquals("sess_java_keyed", r.session().id());
        assertFalse(r.recovered());
    }

    @Test
    void listPagesAndListAllReadsEveryPage() {
        for (int i = 0; i < 5; i++) {
            client.sessions().create("agent_pro", new CreateParams().name("s" + i));
        }
        SessionList page = client.sessions().list("agent_pro", new ListParams().pageSize(2));
        assertEquals(2, page.sessions().size());
        assertNotNull(page.nextCursor());
        List<String> all = client.sessions().listAll("agent_pro", new ListParams().pageSize(2))
                .map(Session::name).collect(Collectors.toList());
        assertEquals(5, all.size());
        assertEquals(5, all.stream().distinct().count());
    }

    @Test
    void sendRenameCancelAndQueuedSends() {
        String id = settled("first").session().id();
        SessionResponse sent = client.sessions().send(id, SendParams.of("[slow:5000] second"));
        assertEquals("processing", sent.session().state());
        MessageReceipt receipt = client.sessions().sendQueued(id, SendParams.of("third"));
        assertEquals("accepted", receipt.status());
        assertTrue(receipt.messageId().startsWith("msg_"));
        assertEquals(1, client.sessions().listQueue(id).get("queue").size());
        assertEquals("failed", client.sessions().cancel(id).session().state());
        assertEquals("renamed", client.sessions().rename(id, "renamed").session().name());
        assertEquals("again", client.sessions().update(id, "again").session().name());
    }

    @Test
    void theQueueCanBeEditedDeletedAndSent() {
        String id = client.sessions().create("agent_pro", CreateParams.of("[slow:5000] busy")).session().id();
        String first = client.sessions().queueMessage(id, "one").get("queued_message").path("id").asText();
        String second = client.sessions().queueMessage(id, "two").get("queued_message").path("id").asText();
        assertEquals("uno", client.sessions().editQueuedMessage(id, first, "uno").get("queued_message").path("input").asText());
        assertEquals(1, client.sessions().deleteQueuedMessage(id, second).get("queue").size());
        SessionResponse now = client.sessions().sendQueuedMessage(id, first);
        assertEquals("processing", now.session().state());
        assertEquals(0, client.sessions().listQueue(id).get("queue").size());
        client.sessions().cancel(id);
    }

    @Test
    void uploadedFilesAreAttachedToASend() {
        String id = client.sessions().create("agent_pro", null).session().id();
        UploadedFile file = client.sessions().uploadFile(id, "notes.txt", "hello".getBytes(StandardCharsets.UTF_8), null);
        assertEquals("sessions/" + id + "/files/notes.txt", file.fileName());
        assertEquals(5, file.size());
        assertEquals("text/plain", file.mediaType());
        client.sessions().send(id, SendParams.of("read it").attachments(List.of(Attachment.of(file))));
        SessionResponse done = client.sessions().waitUntilSettled(id, null);
        String answer = done.session().messages().get(1).content();
        assertTrue(answer.contains("Attached files: notes.txt (5 bytes)"), answer);
    }

    @Test
    void approvalsAreResolvedAndTheContinuationStreams() {
        SessionResponse paused = settled("[approval] deploy");
        assertEquals("approval_required", paused.session().state());
        String ask = paused.session().pendingApprovals().get(0).path("action_request_id").asText();
        JsonResult resolved = client.sessions().resolveApprovals(paused.session().id(), List.of(ApprovalResponse.accept(ask)));
        assertEquals("accepted", resolved.get("results").get(0).path("outcome").asText());
        String cursor = resolved.get("stream_cursor").asText();
        StringBuilder text = new StringBuilder();
        try (EventStream events = client.sessions().resumeStream(paused.session().id(), cursor)) {
            events.forEachRemaining(e -> text.append(e.delta() == null ? "" : e.delta()));
            assertTrue(events.summary().isFinal());
        }
        assertTrue(text.toString().contains("Continuing after approvals: " + ask + " accepted"), text.toString());
    }

    @Test
    void accessIsReadAndShared() {
        String id = client.sessions().create("agent_pro", null).session().id();
        assertEquals("private", client.sessions().getAccess(id).get("access").path("grants_visibility").asText());
        JsonResult shared = client.sessions().updateAccess(id,
                Map.of("share", List.of(Map.of("type", "person", "email", "bob@example.com", "role", "viewer"))));
        assertEquals("bob@example.com", shared.get("notified").get(0).asText());
        assertEquals("shared", shared.get("access").path("grants_visibility").asText());
    }

    @Test
    void agentsAreListedAndRetrieved() {
        Agent agent = client.agents().retrieve("agent_pro");
        assertEquals("Sales research agent", agent.name());
        assertEquals("team_pro", agent.teamId());
        assertTrue(agent.isActive());
        AgentList page = client.agents().list(new ListParams().pageSize(1));
        assertEquals(1, page.agents().size());
        List<String> ids = client.agents().listAll(new ListParams().pageSize(2)).map(Agent::id).collect(Collectors.toList());
        assertTrue(ids.contains("agent_pro") && ids.contains("agent_ent"), ids.toString());
        assertEquals(ids.size(), ids.stream().distinct().count());
    }

    @Test
    void artifactsAreListedAndDownloadedToAFile(@TempDir Path dir) throws Exception {
        String session = settled("make [artifact:report.txt]").session().id();
        ArtifactList list = client.artifacts().list("agent_pro", new ListParams().sessionId(session));
        assertEquals(1, list.artifacts().size());
        Artifact artifact = list.artifacts().get(0);
        assertEquals("report.txt", artifact.filename());
        ArtifactDownload ticket = client.artifacts().download(artifact.id(), null);
        assertEquals("report.txt", ticket.filename());
        assertFalse(ticket.toString().contains("signature"), "the signed URL stays out of toString");
        DownloadedFile file = client.artifacts().downloadToFile(artifact.id(), dir, null);
        assertEquals(dir.resolve("report.txt"), file.path());
        assertEquals("Artifact report.txt of session " + session + "\n", Files.readString(file.path()));
        assertEquals(List.of(artifact.id()), client.artifacts().listAll("agent_pro", null).map(Artifact::id).collect(Collectors.toList()));
    }

    @Test
    void artifactsAreDownloadedIntoMemory() throws Exception {
        String session = settled("make [artifact:data.bin:100000]").session().id();
        Artifact artifact = client.artifacts().list("agent_pro", new ListParams().sessionId(session)).artifacts().get(0);
        DownloadedBytes bytes = client.artifacts().downloadBytes(artifact.id(), null);
        assertEquals(100000, bytes.data().length);
        assertEquals(100000, bytes.size());
        assertEquals("data.bin", bytes.filename());
        assertTrue(new String(bytes.data(), StandardCharsets.UTF_8).startsWith(session + "/data.bin\n" + session + "/data.bin\n"));
        DownloadedBytes again = client.artifacts().downloadBytesAsync(artifact.id(), new DownloadOptions().maxBytes(200000)).get();
        assertTrue(java.util.Arrays.equals(bytes.data(), again.data()));
        ExecutionException tooBig = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> client.artifacts().downloadBytesAsync(artifact.id(), new DownloadOptions().maxBytes(10)).get());
        assertTrue(tooBig.getCause() instanceof InvalidResponseException, String.valueOf(tooBig.getCause()));
    }

    @Test
    void aRawRequestReachesAnyPath() {
        String id = client.sessions().create("agent_pro", null).session().id();
        JsonResult r = client.request("GET", List.of("sessions", id), null, null);
        assertEquals(id, r.get("session").path("id").asText());
    }

    @Test
    void asyncMethodsCompleteOnTheExecutorWithTheSameResults() throws Exception {
        List<String> threads = new ArrayList<>();
        SessionResponse created = client.sessions().createAsync("agent_pro", new CreateParams().name("async"))
                .whenComplete((r, e) -> threads.add(Thread.currentThread().getName())).get();
        assertEquals("async", created.session().name());
        assertEquals("async", client.sessions().retrieveAsync(created.session().id()).get().session().name());
        assertEquals("Sales research agent", client.agents().retrieveAsync("agent_pro").get().name());
        for (String name : threads) {
            assertFalse(name.startsWith("gumloop-poller"), "user code never runs on the waiting thread: " + name);
        }
    }

    @Test
    void theLibraryVersionIsTheJarsVersion() {
        String jar = GumloopClient.bindingVersion();
        assertNotNull(jar, "the jar names the version it was built for");
        assertEquals(jar, GumloopClient.libraryVersion());
        assertNull(new JsonResult(Json.object()).get("nothing").textValue());
    }
}
