package io.cachep.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * The projector's typed configuration. Every key is declared once in {@link #DEFINITION}; the key names are a
 * contract with users (files, environment variables, flags), so rename nothing here.
 *
 * <p>Build one with {@link ConfigLoader}, which layers file, environment and flags and reports every problem at
 * once. The constructor is package-private so that no caller can skip those checks.
 */
public final class ProjectorConfig extends AbstractConfig {

    /** Every key the projector owns starts with this. */
    public static final String PREFIX = "projector.";

    /** Keys under this prefix are handed, prefix stripped, to every Kafka client and to Kafka Streams. */
    public static final String KAFKA_PREFIX = "projector.kafka.";
    static final String KAFKA_PREFIX_DOC = "Pass-through: every key under projector.kafka. (bootstrap.servers included) is"
            + " handed, with the prefix stripped, to every Kafka client and to Kafka Streams, for SASL, TLS and tuning,"
            + " e.g. projector.kafka.security.protocol=SASL_SSL. In the environment PROJECTOR_KAFKA_SASL_JAAS_CONFIG sets"
            + " sasl.jaas.config (lower case, '_' becomes '.'). Secrets (Kafka PASSWORD keys, and names containing"
            + " password, secret, jaas or token or ending in .key) are logged as [hidden].";

    public static final String APPLICATION_ID_CONFIG = "projector.application.id";
    private static final String APPLICATION_ID_DOC = "The Kafka Streams application id; also the consumer group and"
            + " the prefix of the internal topics. Two projectors with the same id share the work.";

    public static final String BOOTSTRAP_SERVERS_CONFIG = KAFKA_PREFIX + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers, host:port[,host:port...].";

    public static final String REDIS_URI_CONFIG = "projector.redis.uri";
    private static final String REDIS_URI_DOC = "Redis to project into: redis:// or rediss:// (TLS), optional"
            + " user:password@, :password@ or user@ (then the password comes from projector.redis.password;"
            + " percent-encode ':' and '@' inside them), host, optional port (6379), optional /db (0)."
            + " The password is never logged.";

    public static final String REDIS_PASSWORD_CONFIG = "projector.redis.password";
    private static final String REDIS_PASSWORD_DOC = "Redis password; overrides the one in projector.redis.uri so"
            + " the secret can come from its own variable.";

    public static final String REDIS_COMMAND_TIMEOUT_MS_CONFIG = "projector.redis.command.timeout.ms";
    private static final String REDIS_COMMAND_TIMEOUT_MS_DOC = "How long one Redis command may take before it"
            + " counts as failed, in milliseconds.";

    public static final String REDIS_CLUSTER_CONFIG = "projector.redis.cluster";
    private static final String REDIS_CLUSTER_DOC = "true when projector.redis.uri is a Redis Cluster (or a managed"
            + " service in cluster mode): the URI may then list several seed nodes, redis://host1:7000,host2:7000,"
            + " and every call is routed to the primary of its keys' slot.";

    public static final String REDIS_WAIT_REPLICAS_CONFIG = "projector.redis.wait.replicas";
    private static final String REDIS_WAIT_REPLICAS_DOC = "When above 0, a batch counts as acknowledged (and its offsets"
            + " may be committed) only once Redis's WAIT says this many replicas of its primary have it, so an"
            + " asynchronous failover cannot lose an acknowledged write. While a shard has fewer live replicas, its"
            + " writes wait, as a Kafka producer does under min.insync.replicas.";

    public static final String REDIS_WAIT_TIMEOUT_MS_CONFIG = "projector.redis.wait.timeout.ms";
    private static final String REDIS_WAIT_TIMEOUT_MS_DOC = "How long one WAIT may take before it counts as a transient"
            + " failure (retried, never skipped), in milliseconds.";

    public static final String REDIS_TLS_CA_FILE_CONFIG = "projector.redis.tls.ca.file";
    private static final String REDIS_TLS_CA_FILE_DOC = "PEM file of the certificate authorities to trust for a"
            + " rediss:// Redis (a private CA's bundle), instead of the JVM's default trust store.";

