package io.cachep.client;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.Map;

/**
 * Writes entries as the projector leaves them (docs/rules.md, "Fencing metadata": the entry and, beside it, its fence
 * with the packed registers in field {@code b}), for tests that disrupt a Redis of their own and need no broker.
 */
final class Entries implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String namespace;

    Entries(String redisUri, String namespace) {
        this.client = RedisClient.create(redisUri);
        this.connection = client.connect();
        this.namespace = namespace;
    }

    /** A hash entry upserted at {@code version}, in one transaction as the projector's library call is atomic. */
    void hash(String key, long version, Map<String, String> fields) {
        RedisCommands<String, String> redis = connection.sync();
        redis.multi();
        redis.del(namespace + ":" + key);
        redis.hset(namespace + ":" + key, fields);
        redis.hset(namespace + ":~fence:" + key, "b", version + ",,,," + System.currentTimeMillis() + ",,hash,,");
        redis.exec();
    }

    /** An {@code ACL} command word for word, as an operator would type it. */
    void acl(String... words) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String word : words) {
            args.add(word);
        }
        connection.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
    }

    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
