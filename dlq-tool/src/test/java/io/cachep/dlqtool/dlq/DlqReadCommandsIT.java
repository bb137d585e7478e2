package io.cachep.dlqtool.dlq;

import static io.cachep.errors.PoisonReason.BAD_ENVELOPE;
import static io.cachep.errors.PoisonReason.TEMPLATE_FIELD_MISSING;
import static io.cachep.errors.PoisonReason.UNDECODABLE;
import static io.cachep.errors.PoisonReason.UNKNOWN_TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.dlqtool.CliRun;
import io.cachep.dlqtool.CliRun.Result;
import io.cachep.dlqtool.TestDeployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlq list}, {@code dlq inspect} and {@code dlq stats} against a real broker, on a DLQ of two partitions holding
 * six dead letters written as the projector writes them (known reasons, types, keys, origins and failure times), so
 * every assertion can say exactly which records a command must show.
 */
@ExtendWith(DevStackExtension.class)
class DlqReadCommandsIT {

    private final Instant now = Instant.now();
    private TestDeployment deployment;

    @BeforeEach
    void populateTheDlq(DevStack stack, TestIsolation isolation, @TempDir Path dir) throws Exception {
        deployment = TestDeployment.create(stack, isolation, dir, TestDeployment.SESSION_RULES, 1, 2);
        String dlq = deployment.dlq();
        deployment.send(
                DeadLetterFixture.of("renamed", "u-0", UNKNOWN_TYPE, "no rule for type renamed")
                        .from("users", 0, 0).failedAt(ago(180)).toDlq(dlq, 0),
                DeadLetterFixture.of("renamed", "u-1", UNKNOWN_TYPE, "no rule for type renamed")
                        .from("users", 1, 4).failedAt(ago(120)).toDlq(dlq, 0),
                DeadLetterFixture.of("started", "s-1", BAD_ENVELOPE, "attribute id missing")
                        .from("sessions", 0, 9).failedAt(ago(30)).toDlq(dlq, 0),
                DeadLetterFixture.of("renamed", "u-2", UNKNOWN_TYPE, "no rule for type renamed")
                        .from("users", 0, 1).failedAt(ago(90)).toDlq(dlq, 1),
                DeadLetterFixture.of("profile", "u-3", TEMPLATE_FIELD_MISSING, "rule profile: data.userId missing")
                        .from("users", 1, 5).failedAt(ago(10)).toDlq(dlq, 1),
                DeadLetterFixture.of("x", "k-9", UNDECODABLE, "not JSON").value("<xml>k-9</xml>".getBytes(StandardCharsets.UTF_8))
                        .from("sessions", 1, 3).failedAt(ago(5)).toDlq(dlq, 1));
    }

    private Instant ago(int minutes) {
        return now.minus(Duration.ofMinutes(minutes));
    }

    @Test
    void shouldListEveryDeadLetterInDlqOrderWithWhereItCameFromAndWhy() {
        Result list = CliRun.run(new DlqListCommand(deployment.env()));

        assertThat(list.exit()).as(list.both()).isZero();
        List<String> rows = list.out().lines().filter(line -> line.matches("^\\d+:\\d+\\s.*")).toList();
        assertThat(rows).extracting(row -> row.split("\\s+")[0]).containsExactly("0:0", "0:1", "0:2", "1:0", "1:1", "1:2");
        assertThat(rows.get(0)).contains("UNKNOWN_TYPE", "renamed", "u-0", "users-0@0", "no rule for type renamed");
        assertThat(rows.get(4)).contains("TEMPLATE_FIELD_MISSING", "profile", "u-3", "users-1@5");
        assertThat(rows.get(5)).contains("UNDECODABLE", "k-9", "sessions-1@3");
        assertThat(list.out()).contains("6 of 6 matching dead letters shown (6 read from " + deployment.dlq() + ")")
                .doesNotContain("secret-");
        assertThat(list.err()).contains("reading " + deployment.dlq());
    }

