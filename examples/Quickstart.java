// Quickstart: create and stream Gumloop agent sessions from Java with com.gumloop.ffi
// (bindings/java).
//
//   java -cp gumloop-ffi.jar:jna.jar:jackson-databind.jar:jackson-core.jar:jackson-annotations.jar \
//       Quickstart.java [agent_id]
//
// The client reads its credential, user ID and base URL from the environment
// (GUMLOOP_ACCESS_TOKEN, GUMLOOP_USER_ID, GUMLOOP_BASE_URL); without GUMLOOP_BASE_URL it talks to
// the real service. The jar carries libgumloop (see bindings/java/README.md).

import com.gumloop.ffi.CreateParams;
import com.gumloop.ffi.EventStream;
import com.gumloop.ffi.GumloopClient;
import com.gumloop.ffi.GumloopException;
import com.gumloop.ffi.SendParams;
import com.gumloop.ffi.SessionResponse;
import com.gumloop.ffi.StreamEvent;
import com.gumloop.ffi.StreamSummary;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Creates an idle session, a working one, streams a reply and sends a follow-up. */
public final class Quickstart {
    private Quickstart() {}

    /**
     * Runs the quickstart.
     *
     * @param args the agent ID (default {@code gumball})
     */
    public static void main(String[] args) {
        String agentId = args.length > 0 ? args[0] : "gumball";
        try (GumloopClient client = GumloopClient.fromEnvironment()) {
            SessionResponse idle = client.sessions().create(agentId, null);
            System.out.printf("libgumloop %s%n", GumloopClient.libraryVersion());
            System.out.printf("an idle session: %s (%s)%n", idle.session().id(), idle.session().state());

            SessionResponse working = client.sessions().create(agentId,
                    CreateParams.of("Say hello in three words").metadata(Map.of("source", "Quickstart.java")));
            System.out.printf("a working session: %s (%s)%n", working.session().id(), working.session().state());

            System.out.print("streamed: ");
            try (EventStream events = client.sessions().stream(agentId, CreateParams.of("Write a haiku"))) {
                while (events.hasNext()) {
                    StreamEvent event = events.next();
                    if (event.delta() != null) {
                        System.out.print(event.delta());
                    }
                }
                System.out.printf("%n(%d events, finish: %s)%n", events.summary().events(), events.summary().finishReason());
            }

            SessionResponse settled = client.sessions().waitUntilSettled(working.session().id(), null);
            CompletableFuture<StreamSummary> followUp = client.sessions().streamMessageAsync(settled.session().id(),
                    SendParams.of("And in French?"), event -> { });
            System.out.printf("a follow-up, asynchronously: %d events%n", followUp.join().events());
        } catch (GumloopException e) {
            System.err.printf("failed: [%s] %s%n", e.kind(), e.getMessage());
            System.exit(1);
        }
    }
}
