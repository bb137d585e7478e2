package io.cachep.dlqtool.verify;

import io.cachep.rules.reference.Divergence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** What a comparison found, in bounded memory: counts by kind and the first few divergences, for the report. */
public final class DivergenceTally implements Consumer<Divergence> {
    private final int sampleSize;
    private final Map<Divergence.Kind, Long> byKind = new EnumMap<>(Divergence.Kind.class);
    private final List<Divergence> sample = new ArrayList<>();
    private long total;

    public DivergenceTally(int sampleSize) {
        this.sampleSize = sampleSize;
    }

    @Override
    public void accept(Divergence divergence) {
        byKind.merge(divergence.kind(), 1L, Long::sum);
        if (sample.size() < sampleSize) {
            sample.add(divergence);
        }
        total++;
    }

    /** Adds what another tally found (one share's, for a combined result): its counts, and its sample while room is left. */
    public void addAll(Map<Divergence.Kind, Long> counts, List<Divergence> found) {
        counts.forEach((kind, n) -> {
            byKind.merge(kind, n, Long::sum);
            total += n;
        });
        for (Divergence divergence : found) {
            if (sample.size() < sampleSize) {
                sample.add(divergence);
            }
        }
    }

    public long total() {
        return total;
    }

    public long count(Divergence.Kind kind) {
        return byKind.getOrDefault(kind, 0L);
    }

    public Map<Divergence.Kind, Long> byKind() {
        return Collections.unmodifiableMap(byKind);
    }

    /** The first divergences found, at most the sample size. */
    public List<Divergence> sample() {
        return Collections.unmodifiableList(sample);
    }
}
