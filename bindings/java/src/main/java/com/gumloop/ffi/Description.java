package com.gumloop.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The library's description of itself ({@code gumloop_description_get()}): its operations,
 * client options, codes with their error stems, code groups and error-document fields. The
 * codes and stems this package maps to exception classes are read from here, so a number or a
 * stem is written only in the library.
 *
 * @param json the whole description as the library returned it
 * @param stemByCode each code's error stem ({@code "RateLimit"}), from {@code codes}
 * @param codeByName each code's number by its constant's name ({@code GUMLOOP_ERR_CONFLICT})
 * @param groups the code groups, each {@code {name, first, last, error}}
 */
record Description(JsonNode json, Map<Integer, String> stemByCode, Map<String, Integer> codeByName,
        List<JsonNode> groups) {

    private static volatile Description instance;

    /** The loaded library's description, read once. */
    static Description get() {
        Description d = instance;
        if (d == null) {
            synchronized (Description.class) {
                d = instance;
                if (d == null) {
                    d = of(Json.parse(Native.get().lib.gumloop_description_get(), "the library's description"));
                    instance = d;
                }
            }
        }
        return d;
    }

    /** Reads a description document. */
    static Description of(JsonNode json) {
        Map<Integer, String> stems = new HashMap<>();
        Map<String, Integer> numbers = new HashMap<>();
        for (JsonNode code : json.path("codes")) {
            int number = code.path("code").asInt();
            numbers.put(code.path("name").asText(), number);
            if (code.path("error").isTextual()) {
                stems.put(number, code.path("error").asText());
            }
        }
        return new Description(json, Map.copyOf(stems), Map.copyOf(numbers),
                Json.list(json, "groups", g -> g));
    }

    /** The stem of {@code code}: its own, else its group's (for a code newer than the table), else null. */
    String stem(int code) {
        String own = stemByCode.get(code);
        if (own != null) {
            return own;
        }
        for (JsonNode group : groups) {
            if (code >= group.path("first").asInt() && code <= group.path("last").asInt()) {
                return Json.text(group, "error");
            }
        }
        return null;
    }

    /** The number of the code named {@code name}; an {@link IllegalStateException} if the library lacks it. */
    int code(String name) {
        Integer n = codeByName.get(name);
        if (n == null) {
            throw new IllegalStateException("the library describes no code " + name);
        }
        return n;
    }

    /** The fields every error document's {@code error} object has. */
    List<String> errorFields() {
        return Json.list(json, "error_fields", JsonNode::asText);
    }
}
