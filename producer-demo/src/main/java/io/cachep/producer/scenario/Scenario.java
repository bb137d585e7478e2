package io.cachep.producer.scenario;

import java.time.Instant;

/** A source of realistic domain events, one at a time, in the order an upstream service would publish them. */
public interface Scenario {
    /** The scenario's name on the command line. */
    String name();

    /** The next event, stamped with {@code now} as its event time. */
    DemoEvent next(Instant now);
}
