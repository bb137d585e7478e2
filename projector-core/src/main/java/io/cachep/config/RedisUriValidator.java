package io.cachep.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Checks {@value ProjectorConfig#REDIS_URI_CONFIG} with messages that never contain the password. */
final class RedisUriValidator implements ConfigDef.Validator {

    @Override
    public void ensureValid(String name, Object value) {
        if (!(value instanceof String uri)) {
            throw new ConfigException(name + " must be a redis:// or rediss:// URI");
        }
        RedisUri.parse(uri);
    }

    @Override
    public String toString() {
        return "redis://[user:password@ | :password@ | user@]host[:port][/db] or rediss://... (TLS)";
    }
}
