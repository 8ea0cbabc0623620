package ai.hypnos.core.preprocess;

/**
 * One stage of a preprocessing pipeline in streaming form: push blocks of samples of any size
 * (including empty ones), get back the samples that are ready; {@link #finish()} ends the
 * stream and returns the rest. Concatenated, the outputs equal what the batch form of the stage
 * computes on the concatenated input — the same arithmetic in the same order, so the values
 * agree bit for bit.
 *
 * <p>Stages with look-ahead (the resampler's centred FIR, the normaliser's one-minute initial
 * statistics) hold samples back until they are determined; pure recursions (IIR filters) and
 * point-wise maps (soft clipping) return one output per input at once. Instances keep state and
 * are not thread-safe; use one per signal.
 */
public interface StreamOperator {

    /**
     * Pushes {@code length} samples starting at {@code block[offset]}.
     *
     * @return the output samples that became available (possibly none)
     * @throws IllegalStateException after {@link #finish()}
     */
    double[] push(double[] block, int offset, int length);

    /** Pushes a whole block. */
    default double[] push(double[] block) {
        return push(block, 0, block.length);
    }

    /**
     * Ends the stream.
     *
     * @return the samples still held back (possibly none)
     */
    double[] finish();
}
