package ai.hypnos.transformer.generate;

/**
 * How codes are drawn from the depth transformer's logits (as the reference's
 * {@code _sample_from_logits}).
 *
 * @param temperature logits are divided by it; {@code <= 0} means greedy (argmax)
 * @param topK        keep only the k highest logits (0: all)
 * @param topP        nucleus: keep the smallest set of codes whose probability first exceeds p
 *                    (the top code always stays); 1 (or anything outside (0, 1)) keeps all
 * @param seed        seed of the sampler's random stream (same seed, same tokens)
 */
public record SamplingOptions(double temperature, int topK, double topP, long seed) {
    public SamplingOptions {
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        if (Double.isNaN(temperature) || Double.isNaN(topP)) {
            throw new IllegalArgumentException("temperature and topP must be numbers");
        }
    }

    /** The reference {@code synthesize} defaults: temperature 0.7, top-p 0.95. */
    public static SamplingOptions defaults(long seed) {
        return new SamplingOptions(0.7, 0, 0.95, seed);
    }

    /** Always the most likely code. */
    public static SamplingOptions greedy() {
        return new SamplingOptions(0, 0, 1, 0);
    }
}
