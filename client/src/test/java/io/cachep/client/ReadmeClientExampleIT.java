package io.cachep.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.client.readme.ReadmeExample;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's cachep-client example is the code of {@link ReadmeExample} (the build compiles it), and it does what
 * the README says against the real projector: it waits for the event just published and reads it through the L1.
 * Only this test of the module's JVM uses the namespace {@code demo} on the shared Redis.
 */
@ExtendWith(DevStackExtension.class)
class ReadmeClientExampleIT {
    private static final Path EXAMPLE = Path.of("src/test/java/io/cachep/client/readme/ReadmeExample.java");

    @Test
    void shouldBeTheReadmesExampleVerbatim() throws Exception {
        String code = Files.readString(EXAMPLE);
        String between = code.substring(code.indexOf("// README:begin\n") + "// README:begin\n".length(),
                code.indexOf("        // README:end"));
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme).contains("```java\n" + unindent(between, 8) + "```\n");
    }

    @Test
    void shouldReadTheSessionJustPublishedThroughTheClient(DevStack stack, TestIsolation isolation, @TempDir Path dir)
            throws Exception {
        try (LiveProjector projector = new LiveProjector(stack, isolation, dir, "demo")) {
            projector.send("session-events", "com.example.session.started", "s-17", 3,
                    "{\"userId\":\"u-1\",\"device\":\"web\",\"tenantId\":\"t-1\"}");
            assertThat(ReadmeExample.sessionSummary(stack.redisUri())).isEqualTo("web [s-17]");
        }
    }

    private static String unindent(String text, int columns) {
        return text.lines().map(line -> line.length() >= columns ? line.substring(columns) : line.strip())
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