    public static final String REDIS_TLS_CERT_FILE_CONFIG = "projector.redis.tls.cert.file";
    private static final String REDIS_TLS_CERT_FILE_DOC = "PEM client certificate (chain) for mutual TLS, shown to"
            + " a Redis that requires client certificates (tls-auth-clients yes). Needs projector.redis.tls.key.file.";

    public static final String REDIS_TLS_KEY_FILE_CONFIG = "projector.redis.tls.key.file";
    private static final String REDIS_TLS_KEY_FILE_DOC = "PEM private key (unencrypted PKCS#8, BEGIN PRIVATE KEY) of"
            + " projector.redis.tls.cert.file. The key is never logged.";

    public static final String REDIS_TLS_VERIFY_CONFIG = "projector.redis.tls.verify";
    private static final String REDIS_TLS_VERIFY_DOC = "How a rediss:// server is checked: 'full' (its certificate"
            + " chain and that it names the host in projector.redis.uri), 'ca' (the chain only, for servers reached by"
            + " an address their certificate does not name), or 'none' (anyone who answers; logged as a warning"
            + " at every start, for tests only).";

    public static final String RULES_FILE_CONFIG = "projector.rules.file";
    private static final String RULES_FILE_DOC = "Path to the YAML projection rules. Must exist and be readable.";

    public static final String DLQ_TOPIC_CONFIG = "projector.dlq.topic";
    private static final String DLQ_TOPIC_DOC = "Topic that receives events the projector cannot apply.";

    public static final String HTTP_PORT_CONFIG = "projector.http.port";
    private static final String HTTP_PORT_DOC = "Port for /metrics, /health and /ready; 0 picks any free port.";

    public static final String TOPICS_DIR_CONFIG = "projector.topics.dir";
    private static final String TOPICS_DIR_DOC = "Folder of topic specs (one *.yaml per topic) that --apply-topics"
            + " applies.";

    public static final String INFLIGHT_MAX_EVENTS_CONFIG = "projector.inflight.max.events";
    private static final String INFLIGHT_MAX_EVENTS_DOC = "Events whose Redis writes may be in flight at once per"
            + " stream thread. Writes are pipelined up to this bound; past it the stream thread waits. Bounds memory"
            + " during a Redis outage.";

    public static final String REDIS_BATCH_MAX_EVENTS_CONFIG = "projector.redis.batch.max.events";
    private static final String REDIS_BATCH_MAX_EVENTS_DOC = "Events applied by one call of the Redis library's apply"
            + " function, at most. Batching spares Redis's one thread the cost of a call per event; 1 turns batching off."
            + " On a Redis Cluster a batch is one call per primary, and holds up to this many events per primary.";

    public static final String REDIS_BATCH_LINGER_MS_CONFIG = "projector.redis.batch.linger.ms";
    private static final String REDIS_BATCH_LINGER_MS_DOC = "How long a batch that is not full waits for more events"
            + " before it is sent anyway, in milliseconds (like a Kafka producer's linger.ms). The projector also sends"
            + " at once whenever it must wait for Redis (a full in-flight window, a commit), so this bounds only the"
            + " delay added at low rates.";

    public static final String INFLIGHT_MAX_BYTES_CONFIG = "projector.inflight.max.bytes";
    private static final String INFLIGHT_MAX_BYTES_DOC = "Bytes of event values whose Redis writes may be in flight"
            + " at once per stream thread; the second bound of the in-flight window.";

    public static final String REDIS_RETRY_BUDGET_MS_CONFIG = "projector.redis.retry.budget.ms";
    private static final String REDIS_RETRY_BUDGET_MS_DOC = "How long one event's writes are retried (with backoff)"
            + " while Redis fails transiently before the stream thread restarts from its last commit. Must stay well"
            + " under max.poll.interval.ms (5 minutes by default), so an outage never gets the member kicked out of"
            + " its group.";

