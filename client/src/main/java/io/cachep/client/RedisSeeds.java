package io.cachep.client;

import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The URI forms the projector takes (README, "Redis settings"): one server, {@code redis://[user:password@]host:port},
 * or a cluster's seeds, {@code redis://[user:password@]h1:7000,h2:7000}, every seed with the same credentials and
 * scheme ({@code rediss://} for TLS).
 */
final class RedisSeeds {
    private static final Pattern URI = Pattern.compile("^(rediss?://)([^@/]*@)?([^/]+)(/.*)?$");

    private RedisSeeds() {}

    static List<RedisURI> parse(String uri) {
        Matcher m = uri == null ? null : URI.matcher(uri);
        if (m == null || !m.matches()) {
            return List.of(RedisURI.create(uri));  // Lettuce says what is wrong with it
        }
        String userInfo = m.group(2) == null ? "" : m.group(2);
        String rest = m.group(4) == null ? "" : m.group(4);
        List<RedisURI> seeds = new ArrayList<>();
        for (String hostPort : m.group(3).split(",")) {
            seeds.add(RedisURI.create(m.group(1) + userInfo + hostPort.strip() + rest));
        }
        return seeds;
    }
}
