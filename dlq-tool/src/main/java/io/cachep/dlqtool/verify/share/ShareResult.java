package io.cachep.dlqtool.verify.share;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cachep.rules.reference.Divergence;
import io.cachep.rules.reference.EntrySnapshot;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One share's comparison with Redis, as its process leaves it in Redis for the others: the entries the share's part
 * of the log implies, its divergences by kind, the first few of them in full, and which process compared it.
 */
record ShareResult(int share, long entries, Map<Divergence.Kind, Long> byKind, List<Divergence> sample,
                   String comparedBy) {
    private static final ObjectMapper JSON = new ObjectMapper();

    String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("share", share);
        root.put("entries", entries);
        ObjectNode kinds = root.putObject("divergent");
        byKind.forEach((kind, n) -> kinds.put(kind.name(), n));
        var list = root.putArray("sample");
        for (Divergence d : sample) {
            ObjectNode node = list.addObject();
            node.put("kind", d.kind().name());
            node.put("key", d.key());
            node.set("expected", snapshot(d.expected()));
            node.set("actual", snapshot(d.actual()));
        }
        root.put("comparedBy", comparedBy);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ShareResult fromJson(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            Map<Divergence.Kind, Long> kinds = new EnumMap<>(Divergence.Kind.class);
            root.get("divergent").fields().forEachRemaining(f -> kinds.put(Divergence.Kind.valueOf(f.getKey()), f.getValue().asLong()));
            List<Divergence> sample = new ArrayList<>();
            for (JsonNode node : root.get("sample")) {
                String key = node.get("key").asText();
                sample.add(new Divergence(Divergence.Kind.valueOf(node.get("kind").asText()), key,
                        snapshot(key, node.get("expected")), snapshot(key, node.get("actual"))));
            }
            return new ShareResult(root.get("share").asInt(), root.get("entries").asLong(), kinds, sample,
                    root.get("comparedBy").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a share's result in Redis is not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode snapshot(EntrySnapshot entry) {
        if (entry == null) {
            return JSON.nullNode();
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("type", entry.type().name());
        node.set("value", JSON.valueToTree(entry.value()));
        if (entry.expireAtMillis() != null) {
            node.put("expireAt", entry.expireAtMillis());
        }
        return node;
    }

    private static EntrySnapshot snapshot(String key, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        EntrySnapshot.Type type = EntrySnapshot.Type.valueOf(node.get("type").asText());
        JsonNode value = node.get("value");
        Object read = switch (type) {
            case STRING -> value.asText();
            case HASH -> JSON.convertValue(value, new TypeReference<LinkedHashMap<String, String>>() {});
            case SET -> JSON.convertValue(value, new TypeReference<LinkedHashSet<String>>() {});
            case ZSET -> JSON.convertValue(value, new TypeReference<LinkedHashMap<String, Double>>() {});
        };
        return new EntrySnapshot(key, type, read, node.hasNonNull("expireAt") ? node.get("expireAt").asLong() : null);
    }
}
