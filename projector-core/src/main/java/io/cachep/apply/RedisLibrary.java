package io.cachep.apply;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * cachep's server-side code: one Redis Functions library (Redis 7.0+), and the one component that loads it, calls
 * its functions and loads it again when Redis lost it.
 *
 * <p>Functions rather than scripts: Redis persists and replicates a library (in its RDB, AOF and to replicas), so a
 * restart with persistence or a failover keeps it, where the script cache empties and every client's next calls fail
 * with NOSCRIPT at once. The library is assembled from the parts in {@code library/} (shared helpers first, then each
 * function, then their registration), so the functions share one copy of what they have in common.
 *
 * <p>The library's name is {@code cachep_<layout>_<digest>}: the fence layout it writes and a digest of its source.
 * Each release of cachep calls its own functions, so two releases running side by side during a rolling upgrade never
 * replace each other's code. Loading a library that is already there changes nothing.
 *
 * <p>A Redis that lost the library (restarted without persistence, {@code FUNCTION FLUSH}, a new primary that never
 * had it) answers {@code ERR Function not found}; the call then loads it and is sent again.
 */
public final class RedisLibrary {
    /** The version of the fence layout the library reads and writes (docs/rules.md, "Fencing metadata"). */
    static final int LAYOUT = 2;
    private static final List<String> PARTS = List.of("common.lua", "apply.lua", "tag-index.lua", "promote.lua",
            "register.lua");
    private static final String PARTS_SOURCE = partsSource();
    static final String NAME = "cachep_" + LAYOUT + "_" + digest(PARTS_SOURCE);
    static final String SOURCE = "#!lua name=" + NAME + "\n" + PARTS_SOURCE.replace("${library}", NAME);

    /** The library's functions, by their name within it. */
    public enum Function {
        /** The version-fenced apply of a batch of events ({@code library/apply.lua}). */
        APPLY("apply"),
        /**
         * The same, for keys of several slots that one Redis Cluster node serves ({@code apply_across_slots}, flagged
         * {@code allow-cross-slot-keys}); called through {@link #callAcrossSlots}.
         */
        APPLY_ACROSS_SLOTS("apply_slots"),
        /** The index of one tag: register, invalidate, forget ({@code library/tag-index.lua}). */
        TAG_INDEX("tag_index"),
        /** The fenced promote of one entry from rebuild's shadow ({@code library/promote.lua}). */
        PROMOTE("promote");

        private final String qualifiedName;

        Function(String name) {
            this.qualifiedName = NAME + "_" + name;
        }

        /** The name Redis knows it by: the library's name, then the function's. */
        public String qualifiedName() {
            return qualifiedName;
        }
    }

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Supplier<List<RedisClusterAsyncCommands<String, String>>> primaries;
    /** How a call is sent and when it counts as done (WAIT for replicas); null: as any command on {@link #redis}. */
    private final AcknowledgedWrites writes;

    /**
     * Loads the library now if Redis answers; otherwise the first call that needs it does.
     *
     * @throws RedisCommandExecutionException when the Redis user may not load it (NOPERM): a missing grant is said
     *                                        at startup, not at the first event
     */
    public RedisLibrary(RedisClusterAsyncCommands<String, String> redis) {
        this(redis, () -> List.of(redis), null);
    }

    /**
     * A library on every primary of a Redis Cluster (or the one server of a {@link RedisTarget}): a function runs on
     * the primary of its keys' slot, so each primary needs its own copy, and a primary promoted after a failover that
     * lacks it gets it on the first call that finds it missing.
     */
    public RedisLibrary(RedisTarget target) {
        this(target.async(), () -> target.shards().stream().map(RedisTarget.Shard::commands).toList(), target.writes());
    }

    private RedisLibrary(RedisClusterAsyncCommands<String, String> redis,
                         Supplier<List<RedisClusterAsyncCommands<String, String>>> primaries, AcknowledgedWrites writes) {
        this.redis = redis;
        this.primaries = primaries;
        this.writes = writes;
        try {
            load().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (RedisPermissions.isPermissionError(e)) {
                throw new RedisCommandExecutionException("cannot load cachep's Redis library: "
                        + e.getCause().getMessage(), e.getCause());
            }
            // Redis unreachable now: a call loads the library once it is back.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            // Redis slow now: a call loads the library once it answers.
        }
    }

