package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** How a Redis Cluster's answers while its topology changes are classified: retried, never dead-lettered. */
class RedisFailureTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "MOVED 3999 127.0.0.1:7002",
            "ASK 3999 127.0.0.1:7002",
            "TRYAGAIN Multiple keys request during rehashing of slot",
            "CLUSTERDOWN The cluster is down",
            "ERR Script attempted to access a non local key in a cluster node script: cachep_2_abc_apply_slots",
            "ERR Script attempted to execute a command while the cluster is down",
            "READONLY You can't write against a read only replica."})
    void aTopologyChangeIsTransient(String answer) {
        assertThat(RedisFailure.classify(new CompletionException(new RedisCommandExecutionException(answer))))
                .isEqualTo(RedisFailure.TRANSIENT);
    }

    @Test
    void aShardShortOfReplicasIsTransient() {
        assertThat(RedisFailure.classify(new ReplicasShortException("127.0.0.1:7000", 0, 1, 500)))
                .isEqualTo(RedisFailure.TRANSIENT);
    }

    @Test
    void keysOfSeveralSlotsInAFunctionWithoutTheFlagAreABugNotARetry() {
        assertThat(RedisFailure.classify(new RedisCommandExecutionException(
                "ERR Script attempted to access keys that do not hash to the same slot"))).isEqualTo(RedisFailure.FATAL);
        assertThat(RedisFailure.classify(new RedisCommandExecutionException(
                "WRONGTYPE Operation against a key holding the wrong kind of value"))).isEqualTo(RedisFailure.POISON);
    }
}
