package io.cachep.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Stands in for the apache/kafka image's {@code /opt/kafka/bin/kafka-broker-api-versions.sh} in
 * {@link DockerComposeHealthcheckIT}: that script runs {@code org.apache.kafka.tools.BrokerApiVersionsCommand}, from
 * the kafka-tools jar, which is not among this project's dependencies. Like it, this takes
 * {@code --bootstrap-server HOST:PORT}, connects (which asks the broker for its API versions), lists the brokers, and
 * exits 0, or 1 when the broker does not answer in time.
 */
final class BrokerApiVersionsStandIn {
    private static final int TIMEOUT_MS = 5_000;

    private BrokerApiVersionsStandIn() {}

    public static void main(String[] args) {
        List<String> arguments = List.of(args);
        int at = arguments.indexOf("--bootstrap-server");
        if (at < 0 || at + 1 >= arguments.size()) {
            System.err.println("usage: kafka-broker-api-versions.sh --bootstrap-server HOST:PORT");
            System.exit(2);
        }
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, arguments.get(at + 1),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS));
        int status = 0;
        try {
            for (Node node : admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                System.out.println(node.host() + ":" + node.port() + " (id: " + node.id() + ")");
            }
        } catch (Exception e) {
            System.err.println("no answer from " + arguments.get(at + 1) + ": " + e);
            status = 1;
        } finally {
            admin.close(Duration.ZERO);
        }
        System.exit(status);
    }
}
