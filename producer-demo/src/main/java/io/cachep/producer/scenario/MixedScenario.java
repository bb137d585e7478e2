package io.cachep.producer.scenario;

import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * All the scenarios at once, as a real system's topics would see them: each step asks one of them, chosen by
 * weight, for its next event. Built from one {@link ScenarioSizes}, they share users {@code u-1..u-U} and tenants
 * {@code t-1..t-T}, so a user's sessions, profile and room memberships are about the same person.
 */
public final class MixedScenario implements Scenario {
    /** A scenario and how often, relative to the others, it gets the next step. */
    public record Part(Scenario scenario, double weight) {
        public Part {
            if (!(weight > 0)) {
                throw new IllegalArgumentException("a part's weight must be positive, was " + weight);
            }
        }
    }

    private final Random random;
    private final List<Part> parts;
    private final double totalWeight;

    /** Sessions 50%, profiles 25%, rooms 23%, tenant flushes 2%. */
    public MixedScenario(long seed, ScenarioSizes sizes) {
        this(seed, standardParts(new Random(seed), sizes));
    }

    public MixedScenario(long seed, List<Part> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a mixed scenario needs at least one part");
        }
        // Not the seed the parts were given, so choosing a part does not replay a part's own choices.
        this.random = new Random(~seed);
        this.parts = List.copyOf(parts);
        this.totalWeight = parts.stream().mapToDouble(Part::weight).sum();
    }

    private static List<Part> standardParts(Random seeds, ScenarioSizes sizes) {
        return List.of(
                new Part(new SessionScenario(seeds.nextLong(), sizes.sessions(), sizes.users(), sizes.tenants()), 50),
                new Part(new ProfileScenario(seeds.nextLong(), sizes.users()), 25),
                new Part(new RoomScenario(seeds.nextLong(), sizes.users()), 23),
                new Part(new TenantScenario(seeds.nextLong(), sizes.tenants()), 2));
    }

    @Override
    public String name() {
        return "mixed";
    }

    @Override
    public DemoEvent next(Instant now) {
        double roll = random.nextDouble() * totalWeight;
        for (Part part : parts) {
            roll -= part.weight();
            if (roll < 0) {
                return part.scenario().next(now);
            }
        }
        return parts.get(parts.size() - 1).scenario().next(now); // rounding left a sliver past the last weight
    }
}
