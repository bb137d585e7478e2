package io.cachep.rules.spi;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The custom rules available to a rules file, by name. Discovered explicitly with ServiceLoader, nothing scanned. */
public final class CustomRules {
    private final Map<String, CustomRule> byName;

    public CustomRules(Iterable<CustomRule> rules) {
        Map<String, CustomRule> map = new TreeMap<>();
        for (CustomRule rule : rules) {
            CustomRule previous = map.put(rule.name(), rule);
            if (previous != null) {
                throw new IllegalStateException("two custom rules are named '" + rule.name() + "': "
                        + previous.getClass().getName() + " and " + rule.getClass().getName());
            }
        }
        this.byName = Map.copyOf(map);
    }

    /** Every {@link CustomRule} registered on the class path. */
    public static CustomRules discover() {
        return new CustomRules(ServiceLoader.load(CustomRule.class));
    }

    public static CustomRules none() {
        return new CustomRules(java.util.List.of());
    }

    public CustomRule get(String name) {
        CustomRule rule = byName.get(name);
        if (rule == null) {
            throw new IllegalArgumentException("no custom rule named '" + name + "'");
        }
        return rule;
    }

    public Set<String> names() {
        return new java.util.TreeSet<>(byName.keySet());
    }
}
