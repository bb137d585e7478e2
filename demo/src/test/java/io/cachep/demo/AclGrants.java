package io.cachep.demo;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.awaitility.Awaitility;

/**
 * Sets a user's ACLs to exactly a given set, as the broker's super user. The controller commits ACL changes before
 * the broker's authorizer applies them, so each change returns once the broker describes exactly the new set.
 */
final class AclGrants implements AutoCloseable {
    private static final Duration APPLIED_WITHIN = Duration.ofSeconds(30);

    private final Admin admin;

    AclGrants(Map<String, Object> superUser) {
        this.admin = Admin.create(superUser);
    }

    /** Removes every ACL of {@code principal} ({@code User:name}), then grants {@code bindings}, all for it. */
    void grantExactly(String principal, Collection<AclBinding> bindings) throws Exception {
        for (AclBinding binding : bindings) {
            if (!binding.entry().principal().equals(principal)) {
                throw new IllegalArgumentException(binding + " is not for " + principal);
            }
        }
        AclBindingFilter everyAclOfUser = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
        admin.deleteAcls(List.of(everyAclOfUser)).all().get();
        if (!bindings.isEmpty()) {
            admin.createAcls(List.copyOf(bindings)).all().get();
        }
        Set<AclBinding> wanted = new HashSet<>(bindings);
        Awaitility.await("the broker applies " + principal + "'s ACLs " + wanted).atMost(APPLIED_WITHIN)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> new HashSet<>(admin.describeAcls(everyAclOfUser).values().get()).equals(wanted));
    }

    @Override
    public void close() {
        admin.close();
    }
}
