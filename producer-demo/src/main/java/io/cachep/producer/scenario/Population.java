package io.cachep.producer.scenario;

import java.util.Random;

/**
 * The users {@code u-1..u-U} and tenants {@code t-1..t-T} that all scenarios talk about. Every scenario built from
 * the same sizes sees the same people, so a mixed stream's sessions, profiles and rooms concern the same users, and
 * a user's tenant is the same whichever scenario mentions it.
 */
record Population(int users, int tenants) {
    Population {
        if (users < 1 || tenants < 1) {
            throw new IllegalArgumentException("need at least one user and one tenant, got " + users + " and " + tenants);
        }
    }

    /** For a scenario that names users but never their tenant. */
    static Population ofUsers(int users) {
        return new Population(users, 1);
    }

    /** For a scenario that names tenants but no users. */
    static Population ofTenants(int tenants) {
        return new Population(1, tenants);
    }

    String randomUser(Random random) {
        return "u-" + (1 + random.nextInt(users));
    }

    String randomTenant(Random random) {
        return "t-" + (1 + random.nextInt(tenants));
    }

    /** A fixed function of the id (String.hashCode is specified), so it needs no state and no seed to agree. */
    String tenantOf(String userId) {
        return "t-" + (1 + Math.floorMod(userId.hashCode(), tenants));
    }
}
