package io.cachep.producer.scenario;

/**
 * How big the simulated world is; the command line's {@code --sessions}, {@code --users} and {@code --tenants}.
 *
 * @param sessions sessions open at once in the steady state
 * @param users    distinct users {@code u-1..u-N}, shared by every scenario
 * @param tenants  tenants {@code t-1..t-N} the users belong to
 */
public record ScenarioSizes(int sessions, int users, int tenants) {
    public static final int DEFAULT_TENANTS = 5;

    public ScenarioSizes {
        atLeastOne("sessions", sessions);
        atLeastOne("users", users);
        atLeastOne("tenants", tenants);
    }

    private static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, was " + value);
        }
    }
}
