package io.cachep.projector.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The metric names a {@code /metrics} query asks for: every {@code name[]=} parameter, the Prometheus clients'
 * convention. A name is matched as written and without the suffix Prometheus's text format adds to a family's
 * samples ({@code cachep_events_total} is the family {@code cachep_events}), so either spelling works.
 */
final class MetricNames {
    private static final String PARAMETER = "name[]";
    private static final String[] SAMPLE_SUFFIXES = {"_total", "_count", "_sum", "_bucket", "_max", "_created", "_info"};

    private MetricNames() {}

    /** The names asked for; empty when the query asks for none (then every metric is returned). */
    static Set<String> requested(String rawQuery) {
        Set<String> names = new LinkedHashSet<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return names;
        }
        for (String parameter : rawQuery.split("&")) {
            int equals = parameter.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = URLDecoder.decode(parameter.substring(0, equals), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
            if (PARAMETER.equals(key) && !value.isEmpty()) {
                names.add(value);
                for (String suffix : SAMPLE_SUFFIXES) {
                    if (value.endsWith(suffix)) {
                        names.add(value.substring(0, value.length() - suffix.length()));
                    }
                }
            }
        }
        return names;
    }
}
