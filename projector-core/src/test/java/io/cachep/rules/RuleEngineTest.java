package io.cachep.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachep.envelope.EntityTombstone;
import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import io.cachep.rulesfile.RulesFileLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each operation of the rules language, rendered from an event by {@link RuleEngine}: pure, no Redis. */
class RuleEngineTest {
    private static final String TOPIC = "events";
    private static final Instant TIME = Instant.parse("2026-11-23T10:00:00Z");
    private static final String RULES = """
            namespace: ns
            tombstone-retention: 24h
            rules:
              - name: started
                topic: events
                type: started
                mutations:
                  - upsert:
                      key: "session:{subject}"
                      hash: { userId: "{data.userId}", startedAt: "{time}" }
                      ttl: 30m
                      tags: ["tenant:{data.tenantId}", "user:{data.userId}"]
                  - set-add: { key: "user:{data.userId}:sessions", member: "{subject}" }
              - name: snapshot
                topic: events
                type: snapshot
                mutations:
                  - upsert: { key: "card:{subject}", json: "{data}", ttl: 1h }
              - name: until-rfc3339
                topic: events
                type: until-rfc3339
                mutations:
                  - upsert: { key: "offer:{subject}", json: "{data.text}", expires-at: "{data.until}" }
              - name: profile
                topic: events
                type: profile
                mutations:
                  - merge: { key: "user:{subject}:profile", hash-from: data }
              - name: noted
                topic: events
                type: noted
                mutations:
                  - merge: { key: "user:{subject}:profile", hash: { note: "{data.note}", by: "{source}" }, ttl: 2h }
              - name: refreshed
                topic: events
                type: refreshed
                mutations:
                  - expire: { key: "session:{subject}", ttl: 30m }
              - name: refreshed-until
                topic: events
                type: refreshed-until
                mutations:
                  - expire: { key: "session:{subject}", expires-at: "{data.until}" }
              - name: ended
                topic: events
                type: ended
                mutations:
                  - invalidate: { key: "session:{subject}", channel: cache-invalidation }
                  - set-remove: { key: "user:{data.userId}:sessions", member: "{subject}" }
              - name: joined
                topic: events
                type: joined
                mutations:
                  - zset-add: { key: "room:{subject}:participants", member: "{data.userId}", score: "{data.at}" }
              - name: left
                topic: events
                type: left
                mutations:
                  - zset-remove: { key: "room:{subject}:participants", member: "{data.userId}" }
              - name: flushed
                topic: events
                type: flushed
                mutations:
                  - invalidate-tag: { tag: "tenant:{subject}" }
              - name: audit-first
                topic: events
                type: audited
                mutations:
                  - set-add: { key: "audit:{subject}", member: "{id}" }
                  - upsert: { key: "last-audit:{subject}", json: "{id}" }
              - name: x
                topic: events
                type: audited
                mutations:
                  - zset-add: { key: "audit-times:{subject}", member: "{id}", score: "{data.at}" }
                  - merge: { key: "auditor:{subject}", hash: { name: "{data.auditor.name}" } }
              - name: gone
                topic: events
                on-tombstone: true
                mutations:
                  - delete: { key: "session:{subject}" }
              - name: other-topic
                topic: elsewhere
                type: started
                mutations:
                  - delete: { key: "elsewhere:{subject}" }
            """;

    private final RuleEngine engine = new RuleEngine(RulesFileLoader.parse("engine-test.yaml", RULES));

    private static EventEnvelope event(String type, Map<String, Object> data) {
        return new EventEnvelope("e-1", type, "/test", "s-1", TIME, 3, data, "{\"compact\":true}");
    }

    private List<Mutation> project(String type, Map<String, Object> data) {
        return engine.project(TOPIC, event(type, data));
    }

    private static EntryKey entry(String rendered) {
        return new KeyLayout("ns").entry(rendered);
    }

    private static TagKey tag(String rendered) {
        return new KeyLayout("ns").tag(rendered);
    }

