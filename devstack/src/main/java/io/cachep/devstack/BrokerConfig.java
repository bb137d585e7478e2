package io.cachep.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The files a child broker JVM reads: {@code server.properties} and a logback config that logs to a file. */
final class BrokerConfig {
    /** Keys that tie the broker to its ports and directory; callers cannot override them. */
    static final Set<String> OWNED_KEYS = Set.of("process.roles", "node.id", "controller.quorum.bootstrap.servers",
            "controller.quorum.voters", "listeners", "advertised.listeners", "controller.listener.names",
            "inter.broker.listener.name", "listener.security.protocol.map", "log.dirs", "log.dir");

    private BrokerConfig() {}

    /** A combined broker+controller node: one JVM, one voter, replication factor 1 everywhere. */
    static Map<String, String> serverProperties(int port, int controllerPort, Path logDir, Map<String, String> extra) {
        return serverProperties(port, controllerPort, logDir, Optional.empty(), extra);
    }

    /** The same, with the client listener SASL_SSL and the authorizer on when {@code security} is given. */
    static Map<String, String> serverProperties(int port, int controllerPort, Path logDir,
            Optional<BrokerSecurity> security, Map<String, String> extra) {
        String listener = security.isPresent() ? BrokerSecurity.LISTENER : "PLAINTEXT";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", listener + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", listener + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", listener);
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT," + listener + ":" + listener);
        security.ifPresent(s -> p.putAll(s.serverProperties()));
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        // One broker: every internal topic must make do with one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Light: fewer partitions to create and load on a 2-core box; tests create their topics explicitly.
        p.put("offsets.topic.num.partitions", "4");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        // Consumer groups form at once instead of after 3 s.
        p.put("group.initial.rebalance.delay.ms", "0");
        // After a kill -9 the restarted node's controller keeps the dead incarnation registered until its session
        // expires, and the new one cannot register before that: 4 s instead of 9 s halves a kill-and-restart.
        // Broker and controller share one JVM, so a pause or a GC stall halts both and cannot fence the broker.
        p.put("broker.session.timeout.ms", "4000");
        p.put("broker.heartbeat.interval.ms", "1000");
        p.putAll(extra);
        return p;
    }

    static void writeServerProperties(Path file, Map<String, String> properties) {
        StringBuilder text = new StringBuilder("# Written by cachep devstack; regenerated on every start.\n");
        properties.forEach((key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
        write(file, text.toString());
    }

    static void writeLogbackConfig(Path file, Path logFile) {
        write(file, """
                <configuration>
                  <!-- Written by cachep devstack: the broker logs to a file in its own directory,
                       never to the parent's console. -->
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level [%%thread] %%logger{36} - %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(xmlEscape(logFile.toAbsolutePath().toString())));
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    private static String xmlEscape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