    /** Calls a function; when Redis does not have the library, loads it and calls again. */
    public <T> CompletableFuture<T> call(Function function, ScriptOutputType type, String[] keys, String... args) {
        return this.<T>send(function, type, keys, args).exceptionallyCompose(error -> {
            Throwable cause = RedisApplier.unwrap(error);
            if (isMissing(cause)) {
                return load().thenCompose(loaded -> send(function, type, keys, args));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /**
     * {@link Function#APPLY_ACROSS_SLOTS} with {@code keys} and {@code args} as {@link Function#APPLY} takes them: only
     * the first key is declared (a cluster checks declared keys for one slot, and routes by the first), the others go
     * in front of the arguments, counted.
     */
    public <T> CompletableFuture<T> callAcrossSlots(ScriptOutputType type, String[] keys, String... args) {
        String[] arguments = new String[1 + keys.length + args.length];
        arguments[0] = Integer.toString(keys.length);
        System.arraycopy(keys, 0, arguments, 1, keys.length);
        System.arraycopy(args, 0, arguments, 1 + keys.length, args.length);
        return call(Function.APPLY_ACROSS_SLOTS, type, new String[] {keys[0]}, arguments);
    }

    /**
     * {@code FCALL}, with the arguments added as plain strings rather than through the codec: Lettuce encodes a
     * codec-typed UTF-8 argument into a pooled buffer of its own first and copies it, which for an apply call's
     * thousand arguments was a sixth of the projector's CPU. The first key goes through the codec, so a client that
     * routes by key (Redis Cluster) still finds it. On a {@link RedisTarget} the call goes through its
     * {@link AcknowledgedWrites}, so it completes once it counts as acknowledged (after WAIT, when configured).
     */
    private <T> CompletableFuture<T> send(Function function, ScriptOutputType type, String[] keys, String... args) {
        CommandArgs<String, String> arguments = new CommandArgs<>(StringCodec.UTF8)
                .add(function.qualifiedName()).add(keys.length);
        for (int i = 0; i < keys.length; i++) {
            if (i == 0) {
                arguments.addKey(keys[i]);
            } else {
                arguments.add(keys[i]);
            }
        }
        for (String arg : args) {
            arguments.add(arg);
        }
        if (writes == null) {
            return redis.dispatch(CommandType.FCALL, RedisLibrary.<T>output(type), arguments).toCompletableFuture();
        }
        return writes.send(keys[0], node -> node.dispatch(CommandType.FCALL, RedisLibrary.<T>output(type), arguments));
    }

    @SuppressWarnings("unchecked") // each output gives the Java type its ScriptOutputType stands for, as fcall's do
    private static <T> CommandOutput<String, String, T> output(ScriptOutputType type) {
        CommandOutput<String, String, ?> output = switch (type) {
            case MULTI -> new NestedMultiOutput<>(StringCodec.UTF8);
            case VALUE -> new ValueOutput<>(StringCodec.UTF8);
            case STATUS -> new StatusOutput<>(StringCodec.UTF8);
            case INTEGER -> new IntegerOutput<>(StringCodec.UTF8);
            case BOOLEAN -> new BooleanOutput<>(StringCodec.UTF8);
            default -> throw new IllegalArgumentException("no output for " + type);
        };
        return (CommandOutput<String, String, T>) output;
    }

    /**
     * Loads the library on every primary; one that is there already (the same name is the same source) counts as
     * loaded.
     */
    CompletableFuture<Void> load() {
        return CompletableFuture.allOf(primaries.get().stream().map(RedisLibrary::loadOn)
                .toArray(CompletableFuture[]::new));
    }

    private static CompletableFuture<Void> loadOn(RedisClusterAsyncCommands<String, String> node) {
        return node.functionLoad(SOURCE).toCompletableFuture().<Void>thenApply(name -> null)
                .exceptionallyCompose(error -> {
                    Throwable cause = RedisApplier.unwrap(error);
                    if (cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage())
                            .contains("already exists")) {
                        return CompletableFuture.completedFuture(null);
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    private static boolean isMissing(Throwable error) {
        return error instanceof RedisCommandExecutionException
                && String.valueOf(error.getMessage()).startsWith("ERR Function not found");
    }

    private static String partsSource() {
        StringBuilder source = new StringBuilder();
        for (String part : PARTS) {
            source.append(read("library/" + part)).append('\n');
        }
        return source.toString();
    }

    /** A resource beside this class (the library's parts; the tests' earlier scripts), as text. */
    static String read(String name) {
        try (InputStream in = RedisLibrary.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(String source) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java platform", e);
        }
    }
}
