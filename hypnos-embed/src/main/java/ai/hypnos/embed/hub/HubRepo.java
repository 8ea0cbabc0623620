package ai.hypnos.embed.hub;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face Hub repository id, {@code owner/name} (also written {@code hf://owner/name}).
 *
 * @param owner user or organisation
 * @param name  repository name
 */
public record HubRepo(String owner, String name) {
    private static final Pattern ID = Pattern.compile("(?:hf://)?([A-Za-z0-9][A-Za-z0-9._-]{0,95})/([A-Za-z0-9][A-Za-z0-9._-]{0,95})");

    public HubRepo {
        if (!ID.matcher(owner + "/" + name).matches() || name.contains("..") || owner.contains("..")) {
            throw new IllegalArgumentException("not a Hub repository id: '" + owner + "/" + name + "'");
        }
    }

    /** The id if {@code s} is one ({@code owner/name} or {@code hf://owner/name}). */
    public static Optional<HubRepo> parse(String s) {
        Matcher m = ID.matcher(s.trim());
        if (!m.matches() || s.contains("..")) {
            return Optional.empty();
        }
        return Optional.of(new HubRepo(m.group(1), m.group(2)));
    }

    /** {@code owner/name}. */
    public String id() {
        return owner + "/" + name;
    }

    @Override
    public String toString() {
        return id();
    }
}
