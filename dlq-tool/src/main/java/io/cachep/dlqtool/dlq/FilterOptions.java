package io.cachep.dlqtool.dlq;

import io.cachep.dlqtool.TimeConverter;
import io.cachep.errors.PoisonReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The filters every DLQ command shares; a picocli mixin. */
public final class FilterOptions {
    @Option(names = "--reason", paramLabel = "REASON", description = "Only records with this cachep.reason; repeatable.")
    List<String> reasons = new ArrayList<>();

    @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this CloudEvents type.")
    String type;

    @Option(names = "--key", paramLabel = "KEY", description = "Only records with this key.")
    String key;

    @Option(names = "--since", paramLabel = "TIME", converter = TimeConverter.Rfc3339OrAgo.class,
            description = "Only records that failed at or after TIME (RFC 3339, or a duration back from now such as 2h).")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = TimeConverter.Rfc3339OrAgo.class,
            description = "Only records that failed at or before TIME.")
    Instant until;

    @Option(names = "--partition", paramLabel = "P", description = "Only this DLQ partition.")
    Integer partition;

    /** {@code --offset} is the name issue 6 gave this filter; {@code --from-offset} the one it shipped with. Both stay. */
    @Option(names = {"--from-offset", "--offset"}, paramLabel = "N", description = "Only DLQ offsets from N on.")
    Long fromOffset;

    /** The filter, or IllegalArgumentException naming the bad value (picocli has converted the times already). */
    public DeadLetterFilter filter() {
        Set<PoisonReason> parsed = EnumSet.noneOf(PoisonReason.class);
        for (String reason : reasons) {
            try {
                parsed.add(PoisonReason.valueOf(reason.toUpperCase()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--reason " + reason + " is not one of " + List.of(PoisonReason.values()));
            }
        }
        return new DeadLetterFilter(parsed, type, key, since, until, partition, fromOffset);
    }

    /** The filter, or picocli's usage error (exit 2) naming the bad value. */
    public DeadLetterFilter filter(CommandLine commandLine) {
        try {
            return filter();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