    @Test
    void shouldRenderAnUpsertOfAHashWhoseExpiryIsEventTimePlusTtlAndRegisterItsTags() {
        List<Mutation> mutations = project("started", Map.of("userId", "u-1", "tenantId", "t-1"));

        assertThat(mutations).containsExactly(
                new Mutation.Upsert("started", entry("session:{s-1}"),
                        Map.of("userId", "u-1", "startedAt", "2026-11-23T10:00:00Z"), null,
                        TIME.plus(Duration.ofMinutes(30)).toEpochMilli(), List.of(tag("tenant:{t-1}"), tag("user:{u-1}"))),
                new Mutation.MemberWrite("started", entry("user:{u-1}:sessions"), Mutation.MemberOperation.SET_ADD,
                        "s-1", 0, Mutation.NO_EXPIRY, List.of()));
        Mutation.Upsert upsert = (Mutation.Upsert) mutations.get(0);
        assertThat(upsert.key().data()).isEqualTo("ns:session:{s-1}");
        assertThat(upsert.key().fence()).isEqualTo("ns:~fence:session:{s-1}");
        assertThat(upsert.key().hashTag()).isEqualTo("s-1");
        assertThat(upsert.tags()).extracting(TagKey::name).containsExactly("tenant:{t-1}", "user:{u-1}");
    }

    @Test
    void shouldRenderAnUpsertOfAJsonStringAsTheProducerWroteTheData() {
        Mutation.Upsert upsert = (Mutation.Upsert) project("snapshot", Map.of("compact", true)).get(0);

        assertThat(upsert.hash()).isNull();
        assertThat(upsert.json()).isEqualTo("{\"compact\":true}");
        assertThat(upsert.expireAtMillis()).isEqualTo(TIME.plus(Duration.ofHours(1)).toEpochMilli());
        assertThat(upsert.tags()).isEmpty();
    }

    @Test
    void shouldReadExpiresAtAsAnRfc3339TimestampWithAnyOffset() {
        Mutation.Upsert upsert = (Mutation.Upsert) project("until-rfc3339",
                Map.of("text", "half price", "until", "2026-12-01T12:30:00+01:00")).get(0);

        assertThat(upsert.json()).isEqualTo("half price");
        assertThat(upsert.expireAtMillis()).isEqualTo(Instant.parse("2026-12-01T11:30:00Z").toEpochMilli());
    }

    @Test
    void shouldReadExpiresAtAsEpochMillisWhetherTheProducerWroteANumberOrAString() {
        long until = Instant.parse("2026-12-01T11:30:00Z").toEpochMilli();
        Mutation.Upsert fromNumber = (Mutation.Upsert) project("until-rfc3339", Map.of("text", "t", "until", until)).get(0);
        Mutation.Upsert fromString = (Mutation.Upsert) project("until-rfc3339",
                Map.of("text", "t", "until", Long.toString(until))).get(0);

        assertThat(fromNumber.expireAtMillis()).isEqualTo(until);
        assertThat(fromString.expireAtMillis()).isEqualTo(until);
    }

