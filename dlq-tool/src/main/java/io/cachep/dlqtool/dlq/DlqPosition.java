package io.cachep.dlqtool.dlq;

import picocli.CommandLine;

/** A record of the dead-letter topic named as {@code dlq list} shows it: {@code <partition>:<offset>}. */
public record DlqPosition(int partition, long offset) {
    public DlqPosition {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset must not be negative");
        }
    }

    /** Parses {@code 0:42}, or throws IllegalArgumentException saying what was expected. */
    public static DlqPosition parse(String text) {
        int colon = text.indexOf(':');
        try {
            if (colon > 0) {
                return new DlqPosition(Integer.parseInt(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
            }
        } catch (IllegalArgumentException malformed) {
            // falls through to the one message that shows the expected form
        }
        throw new IllegalArgumentException("'" + text + "' is not PARTITION:OFFSET of the DLQ, e.g. 0:42 as dlq list shows it");
    }

    @Override
    public String toString() {
        return partition + ":" + offset;
    }

    /** Lets picocli report a malformed position as a usage error (exit 2). */
    public static final class Converter implements CommandLine.ITypeConverter<DlqPosition> {
        @Override
        public DlqPosition convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
