package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The emulator the suite runs against (started by scripts/with-emulator.sh, which exports its
 * URLs), its admin API (reset, faults, the request log), and clients for its fixtures.
 */
final class Emulator {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Emulator() {}

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set: run the suite under scripts/with-emulator.sh (make test-java does)");
        }
        return value;
    }

    static String base() {
        return env("GUMLOOP_BASE_URL");
    }

    static String streamBase() {
        return env("GUMLOOP_STREAM_BASE_URL");
    }

    /** One admin call; its JSON answer. */
    static JsonNode admin(String method, String path, Object body) {
        try {
            String text = body == null ? "" : Json.MAPPER.writeValueAsString(body);
            HttpRequest request = HttpRequest.newBuilder(URI.create(env("GUMLOOP_EMULATOR_ADMIN") + path))
                    .method(method, HttpRequest.BodyPublishers.ofString(text))
                    .header("content-type", "application/json").build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("admin " + method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return response.body().isEmpty() ? Json.object() : Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void reset() {
        admin("POST", "/reset", null);
    }

    /** Arms one fault. */
    static void arm(Map<String, ?> fault) {
        admin("POST", "/faults", fault);
    }

    /** The request log, oldest first. */
    static List<JsonNode> requests() {
        List<JsonNode> out = new ArrayList<>();
        admin("GET", "/requests", null).path("requests").forEach(out::add);
        return out;
    }

    /** A builder for Ada (personal key) against the emulator. */
    static GumloopClient.Builder adaBuilder() {
        return GumloopClient.builder().accessToken("gk_personal_ada").userId("user_ada").baseUrl(base())
                .streamBaseUrl(streamBase());
    }

    /** Ada's client, after a reset of the emulator. */
    static GumloopClient ada() {
        reset();
        return adaBuilder().build();
    }
}
