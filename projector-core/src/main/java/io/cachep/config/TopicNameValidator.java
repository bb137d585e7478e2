package io.cachep.config;

import io.cachep.topics.TopicNames;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A legal Kafka topic name, checked at start-up rather than at the first dead letter. */
final class TopicNameValidator implements ConfigDef.Validator {

    @Override
    public void ensureValid(String name, Object value) {
        if (!(value instanceof String topic) || !TopicNames.isValid(topic)) {
            throw new ConfigException(name, value, "a topic name must be " + TopicNames.RULE);
        }
    }

    @Override
    public String toString() {
        return "a Kafka topic name: " + TopicNames.RULE;
    }
}
