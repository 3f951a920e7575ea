package com.gumloop.ffi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test class whose every test gets Ada's client on a freshly reset emulator, closed after it. */
abstract class EmulatorTest {
    /** Ada's client for the current test. */
    GumloopClient client;

    @BeforeEach
    void openClient() {
        client = Emulator.ada();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }
}
