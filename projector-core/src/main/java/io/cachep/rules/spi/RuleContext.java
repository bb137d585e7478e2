package io.cachep.rules.spi;

import io.cachep.envelope.EventEnvelope;
import io.cachep.rules.EntryKey;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.TagKey;
import io.cachep.rules.Template;

/** What a custom rule may use: its name (to put in its mutations) and the rules' key layout. */
public final class RuleContext {
    private final String ruleName;
    private final KeyLayout layout;

    public RuleContext(String ruleName, KeyLayout layout) {
        this.ruleName = ruleName;
        this.layout = layout;
    }

    /** The name of the rule in the file that invoked this custom rule, for the mutations' {@code rule} field. */
    public String ruleName() {
        return ruleName;
    }

    /** The entry for a key template such as {@code "user:{subject}:initials"}, rendered like a rules-file key. */
    public EntryKey entry(String keyTemplate, EventEnvelope event) {
        return layout.entry(Template.parse(keyTemplate).renderKey(event));
    }

    /** The tag for a tag template such as {@code "tenant:{data.tenantId}"}. */
    public TagKey tag(String tagTemplate, EventEnvelope event) {
        return layout.tag(Template.parse(tagTemplate).renderKey(event));
    }
}
