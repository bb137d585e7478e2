package io.cachep.producer.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * User profiles ({@code subject} = user id): mostly partial updates naming only the fields that changed (the
 * profile-updated rule merges every top-level field of data into a hash, so data stays flat strings), now and then
 * a full snapshot with a nested {@code preferences} object (the profile-snapshot rule stores data as one JSON).
 * Snapshots show the profile as the updates left it, as a real profile service would.
 */
public final class ProfileScenario implements Scenario {
    public static final String TOPIC = "profile-events";
    public static final String UPDATED = "com.example.profile.updated";
    public static final String SNAPSHOT = "com.example.profile.snapshot";
    /** The flat fields a profile has; an update carries one to three of them. */
    public static final List<String> FIELDS = List.of("displayName", "email", "locale", "avatarUrl", "plan");
    static final double SNAPSHOT_SHARE = 0.1;

    private static final String[] NAMES = {"Ada", "Grace", "Alan", "Linus", "Margaret", "Edsger", "Barbara", "Ken"};
    private static final String[] SURNAMES = {"Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Dijkstra"};
    private static final String[] LOCALES = {"en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "pt-BR"};
    private static final String[] PLANS = {"free", "pro", "team", "enterprise"};
    private static final String[] THEMES = {"light", "dark", "system"};

    private final Random random;
    private final Population people;
    private final Map<String, Profile> profiles = new HashMap<>();

    private static final class Profile {
        final Map<String, String> fields = new LinkedHashMap<>(); // in FIELDS order, so events read the same way
        String theme;
        boolean notifications;
        long version;
        int avatarNumber;
    }

    /** @param users how many users {@code u-1..u-N} have profiles */
    public ProfileScenario(long seed, int users) {
        this.random = new Random(seed);
        this.people = Population.ofUsers(users);
    }

    @Override
    public String name() {
        return "profiles";
    }

    @Override
    public DemoEvent next(Instant now) {
        String userId = people.randomUser(random);
        Profile profile = profiles.computeIfAbsent(userId, this::signUp);
        profile.version++;
        return random.nextDouble() < SNAPSHOT_SHARE ? snapshot(userId, profile, now) : update(userId, profile, now);
    }

    private DemoEvent update(String userId, Profile profile, Instant now) {
        List<String> changed = pick(1 + random.nextInt(3));
        ObjectNode event = CloudEventWriter.envelope(UPDATED, userId, profile.version, now);
        ObjectNode data = event.putObject("data");
        for (String field : FIELDS) {
            if (changed.contains(field)) {
                profile.fields.put(field, freshValue(field, userId, profile));
                data.put(field, profile.fields.get(field));
            }
        }
        return new DemoEvent(TOPIC, userId, CloudEventWriter.bytes(event), UPDATED);
    }

    private DemoEvent snapshot(String userId, Profile profile, Instant now) {
        if (random.nextDouble() < 0.2) {
            profile.notifications = !profile.notifications; // preferences change too, just less often
        }
        ObjectNode event = CloudEventWriter.envelope(SNAPSHOT, userId, profile.version, now);
        ObjectNode data = event.putObject("data");
        profile.fields.forEach(data::put);
        data.putObject("preferences").put("theme", profile.theme).put("notifications", profile.notifications);
        return new DemoEvent(TOPIC, userId, CloudEventWriter.bytes(event), SNAPSHOT);
    }

    /** The profile a user had before this stream began, so a snapshot is complete even before any update. */
    private Profile signUp(String userId) {
        Profile profile = new Profile();
        FIELDS.forEach(field -> profile.fields.put(field, freshValue(field, userId, profile)));
        profile.theme = THEMES[random.nextInt(THEMES.length)];
        profile.notifications = random.nextBoolean();
        return profile;
    }

    /** {@code count} distinct fields, chosen uniformly (a partial Fisher-Yates shuffle). */
    private List<String> pick(int count) {
        List<String> fields = new ArrayList<>(FIELDS);
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(fields.size() - i);
            fields.set(i, fields.set(j, fields.get(i)));
        }
        return fields.subList(0, count);
    }

    private String freshValue(String field, String userId, Profile profile) {
        return switch (field) {
            case "displayName" -> NAMES[random.nextInt(NAMES.length)] + " " + SURNAMES[random.nextInt(SURNAMES.length)];
            case "email" -> userId + "." + random.nextInt(1000) + "@example.com";
            case "locale" -> LOCALES[random.nextInt(LOCALES.length)];
            case "avatarUrl" -> "https://cdn.example.com/avatars/" + userId + "/" + ++profile.avatarNumber + ".png";
            case "plan" -> PLANS[random.nextInt(PLANS.length)];
            default -> throw new IllegalArgumentException("not a profile field: " + field);
        };
    }
}
