package io.cachep.apply;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Redis server says about itself in {@code HELLO} (version, mode): every user may send it (it is how a
 * connection starts), unlike {@code INFO}, which ACLs and managed services deny ({@code @dangerous}).
 */
public final class ServerHello {
    private ServerHello() {}

    /** {@code HELLO} without arguments (the connection keeps its protocol), as field → value. */
    public static Map<String, String> of(RedisClusterCommands<String, String> redis) {
        List<Object> hello = redis.dispatch(CommandType.HELLO, new ArrayOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8));
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < hello.size(); i += 2) {
            fields.put(String.valueOf(hello.get(i)), String.valueOf(hello.get(i + 1)));
        }
        return fields;
    }
}
