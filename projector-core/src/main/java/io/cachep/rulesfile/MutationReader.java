package io.cachep.rulesfile;

import io.cachep.rules.KeyLayout;
import io.cachep.rules.MutationTemplate;
import io.cachep.rules.Operation;
import io.cachep.rules.MutationTemplate.WriteOptions;
import io.cachep.rules.Template;
import io.cachep.text.DidYouMean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads one mutation (`- upsert: {...}`) of a rule, reporting every problem through {@link YamlFields}. */
final class MutationReader {

    private final YamlFields yaml;
    private final List<KeyUse> keyUses = new ArrayList<>();

    /** Where a key template is written, and how: the file-wide check of tagged keys reads these. */
    record KeyUse(String key, Operation operation, boolean tagged, YamlNode node, String where) {}

    MutationReader(YamlFields yaml) {
        this.yaml = yaml;
    }

    /**
     * Tag invalidation drops whole entries, by event time; an entry whose fields or members are also written one by
     * one could end differently depending on delivery order. So a tagged key may only be written whole.
     */
    void checkTaggedKeys() {
        Map<String, KeyUse> tagged = new LinkedHashMap<>();
        keyUses.stream().filter(KeyUse::tagged).forEach(use -> tagged.putIfAbsent(use.key(), use));
        for (KeyUse use : keyUses) {
            KeyUse tagging = tagged.get(use.key());
            if (tagging != null && !use.operation().wholeEntry()) {
                yaml.problem(use.node(), use.where() + ", field 'key'", "key '" + use.key() + "' is tagged ("
                        + tagging.where() + "); a tagged key may only be written whole ("
                        + String.join(", ", Operation.ruleNamesWhere(Operation::wholeEntry))
                        + "), since tag invalidation drops whole entries");
            }
        }
    }

    /** @param forTombstone the rule matches Kafka tombstones: only removals, and no {data} placeholders */
    MutationTemplate read(YamlNode node, String where, boolean forTombstone) {
        YamlNode.Mapping wrapper = yaml.mapping(node, where);
        if (wrapper == null) {
            return null;
        }
        if (wrapper.values().size() != 1) {
            yaml.problem(wrapper, where, "a mutation is one operation such as 'upsert: {...}', found "
                    + wrapper.values().size() + " keys " + wrapper.values().keySet());
            return null;
        }
        String name = wrapper.values().keySet().iterator().next();
        YamlNode.Position opPosition = wrapper.keyPositions().get(name);
        Operation operation = Operation.ofRuleName(name).orElse(null);
        if (operation == null) {
            yaml.problemAt(opPosition, where, "unknown operation '" + name + "'"
                    + DidYouMean.suffix(name, Operation.ruleNames()));
            return null;
        }
        if (forTombstone && !operation.onTombstone()) {
            yaml.problemAt(opPosition, where, "a Kafka tombstone has no data: an on-tombstone rule may only "
                    + Operation.ruleNamesWhere(Operation::onTombstone));
            return null;
        }
        where = where + " (" + name + ")";
        YamlNode.Mapping body = yaml.mapping(wrapper.values().get(name), where);
        if (body == null) {
            return null;
        }
        yaml.checkFields(body, operation.fields(), where);
        MutationTemplate result = switch (operation) {
            case UPSERT -> upsert(body, where);
            case MERGE -> merge(body, where);
            case DELETE, INVALIDATE -> delete(operation, body, where);
            case EXPIRE -> expire(body, where);
            case INVALIDATE_TAG -> invalidateTag(body, where);
            case SET_ADD, SET_REMOVE, ZSET_ADD, ZSET_REMOVE -> member(operation, body, where);
        };
        if (result != null && forTombstone) {
            checkNoData(body, where);
        }
        return result;
    }

    private MutationTemplate upsert(YamlNode.Mapping body, String where) {
        Template key = key(body, where);
        YamlNode hashNode = body.values().get("hash");
        YamlNode jsonNode = body.values().get("json");
        if ((hashNode == null) == (jsonNode == null)) {
            yaml.problem(body, where, "an upsert writes either 'hash' (fields) or 'json' (one string value): give exactly one");
        }
        Map<String, Template> hash = hashNode == null ? null : fields(hashNode, where);
        Template json = jsonNode == null ? null : yaml.template(jsonNode, where + ", field 'json'");
        WriteOptions options = writeOptions(body, where, true);
        record(body, Operation.UPSERT, where, options != null && !options.tags().isEmpty());
        if (key == null || (hash == null && json == null) || options == null) {
            return null;
        }
        return new MutationTemplate.UpsertTemplate(key, hash, json, options);
    }

    private MutationTemplate merge(YamlNode.Mapping body, String where) {
        Template key = key(body, where);
        String hashFrom = yaml.optionalString(body, "hash-from", where);
        List<String> path = null;
        if (hashFrom != null) {
            path = List.of(hashFrom.split("\\.", -1));
            if (!path.get(0).equals("data") || path.stream().anyMatch(String::isEmpty)) {
                yaml.problem(body.values().get("hash-from"), where + ", field 'hash-from'",
                        "'" + hashFrom + "' must be 'data' or a path inside it such as 'data.profile'");
                path = null;
            }
        }
        YamlNode hashNode = body.values().get("hash");
        if (hashFrom == null && hashNode == null) {
            yaml.problem(body, where, "a merge needs 'hash-from' (e.g. data) or 'hash' (fields), or both");
        }
        Map<String, Template> hash = hashNode == null ? null : fields(hashNode, where);
        WriteOptions options = writeOptions(body, where, false);
        record(body, Operation.MERGE, where, false);
        if (key == null || (path == null && hash == null) || options == null) {
            return null;
        }
        return new MutationTemplate.MergeTemplate(key, path, hash, options);
    }

