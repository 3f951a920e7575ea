package com.gumloop.ffi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The common part of the parameter classes: a JSON object of fields, each set by a named method
 * of the subclass or, for a field this package does not name, by {@link #extra}.
 *
 * @param <P> the parameter class itself, for chaining
 */
public abstract class Fields<P extends Fields<P>> {
    /** The fields set so far. */
    final ObjectNode fields = Json.object();

    /** Subclasses only. */
    Fields() {}

    /** This object, typed as the subclass. */
    abstract P self();

    /**
     * Sets a field this package does not name; it is sent as given (any value Jackson writes).
     *
     * @param name the field's name
     * @param value its value ({@code null} sends JSON null)
     * @return this object
     */
    public P extra(String name, Object value) {
        fields.set(name, value == null ? fields.nullNode() : Json.tree(value));
        return self();
    }

    P put(String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
        return self();
    }

    P put(String name, Object value) {
        if (value != null) {
            fields.set(name, Json.tree(value));
        }
        return self();
    }

    /** A copy of the fields, as sent. */
    ObjectNode toJson() {
        return fields.deepCopy();
    }
}
