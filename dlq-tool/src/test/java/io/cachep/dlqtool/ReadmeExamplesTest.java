package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's dlq-tool examples are the files under {@code docs/examples} that {@link ReadmeExamplesIT} runs: each
 * file is shown in the README exactly, and every README block that names an example file is that file.
 */
class ReadmeExamplesTest {
    static final Path ROOT = Path.of("..");
    static final Path EXAMPLES = ROOT.resolve("docs/examples");
    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern NAMED = Pattern.compile("\\A# (docs/examples/[\\w.-]+\\.sh)[:\\s]");

    static List<Path> exampleFiles() throws Exception {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".sh")).sorted().toList();
        }
    }

    private static List<String> readmeBlocks() throws Exception {
        Matcher block = BASH_BLOCK.matcher(Files.readString(ROOT.resolve("README.md")));
        List<String> blocks = new ArrayList<>();
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return blocks;
    }

    @Test
    void shouldShowEveryExampleFileInTheReadmeExactly() throws Exception {
        List<String> blocks = readmeBlocks();
        assertThat(exampleFiles()).isNotEmpty();
        for (Path file : exampleFiles()) {
            String text = Files.readString(file);
            assertThat(text).as("%s names itself on its first line", file)
                    .startsWith("# docs/examples/" + file.getFileName() + ":");
            assertThat(blocks).as("a README bash block equal to %s", file).contains(text);
        }
    }

    @Test
    void shouldHaveEveryReadmeBlockThatNamesAnExampleEqualToThatFile() throws Exception {
        for (String block : readmeBlocks()) {
            Matcher named = NAMED.matcher(block);
            if (named.find()) {
                Path file = ROOT.resolve(named.group(1));
                assertThat(file).as("the file the README block names").exists();
                assertThat(block).as("README block for %s", file).isEqualTo(Files.readString(file));
            }
        }
    }
}
