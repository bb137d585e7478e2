package io.cachep.recovery;

import io.cachep.modelstore.DiskEntryStore;
import io.cachep.rulesfile.RulesFileDigest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * The streamed model's state for one namespace: the entries ({@link DiskEntryStore}) and the log positions folded into
 * them. In a directory of the operator's ({@code --state-dir}) it outlives the run: a killed run resumes from its last
 * checkpoint, and a later run folds in only the log added since. It is discarded when the rules file or the namespace
 * changed, since the entries were projected with other rules.
 */
public final class ModelState implements AutoCloseable {
    private static final String POSITIONS = "positions";
    private static final String BUILT_WITH = "built-with";

    private final DiskEntryStore store;
    private final boolean persistent;
    private final Map<TopicPartition, Long> positions;

    private ModelState(DiskEntryStore store, boolean persistent) {
        this.store = store;
        this.persistent = persistent;
        this.positions = decode(store.meta(POSITIONS));
    }

    /**
     * What a state is of, for {@link #open}: the namespace and the digest of the rules file it is projected with.
     */
    public static String builtWith(String namespace, Path rulesFile) throws IOException {
        return namespace + " " + RulesFileDigest.of(rulesFile);
    }

    /**
     * The state kept in {@code directory} (see {@link #kept}), or, without one, a state in a new temporary directory
     * under {@code java.io.tmpdir}, removed on close.
     *
     * @param builtWith {@link #builtWith}: a kept state of anything else is discarded
     */
    public static ModelState open(Optional<Path> directory, long heapBudgetBytes, String builtWith, PrintWriter err) {
        return directory.map(dir -> kept(dir, heapBudgetBytes, builtWith, err))
                .orElseGet(() -> temporary(Path.of(System.getProperty("java.io.tmpdir")), heapBudgetBytes));
    }

    /** A state in a new temporary directory under {@code parent}, removed on close. */
    private static ModelState temporary(Path parent, long heapBudgetBytes) {
        return new ModelState(DiskEntryStore.temporary(parent, heapBudgetBytes), false);
    }

    /**
     * The state kept in {@code directory}; started afresh (what is there removed) when it was built for another
     * namespace or rules file ({@code builtWith} says which).
     */
    private static ModelState kept(Path directory, long heapBudgetBytes, String builtWith, PrintWriter err) {
        DiskEntryStore store = DiskEntryStore.persistent(directory, heapBudgetBytes);
        byte[] found = store.meta(BUILT_WITH);
        if (found != null && !new String(found, StandardCharsets.UTF_8).equals(builtWith)) {
            err.println("the state in " + directory + " was built for another namespace or rules file: starting over");
            store.close();
            DiskEntryStore.delete(directory);
            store = DiskEntryStore.persistent(directory, heapBudgetBytes);
        } else if (found != null) {
            err.println("resuming the state in " + directory);
        }
        store.checkpoint(Map.of(BUILT_WITH, builtWith.getBytes(StandardCharsets.UTF_8)));
        return new ModelState(store, true);
    }

    public DiskEntryStore store() {
        return store;
    }

    /** The next offset to fold in, per partition, as of the last checkpoint (none: from the start). */
    public Map<TopicPartition, Long> positions() {
        return positions;
    }

    /** Whether checkpoints are worth their flush: the state outlives the run. */
    public boolean persistent() {
        return persistent;
    }

    /** Saves the entries and, with them, the positions folded in. */
    public void checkpoint(Map<TopicPartition, Long> folded) {
        positions.putAll(folded);
        store.checkpoint(Map.of(POSITIONS, encode(positions)));
    }

    @Override
    public void close() {
        store.close();
    }

    private static byte[] encode(Map<TopicPartition, Long> positions) {
        StringBuilder text = new StringBuilder();
        positions.forEach((p, offset) -> text.append(p.topic()).append('\t').append(p.partition()).append('\t')
                .append(offset).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<TopicPartition, Long> decode(byte[] bytes) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        if (bytes != null) {
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.split("\t");
                if (parts.length == 3) {
                    positions.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
                }
            }
        }
        return positions;
    }
}