    @Test
    void shouldListOnlyWhatTheFiltersSelect() throws Exception {
        assertThat(positions("--reason", "UNKNOWN_TYPE")).containsExactly("0:0", "0:1", "1:0");
        assertThat(positions("--reason", "BAD_ENVELOPE", "--reason", "UNDECODABLE")).containsExactly("0:2", "1:2");
        assertThat(positions("--type", "renamed", "--since", "100m")).containsExactly("1:0");
        assertThat(positions("--until", "1h")).containsExactly("0:0", "0:1", "1:0");
        assertThat(positions("--since", ago(60).toString(), "--until", ago(8).toString())).containsExactly("0:2", "1:1");
        assertThat(positions("--key", "u-3")).containsExactly("1:1");
        assertThat(positions("--partition", "1", "--from-offset", "1")).containsExactly("1:1", "1:2");
        assertThat(positions("--partition", "1", "--offset", "1")).containsExactly("1:1", "1:2");
        assertThat(positions("--type", "nothing-like-it")).isEmpty();
    }

    @Test
    void shouldWriteOneJsonObjectPerDeadLetter() throws Exception {
        Result list = CliRun.run(new DlqListCommand(deployment.env()), "-o", "json", "--key", "u-1");

        assertThat(list.exit()).as(list.both()).isZero();
        JsonNode record = list.json();
        assertThat(record.get("position").asText()).isEqualTo("0:1");
        assertThat(record.get("reason").asText()).isEqualTo("UNKNOWN_TYPE");
        assertThat(record.get("type").asText()).isEqualTo("renamed");
        assertThat(record.get("sourceTopic").asText()).isEqualTo("users");
        assertThat(record.get("sourcePartition").asInt()).isEqualTo(1);
        assertThat(record.get("sourceOffset").asLong()).isEqualTo(4);
        assertThat(record.get("replayCount").asInt()).isZero();
        assertThat(record.get("pending").asBoolean()).isTrue();
        assertThat(Instant.parse(record.get("failedAt").asText())).isEqualTo(ago(120));
    }

    @Test
    void shouldShowTheFirstLimitAndSayHowManyMoreMatch() throws Exception {
        Result text = CliRun.run(new DlqListCommand(deployment.env()), "--limit", "2");
        assertThat(text.exit()).as(text.both()).isZero();
        assertThat(text.out()).contains("0:0 ", "0:1 ").doesNotContain("0:2 ", "1:0 ")
                .contains("... and 4 more: narrow with --since").contains("2 of 6 matching dead letters shown");

        Result json = CliRun.run(new DlqListCommand(deployment.env()), "--limit", "2", "-o", "json");
        assertThat(json.out().lines()).hasSize(2);
        assertThat(json.err()).contains("4 more dead letters match");

        assertThat(positions("--limit", "0")).hasSize(6);
    }

    @Test
    void shouldListOnlyPendingRecordsOnceAPurgeMovedThePastSome() throws Exception {
        Result purge = CliRun.run(new DlqPurgeCommand(deployment.env()), "--partition", "0", "--execute");
        assertThat(purge.exit()).as(purge.both()).isZero();

        assertThat(positions("--pending")).containsExactly("1:0", "1:1", "1:2");
        Result all = CliRun.run(new DlqListCommand(deployment.env()), "-o", "json", "--partition", "0");
        assertThat(all.jsonLines()).allMatch(record -> !record.get("pending").asBoolean()).hasSize(3);
        JsonNode stats = CliRun.run(new DlqStatsCommand(deployment.env()), "-o", "json").json();
        assertThat(stats.get("matching").asInt()).isEqualTo(6);
        assertThat(stats.get("pending").asInt()).isEqualTo(3);
    }

    @Test
    void shouldExitOneOnAPartitionTheDlqDoesNotHave() {
        Result list = CliRun.run(new DlqListCommand(deployment.env()), "--partition", "7");

        assertThat(list.exit()).isEqualTo(1);
        assertThat(list.err().lines()).containsExactly("list failed: DLQ topic " + deployment.dlq()
                + " has no partition 7 (it has 0 to 1)");
        assertThat(list.out()).isEmpty();
    }

