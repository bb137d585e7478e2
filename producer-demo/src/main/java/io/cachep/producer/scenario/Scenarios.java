package io.cachep.producer.scenario;

import java.util.List;

/** Picks a scenario by its command-line name; shared by {@code bin/producer-demo} and the demo. */
public final class Scenarios {
    public static final List<String> NAMES = List.of("sessions", "profiles", "rooms", "tenants", "mixed");

    private Scenarios() {}

    /** @throws IllegalArgumentException for a name not in {@link #NAMES}, saying which names there are */
    public static Scenario create(String name, long seed, ScenarioSizes sizes) {
        return switch (name) {
            case "sessions" -> new SessionScenario(seed, sizes.sessions(), sizes.users(), sizes.tenants());
            case "profiles" -> new ProfileScenario(seed, sizes.users());
            case "rooms" -> new RoomScenario(seed, sizes.users());
            case "tenants" -> new TenantScenario(seed, sizes.tenants());
            case "mixed" -> new MixedScenario(seed, sizes);
            default -> throw new IllegalArgumentException(
                    "unknown scenario '" + name + "'; available: " + String.join(", ", NAMES));
        };
    }
}
