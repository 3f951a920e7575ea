package com.gumloop.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Many calls in flight share one waiting thread: counted, never timed. */
class ConcurrencyTest {
    private static final int STREAMS = 200;

    /** The process's OS threads (JVM and native), from /proc. */
    static int osThreads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no Threads line in /proc/self/status");
    }

    @Test
    void twoHundredStreamsRunOnAHandfulOfThreads() throws Exception {
        try (GumloopClient client = Emulator.ada()) {
            // Warm up: the library's runtime and the waiting thread exist before the baseline.
            client.agents().retrieve("agent_ent");
            int jvmBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            int osBefore = osThreads();
            AtomicInteger open = new AtomicInteger();
            AtomicInteger mostOpen = new AtomicInteger();
            AtomicInteger peakJvm = new AtomicInteger();
            AtomicInteger peakOs = new AtomicInteger();
            AtomicIntegerArray counts = new AtomicIntegerArray(STREAMS);
            List<CompletableFuture<StreamSummary>> futures = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                int index = i;
                futures.add(client.sessions().streamAsync("agent_ent", CreateParams.of("[words:10] [slow:1500] " + i), e -> {
                    if (counts.getAndIncrement(index) == 0) {
                        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                        peakJvm.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
                        peakOs.accumulateAndGet(osThreads(), Math::max);
                    }
                    if (e.isFinal()) {
                        open.decrementAndGet();
                    }
                }));
            }
            assertTrue(client.callsInFlight() > STREAMS / 2, "most streams are in flight: " + client.callsInFlight());
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get();
            for (int i = 0; i < STREAMS; i++) {
                assertEquals(15, counts.get(i), "stream " + i);
                assertTrue(futures.get(i).get().isFinal());
            }
            int extraJvm = peakJvm.get() - jvmBefore;
            int extraOs = peakOs.get() - osBefore;
            System.out.printf("%d streams: at most %d open at once; JVM threads %d -> peak %d, OS threads %d -> peak %d%n",
                    STREAMS, mostOpen.get(), jvmBefore, peakJvm.get(), osBefore, peakOs.get());
            assertTrue(mostOpen.get() >= 50, "streams open at once: " + mostOpen.get());
            // The engine's waiting thread already exists; only the executor's workers may be added.
            int pool = ForkJoinPool.getCommonPoolParallelism();
            assertTrue(extraJvm <= pool, "JVM threads added during the run: " + extraJvm + " (executor: " + pool + ")");
            assertTrue(extraOs <= pool + 4, "OS threads added during the run: " + extraOs);
            assertTrue(peakOs.get() < 64, "OS threads at the peak: " + peakOs.get());
        }
    }

    @Test
    void manyThreadsShareOneClient() throws Exception {
        try (GumloopClient client = Emulator.ada()) {
            List<Thread> threads = new ArrayList<>();
            List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 32; i++) {
                Thread t = new Thread(() -> ids.add(client.sessions().create("agent_pro", null).session().id()));
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(32, ids.stream().distinct().count());
        }
    }
}
