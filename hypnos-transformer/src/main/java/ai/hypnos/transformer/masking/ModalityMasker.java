package ai.hypnos.transformer.masking;

import ai.hypnos.transformer.TransformerConfig;
import java.util.random.RandomGenerator;

/**
 * Draws the training-time modality masks of a batch for one {@link MaskingMode}. Inference uses
 * {@link #inference}: no sampling, all present modalities together (singletons for
 * {@link MaskingMode#NO_CROSS_MODAL}, which the reference applies in both phases).
 */
public final class ModalityMasker {
    private final MaskingMode mode;
    private final double alpha;
    private final double dropoutP;

    /**
     * @param alpha    CRP concentration (CRP, RANDOM_SUBSET)
     * @param dropoutP drop probability (MODALITY_DROPOUT)
     */
    public ModalityMasker(MaskingMode mode, double alpha, double dropoutP) {
        if ((mode == MaskingMode.CRP || mode == MaskingMode.RANDOM_SUBSET) && !(alpha > 0)) {
            throw new IllegalArgumentException(mode + " needs a concentration alpha > 0, got " + alpha);
        }
        if (mode == MaskingMode.MODALITY_DROPOUT && !(dropoutP >= 0 && dropoutP <= 1)) {
            throw new IllegalArgumentException("modality dropout p must be in [0, 1], got " + dropoutP);
        }
        this.mode = mode;
        this.alpha = alpha;
        this.dropoutP = dropoutP;
    }

    /** The masking a configuration asks for ({@code modality_grouping_alpha} and friends). */
    public static ModalityMasker fromConfig(TransformerConfig c) {
        if (c.disableCrossModalAttention()) {
            return new ModalityMasker(MaskingMode.NO_CROSS_MODAL, 0, 0);
        }
        if (c.modalityDropoutP() != null) {
            return new ModalityMasker(MaskingMode.MODALITY_DROPOUT, 0, c.modalityDropoutP());
        }
        if (c.modalityGroupingAlpha() != null) {
            return new ModalityMasker(c.randomSubsetMasking() ? MaskingMode.RANDOM_SUBSET : MaskingMode.CRP,
                    c.modalityGroupingAlpha(), 0);
        }
        return new ModalityMasker(MaskingMode.NONE, 0, 0);
    }

    public MaskingMode mode() {
        return mode;
    }

    /** Masks for inference under a configuration: no sampling. */
    public static ModalityMasks inference(TransformerConfig c, int batch, boolean[] presence) {
        if (!c.disableCrossModalAttention()) {
            return new ModalityMasks(presence.clone(), null);
        }
        return new ModalityMasks(presence.clone(), singletons(batch, c.numModalities()));
    }

    /**
     * Draws masks for a training batch.
     *
     * @param presence {@code [B·M]} which modalities the data has
     */
    public ModalityMasks sample(int batch, int m, boolean[] presence, RandomGenerator rng) {
        if (presence.length != batch * m) {
            throw new IllegalArgumentException("presence has " + presence.length + " flags, expected " + batch * m);
        }
        boolean[] keep = presence.clone();
        return switch (mode) {
            case NONE -> new ModalityMasks(keep, null);
            case NO_CROSS_MODAL -> new ModalityMasks(keep, singletons(batch, m));
            case CRP -> {
                int[] groups = new int[batch * m];
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(CrpSampler.sample(m, alpha, rng), 0, groups, b * m, m);
                }
                yield new ModalityMasks(keep, groups);
            }
            case RANDOM_SUBSET -> {
                for (int b = 0; b < batch; b++) {
                    int[] g = CrpSampler.sample(m, alpha, rng);
                    int chosen = drawPresent(presence, b, m, rng);
                    if (chosen < 0) {
                        continue;
                    }
                    for (int i = 0; i < m; i++) {
                        keep[b * m + i] = presence[b * m + i] && g[i] == g[chosen];
                    }
                }
                yield new ModalityMasks(keep, null);
            }
            case MODALITY_DROPOUT -> {
                for (int b = 0; b < batch; b++) {
                    boolean any = false;
                    for (int i = 0; i < m; i++) {
                        keep[b * m + i] = presence[b * m + i] && rng.nextDouble() >= dropoutP;
                        any |= keep[b * m + i];
                    }
                    if (!any) {
                        int rescued = drawPresent(presence, b, m, rng);
                        if (rescued >= 0) {
                            keep[b * m + rescued] = true;
                        }
                    }
                }
                yield new ModalityMasks(keep, null);
            }
        };
    }

    /** A uniformly drawn present modality of sample b, or -1 when none is present. */
    private static int drawPresent(boolean[] presence, int b, int m, RandomGenerator rng) {
        int count = 0;
        for (int i = 0; i < m; i++) {
            if (presence[b * m + i]) {
                count++;
            }
        }
        if (count == 0) {
            return -1;
        }
        int pick = rng.nextInt(count);
        for (int i = 0; i < m; i++) {
            if (presence[b * m + i] && pick-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static int[] singletons(int batch, int m) {
        int[] g = new int[batch * m];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < m; i++) {
                g[b * m + i] = i;
            }
        }
        return g;
    }
}
