package io.cachep.apply;

import io.cachep.rules.Mutation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Lua script that checks the version fence and writes in one atomic step ({@code fenced-apply.lua}), and the
 * encoding of a group of mutations into its KEYS and ARGV.
 */
final class FencedApplyScript {
    static final String SOURCE = load();

    private FencedApplyScript() {}

    /** KEYS and ARGV for one call: mutations that share a hash tag, all of one event. */
    record Call(String[] keys, String[] args) {}

    static Call encode(long version, Duration tombstoneRetention, List<Mutation> mutations) {
        List<String> keys = new ArrayList<>(mutations.size() * 2);
        List<String> args = new ArrayList<>();
        args.add(Long.toString(version));
        args.add(Long.toString(tombstoneRetention.toMillis()));
        for (Mutation mutation : mutations) {
            keys.add(mutation.key().data());
            keys.add(mutation.key().fence());
            if (mutation instanceof Mutation.Upsert upsert && upsert.hash() != null) {
                args.add("H");
                args.add(Long.toString(upsert.expireAtMillis()));
                args.add(Integer.toString(upsert.hash().size()));
                for (Map.Entry<String, String> field : upsert.hash().entrySet()) {
                    args.add(field.getKey());
                    args.add(field.getValue());
                }
            } else if (mutation instanceof Mutation.Upsert upsert) {
                args.add("S");
                args.add(Long.toString(upsert.expireAtMillis()));
                args.add(upsert.json());
            } else {
                Mutation.Delete delete = (Mutation.Delete) mutation;
                args.add("D");
                args.add(delete.channel() == null ? "" : delete.channel());
            }
        }
        return new Call(keys.toArray(String[]::new), args.toArray(String[]::new));
    }

    private static String load() {
        try (InputStream in = FencedApplyScript.class.getResourceAsStream("fenced-apply.lua")) {
            if (in == null) {
                throw new IllegalStateException("fenced-apply.lua missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
