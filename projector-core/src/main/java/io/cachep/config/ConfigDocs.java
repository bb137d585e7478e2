package io.cachep.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/**
 * The configuration reference, generated from {@link ProjectorConfig#DEFINITION} so the README cannot drift from
 * the code: {@code main} rewrites the marked block and ConfigDocsTest fails when the block is stale.
 */
public final class ConfigDocs {

    public static final String START_MARKER = "<!-- config-table:start -->";
    public static final String END_MARKER = "<!-- config-table:end -->";

    private ConfigDocs() {
    }

    /** Rewrites the block between the markers in the Markdown file given as args[0] (the README). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ConfigDocs README.md");
        }
        Path file = Path.of(args[0]);
        String document = Files.readString(file, StandardCharsets.UTF_8);
        String updated = replaceTable(document);
        if (!updated.equals(document)) {
            Files.writeString(file, updated, StandardCharsets.UTF_8);
        }
    }

    /** Key | Environment | Type | Default | Description, one row per key plus the projector.kafka.* row. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder()
                .append("| Key | Environment | Type | Default | Description |\n")
                .append("|---|---|---|---|---|\n");
        for (ConfigKey key : ProjectorConfig.DEFINITION.configKeys().values()) {
            row(table, code(key.name), code(EnvironmentNames.forKey(key.name)), key.type.name(), defaultOf(key),
                    describe(key));
            if (key.name.equals(ProjectorConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                row(table, code(ProjectorConfig.KAFKA_PREFIX + "*"), code(EnvironmentNames.KAFKA_PREFIX + "*"),
                        "any", "", ProjectorConfig.KAFKA_PREFIX_DOC);
            }
        }
        return table.toString();
    }

    /**
     * @return the document with the block between the markers replaced by {@link #markdownTable()}
     * @throws IllegalArgumentException if the markers are missing or out of order
     */
    public static String replaceTable(String document) {
        int start = document.indexOf(START_MARKER);
        int end = document.indexOf(END_MARKER);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("the document needs " + START_MARKER + " followed by " + END_MARKER);
        }
        return document.substring(0, start + START_MARKER.length()) + "\n" + markdownTable()
                + document.substring(end);
    }

    /** The current content between the markers, without the line breaks that frame it. */
    public static Optional<String> tableIn(String document) {
        int start = document.indexOf(START_MARKER);
        int end = document.indexOf(END_MARKER);
        if (start < 0 || end < start) {
            return Optional.empty();
        }
        return Optional.of(document.substring(start + START_MARKER.length(), end).strip() + "\n");
    }

    private static String defaultOf(ConfigKey key) {
        if (!key.hasDefault()) {
            return "required";
        }
        if (key.type == ConfigDef.Type.PASSWORD || key.defaultValue == null) {
            return "";
        }
        return code(ConfigDef.convertToString(key.defaultValue, key.type));
    }

    private static String describe(ConfigKey key) {
        return key.validator == null ? key.documentation
                : key.documentation + " Valid values: " + key.validator + ".";
    }

    private static void row(StringBuilder table, String... cells) {
        table.append('|');
        for (String cell : cells) {
            table.append(' ').append(cell.replace("|", "\\|").replace('\n', ' ')).append(" |");
        }
        table.append('\n');
    }

    private static String code(String text) {
        return "`" + text + "`";
    }
}
