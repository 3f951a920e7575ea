package com.gumloop.ffi;

/** Receives a streaming call's events on the engine's waiting thread; must never block. */
interface EventSink {
    /** One event's JSON text, in order, each once. */
    void event(String json);

    /** The call ended (its outcome is set); no event follows. */
    void end();
}