    public static final String MAX_EVENT_BYTES_CONFIG = "projector.max.event.bytes";
    private static final String MAX_EVENT_BYTES_DOC = "A record whose value is larger than this goes to the DLQ"
            + " (reason VALUE_TOO_LARGE) instead of being written to Redis.";

    public static final String UNKNOWN_TYPES_CONFIG = "projector.unknown.types";
    private static final String UNKNOWN_TYPES_DOC = "What to do with an event whose type no rule matches: 'dlq'"
            + " (dead-letter it, reason UNKNOWN_TYPE) or 'ignore' (count it as outcome 'ignored' and go on), for"
            + " topics shared with events this projection does not care about.";

    public static final String REDIS_REFUSE_UNSAFE_EVICTION_CONFIG = "projector.redis.refuse.unsafe.eviction";
    private static final String REDIS_REFUSE_UNSAFE_EVICTION_DOC = "Refuse to start when Redis's maxmemory-policy"
            + " may evict keys without a TTL (allkeys-*): an evicted fence or tombstone lets a stale event regress or"
            + " resurrect an entry. By default the projector starts and warns loudly; true makes it a startup error.";

    public static final String LOG_FORMAT_CONFIG = "projector.log.format";
    private static final String LOG_FORMAT_DOC = "'text' (lines for people) or 'json' (one JSON object per line, with"
            + " the MDC: requestId = event id, topic, partition, offset), for log shippers.";

    public static final String VERIFY_FOLLOW_CONFIG = "projector.verify.follow";
    private static final String VERIFY_FOLLOW_DOC = "Follow the log in this projector as 'dlq-tool verify --follow' does:"
            + " compare each entry with Redis once committed, sweep the others, log each divergence (key and kind, not"
            + " values) and count it in cachep_cache_divergence. One instance follows at a time (a lease in Redis); the"
            + " others stand by. It models the log on local disk (about 200 bytes an entry) and reads it from the start"
            + " at every start unless projector.verify.follow.state.dir keeps the model.";

    public static final String VERIFY_FOLLOW_REPAIR_CONFIG = "projector.verify.follow.repair";
    private static final String VERIFY_FOLLOW_REPAIR_DOC = "With projector.verify.follow: also repair what it finds,"
            + " through the fenced path, as 'verify --follow --repair --execute' does.";

    public static final String VERIFY_FOLLOW_SWEEP_RATE_CONFIG = "projector.verify.follow.sweep.rate";
    private static final String VERIFY_FOLLOW_SWEEP_RATE_DOC = "With projector.verify.follow: entries a second the"
            + " background sweep compares besides the changed ones (a FLUSHALL makes it sweep at full speed).";

    public static final String VERIFY_FOLLOW_STATE_DIR_CONFIG = "projector.verify.follow.state.dir";
    private static final String VERIFY_FOLLOW_STATE_DIR_DOC = "With projector.verify.follow: keep the model of the log"
            + " in this directory across restarts, so a restart reads only the log added since. Default: a temporary"
            + " directory, removed at stop.";

