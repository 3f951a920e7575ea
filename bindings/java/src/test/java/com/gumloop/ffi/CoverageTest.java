package com.gumloop.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The package against the library's own description: every operation has a method (and its
 * {@code Async} twin), every client option a builder method, every code's stem an exception class.
 */
class CoverageTest {
    /** Where each operation lives: resource and method, where the names differ from the operation's. */
    static final Map<String, String> METHODS = Map.ofEntries(
            Map.entry("create_session", "sessions.create"),
            Map.entry("get_session", "sessions.retrieve"),
            Map.entry("list_sessions", "sessions.list"),
            Map.entry("send_message", "sessions.send"),
            Map.entry("cancel_session", "sessions.cancel"),
            Map.entry("rename_session", "sessions.rename"),
            Map.entry("wait_session", "sessions.waitUntilSettled"),
            Map.entry("stream_session", "sessions.stream"),
            Map.entry("stream_message", "sessions.streamMessage"),
            Map.entry("resume_stream", "sessions.resumeStream"),
            Map.entry("upload_file", "sessions.uploadFile"),
            Map.entry("resolve_approvals", "sessions.resolveApprovals"),
            Map.entry("list_queue", "sessions.listQueue"),
            Map.entry("queue_message", "sessions.queueMessage"),
            Map.entry("edit_queued_message", "sessions.editQueuedMessage"),
            Map.entry("delete_queued_message", "sessions.deleteQueuedMessage"),
            Map.entry("send_queued_message", "sessions.sendQueuedMessage"),
            Map.entry("get_session_access", "sessions.getAccess"),
            Map.entry("update_session_access", "sessions.updateAccess"),
            Map.entry("list_agents", "agents.list"),
            Map.entry("get_agent", "agents.retrieve"),
            Map.entry("list_artifacts", "artifacts.list"),
            Map.entry("get_artifact_download", "artifacts.download"),
            Map.entry("download_artifact", "artifacts.downloadBytes"),
            Map.entry("download_artifact_to_file", "artifacts.downloadToFile"),
            Map.entry("send_request", "client.request"),
            Map.entry("oauth_register_client", "oauth.registerClient"),
            Map.entry("oauth_exchange_code", "oauth.exchangeCode"),
            Map.entry("oauth_refresh_token", "oauth.refreshToken"),
            Map.entry("oauth_revoke", "oauth.revoke"));

    private static final Map<String, Class<?>> RESOURCES = Map.of("client", GumloopClient.class,
            "sessions", Sessions.class, "agents", Agents.class, "artifacts", Artifacts.class, "oauth", OAuth.class);

    private static boolean hasPublicMethod(Class<?> type, String name) {
        return Arrays.stream(type.getDeclaredMethods())
                .anyMatch(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers()));
    }

    /** {@code timeout_ms} -> {@code timeout}, {@code allow_insecure_http} -> {@code allowInsecureHttp}. */
    static String builderMethod(String option) {
        String base = option.endsWith("_ms") ? option.substring(0, option.length() - 3) : option;
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : base.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    @Test
    void everyOperationHasABlockingAndAnAsyncMethod() {
        List<String> missing = new ArrayList<>();
        JsonNode operations = Description.get().json().path("operations");
        assertTrue(operations.size() > 20, "the description lists the operations");
        for (JsonNode op : operations) {
            String name = op.path("name").asText();
            String where = METHODS.get(name);
            if (where == null) {
                missing.add(name + " (no entry in the map)");
                continue;
            }
            Class<?> type = RESOURCES.get(where.substring(0, where.indexOf('.')));
            String method = where.substring(where.indexOf('.') + 1);
            for (String wanted : List.of(method, method + "Async")) {
                if (!hasPublicMethod(type, wanted)) {
                    missing.add(name + " -> " + type.getSimpleName() + "." + wanted);
                }
            }
        }
        if (!missing.isEmpty()) {
            fail("operations without a method: " + missing);
        }
    }

    @Test
    void theReadmeTableNamesEachOperationsMethod() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("bindings/java/README.md"));
        for (JsonNode op : Description.get().json().path("operations")) {
            String name = op.path("name").asText();
            String where = METHODS.get(name);
            assertNotNull(where, name);
            String resource = where.substring(0, where.indexOf('.'));
            String call = (resource.equals("client") ? "client." : resource + "().") + where.substring(where.indexOf('.') + 1) + "(";
            assertTrue(readme.contains("| `" + name + "` | `" + call), "README.md's row for " + name + " names " + call);
        }
    }

    @Test
    void everyStreamingOperationReturnsAnEventStream() throws Exception {
        for (JsonNode op : Description.get().json().path("operations")) {
            if ("stream".equals(op.path("result").asText())) {
                String where = METHODS.get(op.path("name").asText());
                Class<?> type = RESOURCES.get(where.substring(0, where.indexOf('.')));
                String name = where.substring(where.indexOf('.') + 1);
                Method m = Arrays.stream(type.getMethods()).filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
                assertEquals(EventStream.class, m.getReturnType(), name);
            }
        }
    }

    @Test
    void everyOptionHasABuilderMethod() {
        List<String> missing = new ArrayList<>();
        JsonNode options = Description.get().json().path("options");
        assertTrue(options.size() > 10, "the description lists the options");
        for (JsonNode option : options) {
            String method = builderMethod(option.path("name").asText());
            if (!hasPublicMethod(GumloopClient.Builder.class, method)) {
                missing.add(option.path("name").asText() + " -> Builder." + method);
            }
        }
        if (!missing.isEmpty()) {
            fail("options without a builder method: " + missing);
        }
    }

    @Test
    void everyCodeHasAnExceptionClassOfItsStem() {
        List<String> missing = new ArrayList<>();
        Description d = Description.get();
        List<String> stems = new ArrayList<>();
        d.json().path("codes").forEach(c -> {
            if (c.path("error").isTextual()) {
                stems.add(c.path("error").asText());
            }
        });
        d.groups().forEach(g -> stems.add(g.path("error").asText()));
        for (String stem : stems) {
            var make = Errors.BY_STEM.get(stem);
            if (make == null) {
                missing.add(stem);
                continue;
            }
            assertEquals(stem + "Exception", make.apply("m", null).getClass().getSimpleName());
        }
        if (!missing.isEmpty()) {
            fail("stems without an exception class: " + missing);
        }
        assertNotNull(Errors.BY_STEM.get("Internal"));
    }
}
