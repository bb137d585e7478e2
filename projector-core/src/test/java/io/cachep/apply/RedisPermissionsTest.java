package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Redis 7.0's permission errors, as it words them, become one line naming what to grant. */
class RedisPermissionsTest {

    @Test
    void aCommandSentDirectlyIsNamedWithItsCategory() {
        var error = new CompletionException(new RedisCommandExecutionException(
                "NOPERM this user has no permissions to run the 'function|load' command"));

        assertThat(RedisPermissions.isPermissionError(error)).isTrue();
        assertThat(RedisPermissions.explain(error)).contains("the Redis user may not run 'function|load': grant"
                + " +function|load (ACL category @scripting), as in the ACL line in " + RedisPermissions.ACL_DOCS);
        assertThat(RedisFailure.classify(error)).isEqualTo(RedisFailure.FATAL);
    }

    @Test
    void aCommandInsideALibraryFunctionIsReadFromTheLibraryLineRedisNames() {
        List<String> lines = RedisLibrary.SOURCE.lines().toList();
        int line = 1;
        while (!lines.get(line - 1).contains("redis.call('ZREMRANGEBYSCORE'")) {
            line++;
        }
        var error = new RedisCommandExecutionException("ERR The user executing the script can't run this command or"
                + " subcommand script: " + RedisLibrary.Function.APPLY.qualifiedName() + ", on @user_function:" + line + ".");

        assertThat(RedisPermissions.isPermissionError(error)).isTrue();
        assertThat(RedisPermissions.explain(error).orElseThrow())
                .startsWith("the Redis user may not run 'zremrangebyscore' inside cachep's Redis function "
                        + RedisLibrary.Function.APPLY.qualifiedName() + ": grant +zremrangebyscore (ACL category @write)");
        assertThat(RedisFailure.classify(error)).isEqualTo(RedisFailure.FATAL);
    }

    @Test
    void keysAndChannelsOutsideTheUsersPatternsSayWhichPatternIsMissing() {
        assertThat(RedisPermissions.explain(new RedisCommandExecutionException(
                "NOPERM this user has no permissions to access one of the keys used as arguments")).orElseThrow())
                .contains("~<namespace>:*");
        assertThat(RedisPermissions.explain(new RedisCommandExecutionException(
                "NOPERM this user has no permissions to access one of the channels used as arguments")).orElseThrow())
                .contains("&<channel>");
    }

    @Test
    void otherFailuresAreNotPermissionErrors() {
        var oom = new RedisCommandExecutionException("OOM command not allowed when used memory > 'maxmemory'.");

        assertThat(RedisPermissions.isPermissionError(oom)).isFalse();
        assertThat(RedisPermissions.explain(oom)).isEmpty();
        assertThat(RedisFailure.classify(oom)).isEqualTo(RedisFailure.TRANSIENT);
        assertThat(RedisFailure.isOutOfMemory(new CompletionException(oom))).isTrue();
    }
}