    @Test
    void shouldMakeAnUnreadableExpiresAtAPoisonEventNamingRuleAndMutation() {
        assertThatThrownBy(() -> project("until-rfc3339", Map.of("text", "t", "until", "next tuesday")))
                .isInstanceOfSatisfying(PoisonEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PoisonReason.BAD_TEMPLATE_VALUE);
                    assertThat(e.rule()).isEqualTo("until-rfc3339");
                })
                .hasMessageContaining("rule 'until-rfc3339', mutation 1 (upsert)")
                .hasMessageContaining("expires-at '{data.until}'")
                .hasMessageNotContaining("next tuesday");
    }

    @Test
    void shouldMergeEveryTopLevelFieldOfDataAndKeepANullValueAsTheFieldsRemoval() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("displayName", "Ada Lovelace");
        data.put("age", 36);
        data.put("nickname", null);
        data.put("address", Map.of("city", "London"));

        Mutation.Merge merge = (Mutation.Merge) project("profile", data).get(0);

        assertThat(merge.key()).isEqualTo(entry("user:{s-1}:profile"));
        assertThat(merge.fields()).containsOnlyKeys("displayName", "age", "nickname", "address");
        assertThat(merge.fields()).containsEntry("displayName", "Ada Lovelace").containsEntry("age", "36")
                .containsEntry("address", "{\"city\":\"London\"}");
        assertThat(merge.fields().get("nickname")).as("a null in data removes the field").isNull();
        assertThat(merge.expireAtMillis()).isEqualTo(Mutation.NO_EXPIRY);
    }

    @Test
    void shouldMergeTheFieldsOfAnExplicitHashWithTheirOwnTtl() {
        Mutation.Merge merge = (Mutation.Merge) project("noted", Map.of("note", "vip", "ignored", "x")).get(0);

        assertThat(merge.fields()).containsExactly(Map.entry("note", "vip"), Map.entry("by", "/test"));
        assertThat(merge.expireAtMillis()).isEqualTo(TIME.plus(Duration.ofHours(2)).toEpochMilli());
    }

    @Test
    void shouldRenderAnExpireFromTtlOrFromExpiresAt() {
        assertThat(project("refreshed", Map.of())).containsExactly(new Mutation.Expire("refreshed", entry("session:{s-1}"),
                TIME.plus(Duration.ofMinutes(30)).toEpochMilli()));
        assertThat(project("refreshed-until", Map.of("until", "2026-11-23T12:00:00Z"))).containsExactly(
                new Mutation.Expire("refreshed-until", entry("session:{s-1}"), Instant.parse("2026-11-23T12:00:00Z").toEpochMilli()));
    }

    @Test
    void shouldRenderInvalidateAsADeleteThatNamesItsChannelAndASetRemoveOfTheMember() {
        assertThat(project("ended", Map.of("userId", "u-1"))).containsExactly(
                new Mutation.Delete("ended", entry("session:{s-1}"), "cache-invalidation"),
                new Mutation.MemberWrite("ended", entry("user:{u-1}:sessions"), Mutation.MemberOperation.SET_REMOVE,
                        "s-1", 0, Mutation.NO_EXPIRY, List.of()));
    }

    @Test
    void shouldRenderAZsetAddWithANumericScoreAndAZsetRemove() {
        assertThat(project("joined", Map.of("userId", "u-1", "at", 1_700_000_000_123L))).containsExactly(
                new Mutation.MemberWrite("joined", entry("room:{s-1}:participants"), Mutation.MemberOperation.ZSET_ADD,
                        "u-1", 1_700_000_000_123d, Mutation.NO_EXPIRY, List.of()));
        assertThat(((Mutation.MemberWrite) project("joined", Map.of("userId", "u-1", "at", "2.5")).get(0)).score())
                .isEqualTo(2.5);
        assertThat(project("left", Map.of("userId", "u-1"))).containsExactly(
                new Mutation.MemberWrite("left", entry("room:{s-1}:participants"), Mutation.MemberOperation.ZSET_REMOVE,
                        "u-1", 0, Mutation.NO_EXPIRY, List.of()));
    }

    @Test
    void shouldMakeANonNumericScoreAPoisonEventNamingRuleAndMutation() {
        assertThatThrownBy(() -> project("joined", Map.of("userId", "u-1", "at", "yesterday")))
                .isInstanceOfSatisfying(PoisonEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PoisonReason.BAD_TEMPLATE_VALUE);
                    assertThat(e.rule()).isEqualTo("joined");
                })
                .hasMessageContaining("rule 'joined', mutation 1 (zset-add)")
                .hasMessageContaining("score '{data.at}'")
                .hasMessageNotContaining("yesterday");
        assertThatThrownBy(() -> project("joined", Map.of("userId", "u-1", "at", "NaN")))
                .isInstanceOfSatisfying(PoisonEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(PoisonReason.BAD_TEMPLATE_VALUE));
    }

    @Test
    void shouldRenderInvalidateTagAsTheTagsIndexAndFlushMarkerKeys() {
        EventEnvelope flush = new EventEnvelope("e-9", "flushed", "/test", "t-1", TIME, 1, Map.of(), "{}");

        List<Mutation> mutations = engine.project(TOPIC, flush);

        assertThat(mutations).containsExactly(new Mutation.InvalidateTag("flushed",
                new TagKey("tenant:{t-1}", "ns:~tag:tenant:{t-1}", "ns:~tagflush:tenant:{t-1}", "t-1")));
    }

    @Test
    void shouldMakeATypeNoRuleKnowsOnTheTopicAPoisonEvent() {
        assertThatThrownBy(() -> project("com.example.unheard-of", Map.of()))
                .isInstanceOfSatisfying(PoisonEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PoisonReason.UNKNOWN_TYPE);
                    assertThat(e.rule()).isNull();
                })
                .hasMessageContaining("com.example.unheard-of").hasMessageContaining("'events'");
        assertThatThrownBy(() -> engine.project("no-such-topic", event("started", Map.of("userId", "u-1", "tenantId", "t"))))
                .isInstanceOfSatisfying(PoisonEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(PoisonReason.UNKNOWN_TYPE));
    }

    @Test
    void shouldOnlyApplyTheRulesOfTheTopicTheEventWasReadFrom() {
        assertThat(engine.project("elsewhere", event("started", Map.of())))
                .containsExactly(new Mutation.Delete("other-topic", entry("elsewhere:{s-1}"), null));
    }

    @Test
    void shouldMakeAMissingTemplateFieldAPoisonEventNamingRuleMutationAndPath() {
        Map<String, Object> withoutAuditorName = Map.of("at", 5, "auditor", Map.of("id", "a-1"));

        assertThatThrownBy(() -> project("audited", withoutAuditorName))
                .isInstanceOfSatisfying(PoisonEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PoisonReason.TEMPLATE_FIELD_MISSING);
                    assertThat(e.rule()).isEqualTo("x");
                })
                .hasMessageContaining("rule 'x', mutation 2 (merge)")
                .hasMessageContaining("{data.auditor.name}");
    }

    @Test
    void shouldConcatenateTheMutationsOfEveryMatchingRuleInFileOrder() {
        List<Mutation> mutations = project("audited", Map.of("at", 5, "auditor", Map.of("name", "Grace")));

        assertThat(mutations).extracting(Mutation::rule).containsExactly("audit-first", "audit-first", "x", "x");
        assertThat(mutations).extracting(m -> ((Mutation.EntryMutation) m).key().data()).containsExactly(
                "ns:audit:{s-1}", "ns:last-audit:{s-1}", "ns:audit-times:{s-1}", "ns:auditor:{s-1}");
        assertThat(((Mutation.Merge) mutations.get(3)).fields()).containsExactly(Map.entry("name", "Grace"));
    }

    @Test
    void shouldMatchAKafkaTombstoneWithTheTopicsOnTombstoneRule() {
        EventEnvelope tombstone = RuleEngine.tombstoneEvent(new EntityTombstone("s-1", 7, TIME, "tombstone:s-1:7"));

        assertThat(tombstone.type()).isEqualTo(ProjectionRule.TOMBSTONE_TYPE);
        assertThat(tombstone.entityVersion()).isEqualTo(7);
        assertThat(engine.project(TOPIC, tombstone)).containsExactly(new Mutation.Delete("gone", entry("session:{s-1}"), null));
        assertThatThrownBy(() -> engine.project("elsewhere", tombstone))
                .isInstanceOfSatisfying(PoisonEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(PoisonReason.UNKNOWN_TYPE));
    }
}
