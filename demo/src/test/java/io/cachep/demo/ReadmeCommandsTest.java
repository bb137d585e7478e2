package io.cachep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's first two commands are a contract: CI runs exactly the second, and every launcher it names exists. */
class ReadmeCommandsTest {
    private static final Path ROOT = Path.of("..");

    static List<String> quickStartCommands() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher block = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README has a bash block").isTrue();
        return block.group(1).lines().map(line -> line.replaceAll("\\s+#.*$", "").trim())
                .filter(line -> !line.isEmpty()).toList();
    }

    @Test
    void shouldStartWithTheDemoAndTheTestCommand() throws Exception {
        assertThat(quickStartCommands()).containsExactly("bin/demo", "mvn -B verify");
    }

    @Test
    void shouldHaveCiRunExactlyTheReadmesTestCommand() throws Exception {
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        String testCommand = quickStartCommands().get(1);
        assertThat(ci.lines().map(String::trim)).contains(testCommand);
    }

    @Test
    void shouldShipEveryLauncherTheReadmeNamesAsAnExecutable() {
        for (String launcher : List.of("demo", "projector", "producer-demo", "dlq-tool", "devstack", "health")) {
            Path script = ROOT.resolve("bin").resolve(launcher);
            assertThat(Files.isExecutable(script)).as("bin/%s is executable", launcher).isTrue();
        }
    }
}
