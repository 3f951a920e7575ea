package com.gumloop.ffi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The package's one Jackson mapper and the small readers the result records use. */
final class Json {
    /** Shared, thread-safe once configured. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** A new empty JSON object. */
    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The named arguments of a call: name, value, name, value ...; null values are left out. */
    static ObjectNode args(Object... namesAndValues) {
        ObjectNode args = object();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value != null) {
                args.set((String) namesAndValues[i], tree(value));
            }
        }
        return args;
    }

    /** Parses text the library or server produced; null when it is not JSON. */
    static JsonNode parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Parses a successful answer; one that is not JSON is an {@link InvalidResponseException}. */
    static JsonNode parse(String text, String what) {
        JsonNode node = parseOrNull(text);
        if (node == null) {
            throw Errors.invalidResponse("the answer is not " + what + ": " + Errors.excerpt(text));
        }
        return node;
    }

    /** Any value as a JSON tree (maps, lists, strings, numbers, booleans, records of this package). */
    static JsonNode tree(Object value) {
        return value instanceof JsonNode ? (JsonNode) value : MAPPER.valueToTree(value);
    }

    /** The text of {@code field}, or null when it is absent, null or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** The whole number of {@code field}, or null. */
    static Long number(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isIntegralNumber() ? v.asLong() : null;
    }

    /** The boolean {@code field}, false when absent or not a boolean. */
    static boolean flag(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isBoolean() && v.asBoolean();
    }

    /** {@code field} as it is (null when absent or JSON null). */
    static JsonNode member(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** Each element of the array {@code field} read by {@code read}; empty when absent. */
    static <T> List<T> list(JsonNode node, String field, Function<JsonNode, T> read) {
        List<T> out = new ArrayList<>();
        JsonNode v = node == null ? null : node.get(field);
        if (v != null && v.isArray()) {
            v.forEach(e -> out.add(read.apply(e)));
        }
        return List.copyOf(out);
    }
}