    @Test
    void shouldExitOneInOneLineWhenTheDlqTopicDoesNotExist() {
        Result list = CliRun.run(new DlqListCommand(deployment.env("PROJECTOR_DLQ_TOPIC", deployment.dlq() + "-nope")));

        assertThat(list.exit()).isEqualTo(1);
        assertThat(list.err().lines()).containsExactly("list failed: topic '" + deployment.dlq() + "-nope' does not exist");
    }

    @Test
    void shouldInspectOneRecordWithItsCauseEnvelopeAndHeadersButNotItsStackTraceOrPayload() {
        Result inspect = CliRun.run(new DlqInspectCommand(deployment.env()), "1:1");

        assertThat(inspect.exit()).as(inspect.both()).isZero();
        assertThat(inspect.out()).startsWith("dead letter 1:1 in " + deployment.dlq())
                .containsPattern("reason\\s+TEMPLATE_FIELD_MISSING")
                .containsPattern("exception\\s+io.cachep.errors.PoisonEventException")
                .containsPattern("message\\s+rule profile: data.userId missing")
                .containsPattern("from\\s+users-1@5")
                .containsPattern("key\\s+u-3")
                .containsPattern("failed at\\s+" + ago(10).toString().substring(0, 16))
                .containsPattern("replay state\\s+pending")
                .containsPattern("id\\s+profile-u-3")
                .containsPattern("type\\s+profile")
                .containsPattern("cachep.failed-at\\s+" + ago(10))
                .containsPattern("__streams.errors.topic\\s+users")
                .containsPattern("__streams.errors.stacktrace\\s+\\d+ lines \\(--stacktrace prints them\\)")
                .contains("--stacktrace prints the stack trace; --show-payload prints the payload")
                .doesNotContain("secret-u-3")
                .doesNotContain("\tat ");
    }

    @Test
    void shouldPrintTheStackTraceAndPayloadWhenAsked() {
        Result inspect = CliRun.run(new DlqInspectCommand(deployment.env()), "1:1", "--stacktrace", "--show-payload");

        assertThat(inspect.exit()).as(inspect.both()).isZero();
        String trace = inspect.out().substring(inspect.out().indexOf("stack trace:"));
        assertThat(trace).contains("io.cachep.errors.PoisonEventException: rule profile: data.userId missing")
                .contains("\tat io.cachep.dlqtool.dlq.DeadLetterFixture");
        String payload = inspect.out().substring(inspect.out().indexOf("payload:"));
        assertThat(payload).contains("\"name\" : \"secret-u-3\"").contains("\"type\" : \"profile\"");
    }

    @Test
    void shouldInspectARecordThatIsNotJson() {
        Result inspect = CliRun.run(new DlqInspectCommand(deployment.env()), "1:2", "--show-payload");

        assertThat(inspect.exit()).as(inspect.both()).isZero();
        assertThat(inspect.out()).contains("envelope: none readable").containsPattern("reason\\s+UNDECODABLE")
                .containsPattern("value\\s+14 bytes").contains("payload:\n<xml>k-9</xml>\n");
    }

    @Test
    void shouldInspectAsOneJsonObject() throws Exception {
        JsonNode plain = CliRun.run(new DlqInspectCommand(deployment.env()), "0:2", "-o", "json").json();
        assertThat(plain.get("position").asText()).isEqualTo("0:2");
        assertThat(plain.get("topic").asText()).isEqualTo(deployment.dlq());
        assertThat(plain.get("reason").asText()).isEqualTo("BAD_ENVELOPE");
        assertThat(plain.get("envelope").get("subject").asText()).isEqualTo("s-1");
        assertThat(plain.get("attempts").asInt()).isEqualTo(1);
        assertThat(plain.has("payload")).isFalse();
        List<String> names = new ArrayList<>();
        plain.get("headers").forEach(header -> names.add(header.get("name").asText()));
        assertThat(names).contains("__streams.errors.exception", "__streams.errors.stacktrace", "cachep.reason",
                "cachep.failed-at", "cachep.replay-count");

        JsonNode full = CliRun.run(new DlqInspectCommand(deployment.env()), "0:2", "-o", "json", "--show-payload",
                "--stacktrace").json();
        assertThat(full.get("payloadEncoding").asText()).isEqualTo("json");
        assertThat(full.get("payload").get("data").get("name").asText()).isEqualTo("secret-s-1");
        full.get("headers").forEach(header -> {
            if (header.get("name").asText().equals("__streams.errors.stacktrace")) {
                assertThat(header.get("value").asText()).contains("\tat ");
            }
        });
    }

