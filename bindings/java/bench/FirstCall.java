import com.gumloop.ffi.GumloopClient;
import java.lang.management.ManagementFactory;

/**
 * The time from a JVM's start to the result of its first call through the jar: loading JNA and
 * libgumloop (extracted from the jar), making the client and its poller, and one retrieve against
 * the emulator; then the same call again, warm. Run by {@code make bench-java}.
 */
public final class FirstCall {
    private FirstCall() {}

    /**
     * Prints the timings.
     *
     * @param args the agent to retrieve (default {@code agent_pro})
     */
    public static void main(String[] args) {
        String agent = args.length > 0 ? args[0] : "agent_pro";
        long toMain = ManagementFactory.getRuntimeMXBean().getUptime();
        long start = System.nanoTime();
        try (GumloopClient client = GumloopClient.fromEnvironment()) {
            client.agents().retrieve(agent);
            long first = (System.nanoTime() - start) / 1_000_000;
            long total = ManagementFactory.getRuntimeMXBean().getUptime();
            long again = System.nanoTime();
            client.agents().retrieve(agent);
            long warm = (System.nanoTime() - again) / 1_000;
            System.out.printf("JVM start to main %d ms; main to the first call's result %d ms (JVM start to it: %d ms);"
                    + " the same call warm %d us%n", toMain, first, total, warm);
        }
    }
}
