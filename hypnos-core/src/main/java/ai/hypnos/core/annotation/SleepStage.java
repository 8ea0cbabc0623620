package ai.hypnos.core.annotation;

/**
 * AASM sleep stages, plus {@link #UNSCORED} for epochs without a valid label (movement, "?",
 * outside the scored period). Unscored epochs are kept distinct and dropped by probes.
 */
public enum SleepStage {
    W(0), N1(1), N2(2), N3(3), REM(4), UNSCORED(-1);

    /** Number of scored classes (W, N1, N2, N3, REM). */
    public static final int CLASSES = 5;

    private final int label;

    SleepStage(int label) {
        this.label = label;
    }

    /** Class index used by probes: 0 W, 1 N1, 2 N2, 3 N3, 4 REM, -1 unscored. */
    public int label() {
        return label;
    }

    public boolean isScored() {
        return this != UNSCORED;
    }

    /** The stage for a class index (-1 or anything outside 0..4 gives {@link #UNSCORED}). */
    public static SleepStage fromLabel(int label) {
        return switch (label) {
            case 0 -> W;
            case 1 -> N1;
            case 2 -> N2;
            case 3 -> N3;
            case 4 -> REM;
            default -> UNSCORED;
        };
    }
}
