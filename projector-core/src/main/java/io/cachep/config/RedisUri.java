package io.cachep.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigException;

/**
 * Reads redis:// and rediss:// URIs by hand rather than with java.net.URI, because URI's error messages quote the
 * whole input, password included. Every message here names what is wrong and never the user info.
 */
final class RedisUri {

    static final int DEFAULT_PORT = 6379;

    private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]{0,15}");
    private static final Pattern HOST_NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.%a-zA-Z]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    /**
     * The pieces of a valid URI. toString is overridden because a record's would print the password.
     *
     * @param userOnly the user info was {@code user@}, without a ':' (so the password must come from elsewhere)
     */
    record Parts(boolean tls, List<Seed> seeds, int database, Optional<String> username,
                 Optional<String> password, boolean userOnly) {

        /** The first (for a single server, the only) host. */
        String host() {
            return seeds.get(0).host();
        }

        int port() {
            return seeds.get(0).port();
        }

        String redacted() {
            return RedisEndpoint.format(tls, seeds, database, username, password.isPresent());
        }

        @Override
        public String toString() {
            return redacted();
        }
    }

    private RedisUri() {
    }

    /** @throws ConfigException naming every problem with the URI, never its user info */
    static Parts parse(String uri) {
        List<String> problems = new ArrayList<>();
        Parts parts = parse(uri, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(ProjectorConfig.REDIS_URI_CONFIG + " is invalid: " + String.join("; ", problems));
        }
        return parts;
    }

    private static Parts parse(String uri, List<String> problems) {
        String text = uri == null ? "" : uri.trim();
        int schemeEnd = text.indexOf("://");
        if (schemeEnd < 0) {
            problems.add("it must start with redis:// or rediss://");
            return null;
        }
        String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("rediss");
        if (!tls && !scheme.equals("redis")) {
            // Quote the scheme only when it looks like one, in case someone pasted "user:secret@host://..."
            problems.add("scheme must be redis:// or rediss:// (TLS), not "
                    + (SCHEME.matcher(scheme).matches() ? scheme + "://" : "what precedes ://"));
        }

        String rest = text.substring(schemeEnd + 3);
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String hostAndPath = rest.substring(at + 1);
        int queryOrFragment = firstOf(hostAndPath, '?', '#');
        if (queryOrFragment >= 0) {
            // Not quoted: Lettuce-style URIs may carry ?password=...
            problems.add("query parameters and fragments are not supported; use the projector.redis.* keys");
            hostAndPath = hostAndPath.substring(0, queryOrFragment);
        }
        int slash = hostAndPath.indexOf('/');
        String authority = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
        String path = slash < 0 ? "" : hostAndPath.substring(slash + 1);

        List<Seed> seeds = new ArrayList<>();
        for (String seed : authority.split(",", -1)) {
            parseHostAndPort(seed.trim(), problems).ifPresent(seeds::add);
        }

        int database = 0;
        if (!path.isEmpty()) {
            if (!DIGITS.matcher(path).matches()) {
                problems.add("database after '/' must be a number from 0 up, not '" + path + "'");
            } else {
                database = Integer.parseInt(path);
            }
        }

        Optional<String> username = Optional.empty();
        Optional<String> password = Optional.empty();
        boolean userOnly = false;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                // redis://cachep@host names the user; its password comes from projector.redis.password. Lettuce
                // would read the same text as a password, so the loader refuses it when no password is configured
                // (a password mistaken for a user name would otherwise be sent and shown as one).
                userOnly = true;
                try {
                    username = Optional.of(decode(userInfo)).filter(s -> !s.isEmpty());
                } catch (IllegalArgumentException e) {
                    problems.add("user info has a broken %-escape (write %25 for a literal %)");
                }
            } else {
                try {
                    username = Optional.of(decode(userInfo.substring(0, colon))).filter(s -> !s.isEmpty());
                    password = Optional.of(decode(userInfo.substring(colon + 1))).filter(s -> !s.isEmpty());
                } catch (IllegalArgumentException e) {
                    problems.add("user info has a broken %-escape (write %25 for a literal %)");
                }
            }
        }
        return problems.isEmpty() ? new Parts(tls, seeds, database, username, password, userOnly) : null;
    }

    /** One {@code host[:port]} of the authority (an IPv6 host in brackets); a seed list has several. */
    private static Optional<Seed> parseHostAndPort(String authority, List<String> problems) {
        int before = problems.size();
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? "" : authority.substring(1, close);
            String afterHost = close < 0 ? "" : authority.substring(close + 1);
            if (close < 0 || !IPV6.matcher(host).matches()) {
                problems.add("IPv6 host must be written [address]");
            } else if (afterHost.startsWith(":")) {
                portText = afterHost.substring(1);
            } else if (!afterHost.isEmpty()) {
                problems.add("unexpected text after the IPv6 host");
            }
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0 && authority.lastIndexOf(':') != colon) {
                problems.add("an IPv6 host must be in brackets, like [::1]:6379");
                host = "";
            } else {
                host = colon < 0 ? authority : authority.substring(0, colon);
                portText = colon < 0 ? null : authority.substring(colon + 1);
                if (host.isEmpty()) {
                    problems.add("host is missing");
                } else if (!HOST_NAME.matcher(host).matches()) {
                    problems.add("host '" + host + "' has characters a host name cannot have");
                }
            }
        }

        int port = DEFAULT_PORT;
        if (portText != null) {
            if (!DIGITS.matcher(portText).matches()) {
                problems.add("port must be a number from 1 to 65535, not '" + portText + "'");
            } else {
                port = Integer.parseInt(portText);
                if (port < 1 || port > 65535) {
                    problems.add("port must be from 1 to 65535, not " + port);
                }
            }
        }
        return problems.size() == before ? Optional.of(new Seed(host, port)) : Optional.empty();
    }

    private static int firstOf(String text, char a, char b) {
        int first = text.indexOf(a);
        int second = text.indexOf(b);
        return first < 0 ? second : second < 0 ? first : Math.min(first, second);
    }

    /** Percent-decoding as in URIs: unlike URLDecoder, '+' stays '+'. */
    private static String decode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("truncated escape");
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("bad escape");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
