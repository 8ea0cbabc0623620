package ai.hypnos.train.cohort;

import java.util.Locale;

/** The subject-wise partition a recording belongs to. */
public enum Split {
    TRAIN("train"),
    VAL("val"),
    TEST("test");

    private final String key;

    Split(String key) {
        this.key = key;
    }

    /** The manifest spelling: {@code train}, {@code val} or {@code test}. */
    public String key() {
        return key;
    }

    /**
     * Parses a manifest value ({@code train}, {@code val}/{@code valid}/{@code validation},
     * {@code test}; any case).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Split parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "train" -> TRAIN;
            case "val", "valid", "validation" -> VAL;
            case "test" -> TEST;
            default -> throw new IllegalArgumentException("unknown split '" + value + "' (expected train, val or test)");
        };
    }
}
