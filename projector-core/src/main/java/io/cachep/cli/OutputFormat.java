package io.cachep.cli;

/** {@code -o text|json}: a table for people, or JSON (JSON Lines for lists) for scripts. picocli rejects anything else. */
public enum OutputFormat {
    text,
    json
}
