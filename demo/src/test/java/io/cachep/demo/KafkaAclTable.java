package io.cachep.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;

/**
 * The ACLs of docs/security.md (section "Kafka") read as data: the table of what each component and dlq-tool command
 * needs, and the {@code kafka-acls.sh} blocks for the users. {@link KafkaSecurityIT} grants exactly the table's rows
 * and {@link KafkaAclDocsTest} checks the blocks against them, so the docs say what is tested.
 */
final class KafkaAclTable {
    static final Path SECURITY_DOC = Path.of("..", "docs", "security.md");

    /** One ACL as the docs write it, {@code $TOPIC}, {@code $DLQ} and {@code $APP} still in its name. */
    record Acl(AclOperation operation, ResourceType type, String name) {
        /** What an ACL implies: Read and Write on a resource include Describe on it (as Kafka's authorizer has it). */
        boolean implies(Acl other) {
            return other.operation == AclOperation.DESCRIBE && type == other.type && name.equals(other.name)
                    && (operation == AclOperation.READ || operation == AclOperation.WRITE);
        }

        /** The bindings for {@code principal} in a deployment: one per topic the rules read for {@code $TOPIC}. */
        List<AclBinding> bind(String principal, Names names) {
            List<String> resolved = name.equals("$TOPIC") ? List.copyOf(names.topics())
                    : List.of(name.replace("$DLQ", names.dlq()).replace("$APP", names.app()));
            return resolved.stream().map(resource -> new AclBinding(
                    new ResourcePattern(type, resource, PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW))).toList();
        }

        @Override
        public String toString() {
            return SecurityUtils.operationName(operation) + " " + type.name().toLowerCase() + " " + name;
        }
    }

    /** What the docs' names stand for in one deployment. */
    record Names(Set<String> topics, String dlq, String app) {}

    /** One kafka-acls.sh block: the user, the commands its header names, its ACLs. */
    record Block(String principal, List<String> commands, Set<Acl> acls) {}

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern ACL_LINE = Pattern.compile(
            "kafka-acls\\.sh \\$ADMIN --add --allow-principal (User:\\S+) --operation (\\w+) --(topic|group) \"([^\"]+)\"");

    private final Map<String, Set<Acl>> rows;
    private final List<Block> blocks;

    private KafkaAclTable(Map<String, Set<Acl>> rows, List<Block> blocks) {
        this.rows = rows;
        this.blocks = blocks;
    }

    static KafkaAclTable load() throws IOException {
        String doc = Files.readString(SECURITY_DOC);
        int start = doc.indexOf("\n## Kafka\n");
        int end = doc.indexOf("\n## ", start + 1);
        if (start < 0) {
            throw new IllegalStateException(SECURITY_DOC + " has no '## Kafka' section");
        }
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        return new KafkaAclTable(rows(section), blocks(section));
    }

    /** The ACLs the table lists for a component or command, named as in its first column ("dlq-tool status"). */
    Set<Acl> row(String command) {
        Set<Acl> acls = rows.get(command);
        if (acls == null) {
            throw new IllegalArgumentException("the ACL table of " + SECURITY_DOC + " has no row for '" + command
                    + "'; it has " + rows.keySet());
        }
        return acls;
    }

    Map<String, Set<Acl>> rows() {
        return rows;
    }

    List<Block> blocks() {
        return blocks;
    }

    /** Rows: {@code | command[, command...] | `Op type name` ... |} (or {@code none}), after the "Runs as" header. */
    private static Map<String, Set<Acl>> rows(String section) {
        Map<String, Set<Acl>> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : section.lines().toList()) {
            if (line.startsWith("| Runs as |")) {
                inTable = true;
            } else if (inTable && line.startsWith("|---")) {
                continue;
            } else if (inTable && line.startsWith("|")) {
                String[] cells = line.split("\\|");
                Set<Acl> acls = new LinkedHashSet<>();
                Matcher code = CODE.matcher(cells[2]);
                while (code.find()) {
                    acls.add(acl(code.group(1)));
                }
                if (acls.isEmpty() && !cells[2].trim().equals("none")) {
                    throw new IllegalStateException("ACL table row without ACLs (write 'none'): " + line);
                }
                for (String command : cells[1].trim().split(", ")) {
                    rows.put(command, Set.copyOf(acls));
                }
            } else if (inTable) {
                break;
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("no '| Runs as |' ACL table in the Kafka section of " + SECURITY_DOC);
        }
        return rows;
    }

    /** {@code Read topic $TOPIC}. */
    private static Acl acl(String text) {
        String[] parts = text.trim().split(" ");
        if (parts.length != 3) {
            throw new IllegalStateException("not 'Operation type name': " + text);
        }
        return new Acl(operation(parts[0], text), resourceType(parts[1], text), parts[2]);
    }

    /** The bash blocks of kafka-acls.sh lines, each headed {@code # user, role: command, command...}. */
    private static List<Block> blocks(String section) {
        List<Block> blocks = new ArrayList<>();
        Matcher block = BASH_BLOCK.matcher(section);
        while (block.find()) {
            List<String> lines = block.group(1).lines().toList();
            if (lines.size() < 2 || !lines.get(1).startsWith("kafka-acls.sh")) {
                continue;
            }
            String header = lines.get(0);
            int colon = header.indexOf(':');
            if (!header.startsWith("# ") || colon < 0) {
                throw new IllegalStateException("a kafka-acls.sh block starts with '# who: command, ...': " + header);
            }
            List<String> commands = List.of(header.substring(colon + 1).trim().split(", "));
            String principal = null;
            Set<Acl> acls = new LinkedHashSet<>();
            for (String line : lines.subList(1, lines.size())) {
                Matcher acl = ACL_LINE.matcher(line);
                if (!acl.matches()) {
                    throw new IllegalStateException("not a kafka-acls.sh line of the expected form: " + line);
                }
                if (principal != null && !principal.equals(acl.group(1))) {
                    throw new IllegalStateException("one user per block: " + principal + " and " + acl.group(1));
                }
                principal = acl.group(1);
                acls.add(new Acl(operation(acl.group(2), line), resourceType(acl.group(3), line), acl.group(4)));
            }
            blocks.add(new Block(principal, commands, Set.copyOf(acls)));
        }
        return blocks;
    }

    /** As kafka-acls.sh reads {@code --operation}: {@code Read}, {@code DescribeConfigs}, ... */
    private static AclOperation operation(String name, String where) {
        AclOperation operation = SecurityUtils.operation(name);
        if (operation == AclOperation.UNKNOWN || operation == AclOperation.ANY) {
            throw new IllegalStateException("unknown ACL operation '" + name + "' in: " + where);
        }
        return operation;
    }

    private static ResourceType resourceType(String name, String where) {
        return switch (name) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            default -> throw new IllegalStateException("resource type must be topic or group, was '" + name
                    + "' in: " + where);
        };
    }
}
