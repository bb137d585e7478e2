package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A missing ACL fails a command with one line that names what Kafka refused and where the ACLs are listed. */
class AccessDeniedTest {

    @Test
    void shouldSayWhereTheAclsAreListedWhenKafkaDeniedAnOperation() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = ErrorHandler.configure(new CommandLine(new DlqToolMain()));
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.getExecutionExceptionHandler().handleExecutionException(new IllegalStateException(
                "3 of 3 dead letters could not be written", new ClusterAuthorizationException("Cluster authorization failed.")),
                cli, null);

        assertThat(exit).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString()).isEqualTo("dlq-tool failed: 3 of 3 dead letters could not be written: Cluster"
                + " authorization failed.; " + AccessDenied.ACLS_HINT + System.lineSeparator());
    }

    @Test
    void shouldNameTheTopicTheAdminApiLeavesUnnamed() {
        Exception named = AccessDenied.namingTopic("cachep-dlq",
                new ExecutionException(new TopicAuthorizationException("Topic authorization failed.")));

        assertThat(named).isInstanceOf(TopicAuthorizationException.class)
                .hasMessage("Not authorized to access topics: [cachep-dlq]");
        ExecutionException other = new ExecutionException(new UnknownTopicOrPartitionException("gone"));
        assertThat(AccessDenied.namingTopic("cachep-dlq", other)).isSameAs(other);
    }
}
