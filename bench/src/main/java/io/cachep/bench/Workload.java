package io.cachep.bench;

import io.cachep.producer.scenario.DemoEvent;
import io.cachep.producer.scenario.FaultInjector;
import io.cachep.producer.scenario.MixedScenario;
import io.cachep.producer.scenario.ProfileScenario;
import io.cachep.producer.scenario.RoomScenario;
import io.cachep.producer.scenario.SessionScenario;
import io.cachep.producer.scenario.ScenarioSizes;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * The bench's event mix: the demo's sessions, profiles and rooms (in the mixed scenario's proportions, 50 : 25 : 23),
 * with duplicates and reordering. Tenant flushes are left out: one of them drops every session of a tenant, so at
 * this scale a few dozen would dominate Redis's time and measure tag invalidation rather than the projection.
 *
 * @param events     records to produce (duplicates included)
 * @param users      users u-1..u-N, each with a profile, a card and a set of sessions; rooms are one per ten users
 * @param sessions   sessions open at once in the steady state
 * @param duplicates fraction of events sent twice
 * @param reorder    fraction of events sent after their entity's next one
 */
record Workload(long events, int users, int sessions, double duplicates, double reorder, long seed) {
    Workload {
        if (events < 1) {
            throw new IllegalArgumentException("--events must be at least 1, was " + events);
        }
    }

    /** A fresh, reproducible stream of this mix: the same seed gives the same events (with times from {@code now}). */
    FaultInjector stream() {
        Random seeds = new Random(seed);
        ScenarioSizes sizes = new ScenarioSizes(sessions, users, ScenarioSizes.DEFAULT_TENANTS);
        MixedScenario mixed = new MixedScenario(seeds.nextLong(), List.of(
                new MixedScenario.Part(new SessionScenario(seeds.nextLong(), sizes.sessions(), sizes.users(), sizes.tenants()), 50),
                new MixedScenario.Part(new ProfileScenario(seeds.nextLong(), sizes.users()), 25),
                new MixedScenario.Part(new RoomScenario(seeds.nextLong(), sizes.users()), 23)));
        return new FaultInjector(mixed, seeds.nextLong(), duplicates, reorder, 0);
    }

    /** The topics the mix writes to (the demo rules also read tenant-events, which stays empty). */
    static List<String> topics() {
        return List.of(SessionScenario.TOPIC, ProfileScenario.TOPIC, RoomScenario.TOPIC);
    }

    /**
     * Calls {@code each} for the first {@link #events} records of the stream. Events still held back for reordering
     * at the end are never sent: the log simply lacks them, as it would if their producer had not got round to it.
     */
    void forEachRecord(FaultInjector stream, java.util.function.Consumer<DemoEvent> each) {
        long sent = 0;
        while (sent < events) {
            for (DemoEvent event : stream.next(Instant.now())) {
                if (sent < events) {
                    each.accept(event);
                    sent++;
                }
            }
        }
    }
}
