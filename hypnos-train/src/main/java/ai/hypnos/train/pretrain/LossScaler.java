package ai.hypnos.train.pretrain;

/**
 * Dynamic loss scaling for float16 training (the rule of PyTorch's {@code GradScaler}).
 *
 * <p>float16 holds magnitudes from about 6·10⁻⁸ (subnormal) to 65504: small gradients underflow
 * to zero. The loss is therefore multiplied by {@link #scale()} before the backward pass, so the
 * gradients are {@code scale} times larger, and divided by it again (in float32) before the
 * optimiser uses them. When a step's gradients hold an infinity or a NaN the scale was too
 * large: the step is skipped and the scale multiplied by the back-off factor (½). After
 * {@code growthInterval} clean steps in a row it is multiplied by the growth factor (2), so it
 * settles just below the overflow threshold. Scales stay powers of two: unscaling is exact.
 *
 * <p>Not thread-safe. Its {@link State} is part of every checkpoint, so a resumed run continues
 * with the same scale and the same count towards the next growth.
 */
public final class LossScaler {
    /** The initial scale of PyTorch's {@code GradScaler}: 2¹⁶. */
    public static final double DEFAULT_INITIAL = 65536.0;
    /** Clean steps before the scale grows, as in PyTorch. */
    public static final long DEFAULT_GROWTH_INTERVAL = 2000;
    private static final double GROWTH = 2.0;
    private static final double BACKOFF = 0.5;

    /**
     * Where a scaler stands.
     *
     * @param scale        the current scale
     * @param cleanSteps   steps applied since the last skip or growth
     * @param skippedSteps steps skipped so far (non-finite gradients)
     */
    public record State(double scale, long cleanSteps, long skippedSteps) {
    }

    private final boolean enabled;
    private final long growthInterval;
    private double scale;
    private long cleanSteps;
    private long skippedSteps;

    private LossScaler(boolean enabled, double initial, long growthInterval) {
        this.enabled = enabled;
        this.scale = initial;
        this.growthInterval = growthInterval;
    }

    /**
     * A dynamic scaler.
     *
     * @param initial        the first scale, a power of two (PyTorch: 2¹⁶)
     * @param growthInterval clean steps before the scale doubles (PyTorch: 2000)
     * @throws IllegalArgumentException for a scale that is not a positive power of two, or an interval below 1
     */
    public static LossScaler dynamic(double initial, long growthInterval) {
        if (!(initial > 0) || Double.isInfinite(initial) || initial != Math.scalb(1.0, Math.getExponent(initial))) {
            throw new IllegalArgumentException("loss scale " + initial + " is not a positive power of two");
        }
        if (growthInterval < 1) {
            throw new IllegalArgumentException("loss-scale growth interval " + growthInterval + " must be >= 1");
        }
        return new LossScaler(true, initial, growthInterval);
    }

    /**
     * A scaler that does not scale (float32 training): scale 1; it still decides, like an
     * enabled one, that a step with non-finite gradients is skipped, and counts it.
     */
    public static LossScaler disabled() {
        return new LossScaler(false, 1.0, Long.MAX_VALUE);
    }

    /** Whether this scaler scales (float16 training). */
    public boolean enabled() {
        return enabled;
    }

    /** The factor the loss is multiplied by before the backward pass. */
    public double scale() {
        return scale;
    }

    /** Clean steps before the scale grows. */
    public long growthInterval() {
        return growthInterval;
    }

    /** Steps skipped so far because their gradients were not finite. */
    public long skippedSteps() {
        return skippedSteps;
    }

    /**
     * Records the outcome of one step's gradients and adapts the scale.
     *
     * @param finite whether every unscaled gradient element was finite
     * @return whether the optimiser should apply the step: false for non-finite gradients, in
     *         every precision (enabled or not), and the skip is counted
     */
    public boolean update(boolean finite) {
        if (!finite) {
            skippedSteps++;
            cleanSteps = 0;
            if (enabled) {
                scale *= BACKOFF;
            }
            return false;
        }
        if (enabled && ++cleanSteps >= growthInterval) {
            scale *= GROWTH;
            cleanSteps = 0;
        }
        return true;
    }

    /** The state to checkpoint. */
    public State state() {
        return new State(scale, cleanSteps, skippedSteps);
    }

    /**
     * Continues from a checkpointed state.
     *
     * @throws IllegalArgumentException for a non-positive or non-finite scale, or negative counters
     */
    public void restore(State s) {
        if (!(s.scale() > 0) || Double.isInfinite(s.scale()) || s.cleanSteps() < 0 || s.skippedSteps() < 0) {
            throw new IllegalArgumentException("invalid loss-scaler state " + s);
        }
        this.scale = enabled ? s.scale() : 1.0;
        this.cleanSteps = s.cleanSteps();
        this.skippedSteps = s.skippedSteps();
    }
}
