package io.cachep.projector.follow;

import java.io.Writer;
import org.slf4j.Logger;

/**
 * A writer whose every line becomes one INFO line of a logger: the follower reports its progress to a
 * {@link java.io.PrintWriter} (stderr under dlq-tool), and in the projector those lines belong in its log.
 */
final class LogLines extends Writer {
    private final Logger log;
    private final StringBuilder line = new StringBuilder();

    LogLines(Logger log) {
        this.log = log;
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = chars[i];
            if (c == '\n') {
                emit();
            } else if (c == '\r') {
                line.setLength(0); // a progress bar redrawn in place: only its last state, ended by '\n', is logged
            } else {
                line.append(c);
            }
        }
    }

    @Override
    public void flush() {
        // A line is logged when it ends; a part line waits for the rest of it.
    }

    @Override
    public synchronized void close() {
        emit();
    }

    private void emit() {
        if (!line.isEmpty()) {
            log.info("{}", line);
            line.setLength(0);
        }
    }
}
