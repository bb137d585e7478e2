package io.cachep.apply;

import io.cachep.errors.Causes;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Redis's permission errors into one line an operator can act on: which command the Redis user may not run,
 * and what to grant. The one home for this, so the projector and every operator command say it the same way.
 *
 * <p>Redis 7.0 says {@code NOPERM ... run the 'info' command} for a command sent directly, but inside a function only
 * {@code The user executing the script can't run this command or subcommand script: <function>, on
 * @user_function:<line>}; the line is a line of cachep's own library, so the command is read from it.
 */
public final class RedisPermissions {
    /** Where the minimal ACL lines are written down. */
    public static final String ACL_DOCS = "docs/security.md (\"Redis ACL\")";

    private static final Pattern DIRECT = Pattern.compile("NOPERM this user has no permissions to run the '([^']+)' command");
    private static final Pattern IN_FUNCTION = Pattern.compile(
            "can't run this command or subcommand script: ([^,]+), on @user_function:(\\d+)");
    private static final Pattern CALL = Pattern.compile("redis\\.p?call\\('([A-Za-z]+)'");

    /**
     * The ACL category each command cachep sends belongs to (Redis 7.0's COMMAND INFO), the most telling one first:
     * granting the command itself is least privilege, the category is the coarser alternative.
     */
    private static final Map<String, String> CATEGORY = Map.ofEntries(
            Map.entry("hello", "@connection"), Map.entry("ping", "@connection"), Map.entry("select", "@connection"),
            Map.entry("auth", "@connection"), Map.entry("fcall", "@scripting"), Map.entry("function", "@scripting"),
            Map.entry("function|load", "@scripting"), Map.entry("publish", "@pubsub"), Map.entry("time", "@fast"),
            Map.entry("info", "@dangerous"), Map.entry("config", "@admin"), Map.entry("config|get", "@admin"),
            Map.entry("del", "@write"), Map.entry("unlink", "@write"), Map.entry("hdel", "@write"),
            Map.entry("hset", "@write"), Map.entry("persist", "@write"), Map.entry("pexpire", "@write"),
            Map.entry("pexpireat", "@write"), Map.entry("sadd", "@write"), Map.entry("srem", "@write"),
            Map.entry("set", "@write"), Map.entry("zadd", "@write"), Map.entry("zrem", "@write"),
            Map.entry("zremrangebyscore", "@write"), Map.entry("exists", "@read"), Map.entry("get", "@read"),
            Map.entry("hget", "@read"), Map.entry("hgetall", "@read"), Map.entry("hmget", "@read"),
            Map.entry("hexists", "@read"), Map.entry("pexpiretime", "@read"), Map.entry("pttl", "@read"),
            Map.entry("sismember", "@read"), Map.entry("smembers", "@read"), Map.entry("type", "@read"),
            Map.entry("zrange", "@read"), Map.entry("zrangebyscore", "@read"), Map.entry("zscore", "@read"),
            Map.entry("scan", "@read"));

    private RedisPermissions() {}

    /** True when Redis refused a call for want of a permission (a command, a key or a channel). */
    public static boolean isPermissionError(Throwable failure) {
        return message(failure).map(m -> m.contains("NOPERM") || IN_FUNCTION.matcher(m).find()).orElse(false);
    }

    /**
     * What the Redis user lacks and what to grant, in one line, or empty when {@code failure} is not a permission
     * error.
     */
    public static Optional<String> explain(Throwable failure) {
        Optional<String> message = message(failure);
        if (message.isEmpty()) {
            return Optional.empty();
        }
        String text = message.get();
        Matcher direct = DIRECT.matcher(text);
        if (direct.find()) {
            return Optional.of(grant(direct.group(1).toLowerCase(Locale.ROOT), ""));
        }
        Matcher inFunction = IN_FUNCTION.matcher(text);
        if (inFunction.find()) {
            String function = inFunction.group(1).trim();
            Optional<String> command = commandOnLine(Integer.parseInt(inFunction.group(2)));
            String where = " inside cachep's Redis function " + function;
            return Optional.of(command.map(c -> grant(c, where) + "; if it may, its key patterns must also cover"
                            + " the namespace's keys (~<namespace>:*) and its channels the rules' channels")
                    .orElse("the Redis user may not run a command" + where + ", or not on one of its keys or"
                            + " channels: give it the ACL line in " + ACL_DOCS));
        }
        if (text.contains("NOPERM") && text.contains("keys")) {
            return Optional.of("the Redis user may not access this namespace's keys: its ACL needs ~<namespace>:*"
                    + " (see " + ACL_DOCS + ")");
        }
        if (text.contains("NOPERM") && text.contains("channels")) {
            return Optional.of("the Redis user may not publish to a channel the rules name: add &<channel> to its"
                    + " ACL (see " + ACL_DOCS + ")");
        }
        if (text.contains("NOPERM")) {
            return Optional.of("the Redis user lacks a permission (" + text.strip() + "): give it the ACL line in "
                    + ACL_DOCS);
        }
        return Optional.empty();
    }

    private static String grant(String command, String where) {
        String category = CATEGORY.getOrDefault(command, CATEGORY.getOrDefault(command.split("\\|")[0], null));
        return "the Redis user may not run '" + command + "'" + where + ": grant +" + command
                + (category == null ? "" : " (ACL category " + category + ")") + ", as in the ACL line in " + ACL_DOCS;
    }

    /** The command a line of cachep's library calls, if that line calls one by name. */
    static Optional<String> commandOnLine(int line) {
        List<String> lines = RedisLibrary.SOURCE.lines().toList();
        if (line < 1 || line > lines.size()) {
            return Optional.empty();
        }
        // A line that calls a command held in a variable (promote's write_pairs) names none: empty.
        Matcher call = CALL.matcher(lines.get(line - 1));
        return call.find() ? Optional.of(call.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    private static Optional<String> message(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable e : Causes.of(failure)) {
            if (e.getMessage() != null) {
                all.append(e.getMessage()).append('\n');
            }
        }
        return all.isEmpty() ? Optional.empty() : Optional.of(all.toString());
    }
}