    @Test
    void shouldExitOneInOneLineWhenTheDlqHasNoRecordThere() {
        Result pastTheEnd = CliRun.run(new DlqInspectCommand(deployment.env()), "0:99");
        assertThat(pastTheEnd.exit()).isEqualTo(1);
        assertThat(pastTheEnd.err().lines()).containsExactly("inspect failed: no record at 0:99 in DLQ topic "
                + deployment.dlq() + ": partition 0 holds offsets 0 to 2");
        assertThat(pastTheEnd.out()).isEmpty();

        Result noPartition = CliRun.run(new DlqInspectCommand(deployment.env()), "5:0");
        assertThat(noPartition.exit()).isEqualTo(1);
        assertThat(noPartition.err().lines()).containsExactly("inspect failed: DLQ topic " + deployment.dlq()
                + " has no partition 5 (it has 0 to 1)");
    }

    @Test
    void shouldCountByReasonTypeTopicAndHour() throws Exception {
        Result result = CliRun.run(new DlqStatsCommand(deployment.env()), "-o", "json");

        assertThat(result.exit()).as(result.both()).isZero();
        JsonNode stats = result.json();
        assertThat(stats.get("matching").asInt()).isEqualTo(6);
        assertThat(stats.get("pending").asInt()).isEqualTo(6);
        assertThat(counts(stats.get("byReason"))).containsExactly(Map.entry("UNKNOWN_TYPE", 3), Map.entry("BAD_ENVELOPE", 1),
                Map.entry("TEMPLATE_FIELD_MISSING", 1), Map.entry("UNDECODABLE", 1));
        assertThat(counts(stats.get("byType"))).containsExactly(Map.entry("renamed", 3), Map.entry("(type unreadable)", 1),
                Map.entry("profile", 1), Map.entry("started", 1));
        assertThat(counts(stats.get("byTopic"))).containsExactly(Map.entry("users", 4), Map.entry("sessions", 2));
        assertThat(counts(stats.get("byHour")).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(6);
        assertThat(Instant.parse(stats.get("oldestFailedAt").asText())).isEqualTo(ago(180));
        assertThat(stats.get("oldestAgeSeconds").asLong()).isBetween(180 * 60L, 180 * 60L + 120);
        assertThat(Instant.parse(stats.get("newestFailedAt").asText())).isEqualTo(ago(5));
    }

    @Test
    void shouldCountOnlyWhatTheFiltersSelectInTables() {
        Result result = CliRun.run(new DlqStatsCommand(deployment.env()), "--reason", "UNKNOWN_TYPE");

        assertThat(result.exit()).as(result.both()).isZero();
        assertThat(result.out()).startsWith(deployment.dlq() + ": 3 dead letters match (6 read), 3 pending replay")
                .containsPattern("oldest failed \\S+ \\(3h ago\\), newest \\S+ \\(1h30m ago\\)")
                .containsPattern("UNKNOWN_TYPE\\s+3")
                .containsPattern("renamed\\s+3")
                .containsPattern("users\\s+3")
                .contains("hour (UTC)")
                .doesNotContain("BAD_ENVELOPE");
    }

    private List<String> positions(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        Result list = CliRun.run(new DlqListCommand(deployment.env()), all.toArray(String[]::new));
        assertThat(list.exit()).as(list.both()).isZero();
        return list.jsonLines().stream().map(line -> line.get("position").asText()).toList();
    }

    private static Map<String, Integer> counts(JsonNode object) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        object.fields().forEachRemaining(field -> counts.put(field.getKey(), field.getValue().asInt()));
        return counts;
    }
}