    private MutationTemplate delete(Operation operation, YamlNode.Mapping body, String where) {
        Template key = key(body, where);
        record(body, operation, where, false);
        String channel = operation == Operation.INVALIDATE ? yaml.requiredString(body, "channel", where) : null;
        if (key == null || (operation == Operation.INVALIDATE && channel == null)) {
            return null;
        }
        return new MutationTemplate.DeleteTemplate(operation, key, channel);
    }

    private MutationTemplate expire(YamlNode.Mapping body, String where) {
        Template key = key(body, where);
        record(body, Operation.EXPIRE, where, false);
        Duration ttl = yaml.duration(body, "ttl", where);
        Template expiresAt = yaml.optionalTemplate(body, "expires-at", where);
        boolean hasTtl = body.values().containsKey("ttl");
        boolean hasExpiresAt = body.values().containsKey("expires-at");
        if (hasTtl == hasExpiresAt) {
            yaml.problem(body, where, "an expire needs exactly one of 'ttl' or 'expires-at'");
            return null;
        }
        if (key == null || (ttl == null && expiresAt == null)) {
            return null;
        }
        return new MutationTemplate.ExpireTemplate(key, ttl, expiresAt);
    }

    private MutationTemplate member(Operation operation, YamlNode.Mapping body, String where) {
        Template key = key(body, where);
        Template member = yaml.requiredTemplate(body, "member", where);
        Template score = operation == Operation.ZSET_ADD ? yaml.requiredTemplate(body, "score", where) : null;
        WriteOptions options = operation.isWrite() ? writeOptions(body, where, false) : WriteOptions.NONE;
        record(body, operation, where, false);
        if (key == null || member == null || options == null || (operation == Operation.ZSET_ADD && score == null)) {
            return null;
        }
        return new MutationTemplate.MemberTemplate(operation, key, member, score, options);
    }

    private MutationTemplate invalidateTag(YamlNode.Mapping body, String where) {
        Template tag = yaml.requiredTemplate(body, "tag", where);
        return tag == null ? null : new MutationTemplate.InvalidateTagTemplate(tag);
    }

    private void record(YamlNode.Mapping body, Operation operation, String where, boolean tagged) {
        YamlNode node = body.values().get("key");
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            keyUses.add(new KeyUse(s.text(), operation, tagged, node, where));
        }
    }

    /** ttl / expires-at / tags; null when one of them is broken (already reported). */
    private WriteOptions writeOptions(YamlNode.Mapping body, String where, boolean tagsAllowed) {
        boolean broken = false;
        Duration ttl = yaml.duration(body, "ttl", where);
        broken |= body.values().containsKey("ttl") && ttl == null;
        Template expiresAt = yaml.optionalTemplate(body, "expires-at", where);
        broken |= body.values().containsKey("expires-at") && expiresAt == null;
        if (body.values().containsKey("ttl") && body.values().containsKey("expires-at")) {
            yaml.problem(body.values().get("expires-at"), where, "give 'ttl' or 'expires-at', not both");
            broken = true;
        }
        List<Template> tags = new ArrayList<>();
        YamlNode tagsNode = body.values().get("tags");
        if (tagsNode != null && !tagsAllowed) {
            yaml.problem(tagsNode, where + ", field 'tags'", "only an upsert may tag its key: tag invalidation drops"
                    + " whole entries, and this operation writes single fields or members");
            broken = true;
        } else if (tagsNode != null) {
            if (tagsNode instanceof YamlNode.Sequence list) {
                for (int i = 0; i < list.items().size(); i++) {
                    Template tag = yaml.template(list.items().get(i), where + ", tag " + (i + 1));
                    broken |= tag == null;
                    if (tag != null) {
                        tags.add(tag);
                    }
                }
            } else {
                yaml.problem(tagsNode, where + ", field 'tags'", "expected a list of tag templates, found " + tagsNode.kind());
                broken = true;
            }
        }
        return broken ? null : new WriteOptions(ttl, expiresAt, tags);
    }

    private Map<String, Template> fields(YamlNode node, String where) {
        YamlNode.Mapping fields = yaml.mapping(node, where + ", field 'hash'");
        if (fields == null) {
            return null;
        }
        if (fields.values().isEmpty()) {
            yaml.problem(fields, where, "'hash' needs at least one field");
            return null;
        }
        Map<String, Template> hash = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : fields.values().entrySet()) {
            Template t = yaml.template(e.getValue(), where + ", hash field '" + e.getKey() + "'");
            if (t == null) {
                return null;
            }
            hash.put(e.getKey(), t);
        }
        return hash;
    }

    private Template key(YamlNode.Mapping body, String where) {
        Template key = yaml.requiredTemplate(body, "key", where);
        if (key == null) {
            return null;
        }
        YamlNode node = body.values().get("key");
        if (!key.hasPlaceholder()) {
            yaml.problem(node, where + ", field 'key'", "key '" + key.source()
                    + "' has no placeholder: every event would write the same entry (use e.g. {subject})");
            return null;
        }
        if (key.source().charAt(0) == KeyLayout.RESERVED_PREFIX) {
            yaml.problem(node, where + ", field 'key'", "keys may not start with '~': cachep keeps its metadata there");
            return null;
        }
        return key;
    }

    private void checkNoData(YamlNode.Mapping body, String where) {
        for (Map.Entry<String, YamlNode> e : body.values().entrySet()) {
            if (e.getValue() instanceof YamlNode.Scalar s && !s.isNull() && s.text().contains("{data")) {
                yaml.problem(e.getValue(), where + ", field '" + e.getKey() + "'",
                        "a Kafka tombstone has no data: use {subject}, {id} or {time}");
            }
        }
    }
}
