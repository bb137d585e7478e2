package io.cachep.client;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads an entry and its version in one read-only script call ({@code read.lua}, EVALSHA_RO; EVAL_RO when Redis's
 * script cache does not have it yet). Read-only scripts run on a replica too and need no write grant: the client's
 * Redis user needs {@code +evalsha_ro +eval_ro} and read access to the namespace's keys.
 */
final class ReadScript {
    private final String source = load();
    private final String sha = sha1(source);

    /** Reads one entry; the future fails with Lettuce's exception when Redis does not answer or refuses. */
    CompletableFuture<Snapshot> read(RedisClusterAsyncCommands<String, String> redis, EntryKeys keys, String entryKey,
                                     TrackingEpoch epoch) {
        String[] both = {entryKey, keys.fenceOf(entryKey)};
        long sentAt = System.nanoTime();
        return redis.<List<Object>>evalshaReadOnly(sha, ScriptOutputType.MULTI, both).toCompletableFuture()
                .exceptionallyCompose(failure -> unwrap(failure) instanceof RedisNoScriptException
                        ? redis.<List<Object>>evalReadOnly(source, ScriptOutputType.MULTI, both).toCompletableFuture()
                        : CompletableFuture.failedFuture(unwrap(failure)))
                .thenApply(reply -> decode(keys.local(entryKey), reply, sentAt, epoch));
    }

    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    @SuppressWarnings("unchecked")
    private static Snapshot decode(String key, List<Object> reply, long sentAt, TrackingEpoch epoch) {
        String redisType = (String) reply.get(0);
        EntryType type = EntryType.ofRedis(redisType);
        if (type == null) {
            throw new WrongEntryTypeException(key + " is a Redis " + redisType + ", which cachep never writes");
        }
        long pttl = (Long) reply.get(1);
        String version = (String) reply.get(2);
        List<Object> value = (List<Object>) reply.get(4);
        // The TTL counts from when Redis ran the read, which is after it was sent: expiring the copy that long after
        // sending it expires it no later than Redis does.
        long expiresAt = pttl >= 0 ? sentAt + TimeUnit.MILLISECONDS.toNanos(pttl) : Long.MAX_VALUE;
        return new Snapshot(type, value(type, value), version.isEmpty() ? null : Long.valueOf(version), sentAt,
                expiresAt, epoch);
    }

    private static Object value(EntryType type, List<Object> flat) {
        switch (type) {
            case HASH: {
                Map<String, String> hash = new LinkedHashMap<>();
                for (int i = 0; i < flat.size(); i += 2) {
                    hash.put((String) flat.get(i), (String) flat.get(i + 1));
                }
                return Collections.unmodifiableMap(hash);
            }
            case STRING:
                return flat.get(0);
            case SET: {
                Set<String> members = new LinkedHashSet<>();
                flat.forEach(member -> members.add((String) member));
                return Collections.unmodifiableSet(members);
            }
            case ZSET: {
                List<ScoredMember> members = new ArrayList<>(flat.size() / 2);
                for (int i = 0; i < flat.size(); i += 2) {
                    members.add(new ScoredMember((String) flat.get(i), Double.parseDouble((String) flat.get(i + 1))));
                }
                return Collections.unmodifiableList(members);
            }
            default:
                return null;
        }
    }

    private static String load() {
        try (InputStream in = ReadScript.class.getResourceAsStream("read.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("read.lua is missing from the cachep-client jar", e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