    public static final String VERIFY_FOLLOW_STATE_HEAP_MB_CONFIG = "projector.verify.follow.state.heap.mb";
    private static final String VERIFY_FOLLOW_STATE_HEAP_MB_DOC = "With projector.verify.follow: heap for the model's"
            + " entries, in MiB; the rest stays on disk.";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(APPLICATION_ID_CONFIG, Type.STRING, "cachep-projector", new NonEmptyString(),
                    Importance.HIGH, APPLICATION_ID_DOC)
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new NonEmptyString(),
                    Importance.HIGH, BOOTSTRAP_SERVERS_DOC)
            .define(REDIS_URI_CONFIG, Type.STRING, "redis://127.0.0.1:6379", new RedisUriValidator(),
                    Importance.HIGH, REDIS_URI_DOC)
            .define(REDIS_PASSWORD_CONFIG, Type.PASSWORD, null,
                    Importance.HIGH, REDIS_PASSWORD_DOC)
            .define(REDIS_COMMAND_TIMEOUT_MS_CONFIG, Type.LONG, 2000L, Range.atLeast(1),
                    Importance.MEDIUM, REDIS_COMMAND_TIMEOUT_MS_DOC)
            .define(REDIS_CLUSTER_CONFIG, Type.BOOLEAN, false,
                    Importance.HIGH, REDIS_CLUSTER_DOC)
            .define(REDIS_WAIT_REPLICAS_CONFIG, Type.INT, 0, Range.between(0, 100),
                    Importance.MEDIUM, REDIS_WAIT_REPLICAS_DOC)
            .define(REDIS_WAIT_TIMEOUT_MS_CONFIG, Type.LONG, 1000L, Range.atLeast(1),
                    Importance.MEDIUM, REDIS_WAIT_TIMEOUT_MS_DOC)
            .define(REDIS_TLS_CA_FILE_CONFIG, Type.STRING, null,
                    Importance.MEDIUM, REDIS_TLS_CA_FILE_DOC)
            .define(REDIS_TLS_CERT_FILE_CONFIG, Type.STRING, null,
                    Importance.MEDIUM, REDIS_TLS_CERT_FILE_DOC)
            .define(REDIS_TLS_KEY_FILE_CONFIG, Type.STRING, null,
                    Importance.MEDIUM, REDIS_TLS_KEY_FILE_DOC)
            .define(REDIS_TLS_VERIFY_CONFIG, Type.STRING, "full", ConfigDef.ValidString.in("full", "ca", "none"),
                    Importance.MEDIUM, REDIS_TLS_VERIFY_DOC)
            .define(RULES_FILE_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new NonEmptyString(),
                    Importance.HIGH, RULES_FILE_DOC)
            .define(DLQ_TOPIC_CONFIG, Type.STRING, "cachep-dlq", new TopicNameValidator(),
                    Importance.MEDIUM, DLQ_TOPIC_DOC)
            .define(HTTP_PORT_CONFIG, Type.INT, 8080, Range.between(0, 65535),
                    Importance.MEDIUM, HTTP_PORT_DOC)
            .define(TOPICS_DIR_CONFIG, Type.STRING, "topics", new NonEmptyString(),
                    Importance.LOW, TOPICS_DIR_DOC)
            .define(INFLIGHT_MAX_EVENTS_CONFIG, Type.INT, 1000, Range.between(1, 1_000_000),
                    Importance.LOW, INFLIGHT_MAX_EVENTS_DOC)
            .define(REDIS_BATCH_MAX_EVENTS_CONFIG, Type.INT, 64, Range.between(1, 10_000),
                    Importance.LOW, REDIS_BATCH_MAX_EVENTS_DOC)
            .define(REDIS_BATCH_LINGER_MS_CONFIG, Type.INT, 1, Range.between(0, 1000),
                    Importance.LOW, REDIS_BATCH_LINGER_MS_DOC)
            .define(INFLIGHT_MAX_BYTES_CONFIG, Type.LONG, 16L * 1024 * 1024, Range.atLeast(1024),
                    Importance.LOW, INFLIGHT_MAX_BYTES_DOC)
            .define(REDIS_RETRY_BUDGET_MS_CONFIG, Type.LONG, 60_000L, Range.between(100, 240_000),
                    Importance.MEDIUM, REDIS_RETRY_BUDGET_MS_DOC)
            .define(MAX_EVENT_BYTES_CONFIG, Type.INT, 1024 * 1024, Range.atLeast(1),
                    Importance.MEDIUM, MAX_EVENT_BYTES_DOC)
            .define(UNKNOWN_TYPES_CONFIG, Type.STRING, "dlq", ConfigDef.ValidString.in("dlq", "ignore"),
                    Importance.MEDIUM, UNKNOWN_TYPES_DOC)
            .define(REDIS_REFUSE_UNSAFE_EVICTION_CONFIG, Type.BOOLEAN, false,
                    Importance.MEDIUM, REDIS_REFUSE_UNSAFE_EVICTION_DOC)
            .define(LOG_FORMAT_CONFIG, Type.STRING, "text", ConfigDef.ValidString.in("text", "json"),
                    Importance.LOW, LOG_FORMAT_DOC)
            .define(VERIFY_FOLLOW_CONFIG, Type.BOOLEAN, false,
                    Importance.MEDIUM, VERIFY_FOLLOW_DOC)
            .define(VERIFY_FOLLOW_REPAIR_CONFIG, Type.BOOLEAN, false,
                    Importance.MEDIUM, VERIFY_FOLLOW_REPAIR_DOC)
            .define(VERIFY_FOLLOW_SWEEP_RATE_CONFIG, Type.INT, 1000, Range.between(1, 1_000_000),
                    Importance.LOW, VERIFY_FOLLOW_SWEEP_RATE_DOC)
            .define(VERIFY_FOLLOW_STATE_DIR_CONFIG, Type.STRING, null,
                    Importance.LOW, VERIFY_FOLLOW_STATE_DIR_DOC)
            .define(VERIFY_FOLLOW_STATE_HEAP_MB_CONFIG, Type.INT, 64, Range.between(1, 1_000_000),
                    Importance.LOW, VERIFY_FOLLOW_STATE_HEAP_MB_DOC);

    static final String HIDDEN = "[hidden]";

    private final List<String> warnings;

    /**
     * @param originals values already checked by {@link ConfigLoader}: declared keys and projector.kafka.* keys
     * @param warnings  what the loader noticed but did not reject (unknown keys, unknown variables)
     */
    ProjectorConfig(Map<String, ?> originals, List<String> warnings) {
        // doLog=false: AbstractConfig would log the URI with its password; callers log redacted() instead.
        super(DEFINITION, originals, false);
        this.warnings = List.copyOf(warnings);
    }

    public String applicationId() {
        return getString(APPLICATION_ID_CONFIG);
    }

    public String bootstrapServers() {
        return getString(BOOTSTRAP_SERVERS_CONFIG);
    }

    /**
     * Every projector.kafka.* key with the prefix stripped, ready for a Kafka client or Kafka Streams. Secrets are
     * plain strings here because the clients need them; never log this map, log {@link #redacted()}.
     */
    public Map<String, Object> kafkaClientProperties() {
        Map<String, Object> properties = new TreeMap<>();
        originalsWithPrefix(KAFKA_PREFIX).forEach((key, value) ->
                properties.put(key, value instanceof Password password ? password.value() : String.valueOf(value)));
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Collections.unmodifiableMap(properties);
    }

    /** The Redis endpoint, with {@value #REDIS_PASSWORD_CONFIG} taking precedence over the URI's password. */
    public RedisEndpoint redis() {
        RedisUri.Parts uri = RedisUri.parse(getString(REDIS_URI_CONFIG));
        return new RedisEndpoint(uri.tls(), uri.seeds(), uri.database(), uri.username(),
                redisPasswordOverride().or(uri::password),
                Duration.ofMillis(getLong(REDIS_COMMAND_TIMEOUT_MS_CONFIG)), redisTls(), getBoolean(REDIS_CLUSTER_CONFIG));
    }

    private RedisTls redisTls() {
        return new RedisTls(file(REDIS_TLS_CA_FILE_CONFIG), file(REDIS_TLS_CERT_FILE_CONFIG),
                file(REDIS_TLS_KEY_FILE_CONFIG), RedisTls.Verify.of(getString(REDIS_TLS_VERIFY_CONFIG)));
    }

    private Optional<Path> file(String key) {
        return Optional.ofNullable(getString(key)).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of);
    }

    /** Replicas a batch must reach before it counts as acknowledged; 0: the primary's answer is enough. */
    public int redisWaitReplicas() {
        return getInt(REDIS_WAIT_REPLICAS_CONFIG);
    }

    public Duration redisWaitTimeout() {
        return Duration.ofMillis(getLong(REDIS_WAIT_TIMEOUT_MS_CONFIG));
    }

    public Path rulesFile() {
        return Path.of(getString(RULES_FILE_CONFIG));
    }

    public String dlqTopic() {
        return getString(DLQ_TOPIC_CONFIG);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    public int inflightMaxEvents() {
        return getInt(INFLIGHT_MAX_EVENTS_CONFIG);
    }

    public int redisBatchMaxEvents() {
        return getInt(REDIS_BATCH_MAX_EVENTS_CONFIG);
    }

    public java.time.Duration redisBatchLinger() {
        return java.time.Duration.ofMillis(getInt(REDIS_BATCH_LINGER_MS_CONFIG));
    }

    public long inflightMaxBytes() {
        return getLong(INFLIGHT_MAX_BYTES_CONFIG);
    }

    public Duration redisRetryBudget() {
        return Duration.ofMillis(getLong(REDIS_RETRY_BUDGET_MS_CONFIG));
    }

    public int maxEventBytes() {
        return getInt(MAX_EVENT_BYTES_CONFIG);
    }

    /** True when events of types no rule matches are counted and skipped rather than dead-lettered. */
    public boolean ignoreUnknownTypes() {
        return "ignore".equals(getString(UNKNOWN_TYPES_CONFIG));
    }

    public boolean refuseUnsafeEviction() {
        return getBoolean(REDIS_REFUSE_UNSAFE_EVICTION_CONFIG);
    }

    /** The in-process follower's settings ({@code projector.verify.follow.*}). */
    public FollowSettings verifyFollow() {
        return new FollowSettings(getBoolean(VERIFY_FOLLOW_CONFIG), getBoolean(VERIFY_FOLLOW_REPAIR_CONFIG),
                getInt(VERIFY_FOLLOW_SWEEP_RATE_CONFIG), file(VERIFY_FOLLOW_STATE_DIR_CONFIG),
                (long) getInt(VERIFY_FOLLOW_STATE_HEAP_MB_CONFIG) << 20);
    }

    /** What {@link #verifyFollow()} holds. */
    public record FollowSettings(boolean enabled, boolean repair, int sweepRate, Optional<Path> stateDir,
                                 long stateHeapBytes) {}

    public boolean jsonLogs() {
        return "json".equals(getString(LOG_FORMAT_CONFIG));
    }

    public Path topicsDir() {
        return Path.of(getString(TOPICS_DIR_CONFIG));
    }

    /** Things worth a WARN log line that did not stop the projector; the caller logs them. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The effective configuration (defaults included), sorted by key, safe to log: the Redis password, the password
     * inside the Redis URI and every secret-looking pass-through key read {@value #HIDDEN}. An unset secret reads
     * as an empty string, so the log still tells whether it was set.
     */
    public Map<String, String> redacted() {
        Map<String, String> shown = new TreeMap<>();
        for (String key : DEFINITION.configKeys().keySet()) {
            Object value = values().get(key);
            shown.put(key, value == null ? "" : String.valueOf(value)); // Password.toString() is already [hidden]
        }
        shown.put(REDIS_URI_CONFIG, RedisUri.parse(getString(REDIS_URI_CONFIG)).redacted());
        originalsWithPrefix(KAFKA_PREFIX, false).forEach((key, value) -> {
            if (!DEFINITION.configKeys().containsKey(key)) {
                String clientKey = key.substring(KAFKA_PREFIX.length());
                shown.put(key, SecretKeys.isSecret(clientKey) ? HIDDEN : String.valueOf(value));
            }
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(shown));
    }

    @Override
    public String toString() {
        return "ProjectorConfig" + redacted();
    }

    private Optional<String> redisPasswordOverride() {
        // An empty override counts as unset: container setups often pass PROJECTOR_REDIS_PASSWORD= for "none".
        return Optional.ofNullable(getPassword(REDIS_PASSWORD_CONFIG)).map(Password::value).filter(p -> !p.isEmpty());
    }
}
