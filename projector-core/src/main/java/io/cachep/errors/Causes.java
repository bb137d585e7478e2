package io.cachep.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A failure and its causes, outermost first: the one way cachep walks a cause chain when it looks for what went
 * wrong (a permission, a TLS setting, a Kafka ACL) or says it in one line. A cause seen before ends the walk, so a
 * chain that loops cannot hang it.
 */
public final class Causes {
    private Causes() {}

    public static List<Throwable> of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable e = failure; e != null && seen.add(e); e = e.getCause()) {
            chain.add(e);
        }
        return chain;
    }
}
