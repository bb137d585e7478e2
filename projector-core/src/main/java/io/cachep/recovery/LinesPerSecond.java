package io.cachep.recovery;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * At most so many lines a second, for a {@link DivergenceWatch.Listener} that prints one line per entry: a flush makes
 * every entry divergent at once, and a hundred thousand lines would bury the rest. The lines over the limit are
 * counted, and the count is handed on once their second is over, to be said in one line.
 */
public final class LinesPerSecond {
    private final int limit;
    private final LongSupplier clockMillis;
    private long second;
    private int shown;
    private long held;

    public LinesPerSecond(int limit) {
        this(limit, System::currentTimeMillis);
    }

    LinesPerSecond(int limit, LongSupplier clockMillis) {
        this.limit = limit;
        this.clockMillis = clockMillis;
    }

    /**
     * Whether one more line may be printed now. A new second first hands {@code heldBack} the count held back in the
     * one before, if any.
     */
    public boolean admit(LongConsumer heldBack) {
        long now = clockMillis.getAsLong() / 1000;
        if (now != second) {
            handOn(heldBack);
            second = now;
            shown = 0;
        }
        if (shown++ < limit) {
            return true;
        }
        held++;
        return false;
    }

    /** Hands {@code heldBack} the count held back once its second is over (at the end of a pass, say). */
    public void secondOver(LongConsumer heldBack) {
        if (clockMillis.getAsLong() / 1000 != second) {
            handOn(heldBack);
        }
    }

    private void handOn(LongConsumer heldBack) {
        if (held > 0) {
            heldBack.accept(held);
            held = 0;
        }
    }
}
