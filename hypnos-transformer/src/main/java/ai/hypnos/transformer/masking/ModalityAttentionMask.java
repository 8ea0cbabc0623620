package ai.hypnos.transformer.masking;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.transformer.nn.ForwardContext;

/**
 * Which modalities may attend to which at every second, per sample: modality i sees modality j
 * iff both are present and (when groups are given) they share a CRP group. As arrays for the
 * modality layers: an additive bias {@code [B, 1, 1, M, M]} (0 or −∞) and a row gate
 * {@code [B, 1, 1, M, 1]} (1, or 0 for a modality that may see nothing — its row's bias is all 0
 * so the softmax stays finite, and the gate turns its output into exact zeros, as libtorch's
 * "safe softmax" does for fully masked rows).
 */
public final class ModalityAttentionMask {
    private final int batch;
    private final int modalities;
    private final boolean[] allowed;

    private ModalityAttentionMask(int batch, int modalities, boolean[] allowed) {
        this.batch = batch;
        this.modalities = modalities;
        this.allowed = allowed;
    }

    /**
     * The mask for these presence flags and groups, or {@code null} when every pair may attend
     * (all present, one group): the modality layers then skip masking altogether.
     *
     * @param presence {@code [B·M]} row-major
     * @param groupIds {@code [B·M]} group of each modality per sample, or {@code null} for one group
     */
    public static ModalityAttentionMask of(int batch, int modalities, boolean[] presence, int[] groupIds) {
        boolean[] allowed = new boolean[batch * modalities * modalities];
        boolean all = true;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < modalities; i++) {
                for (int j = 0; j < modalities; j++) {
                    boolean ok = presence[b * modalities + i] && presence[b * modalities + j]
                            && (groupIds == null || groupIds[b * modalities + i] == groupIds[b * modalities + j]);
                    allowed[(b * modalities + i) * modalities + j] = ok;
                    all &= ok;
                }
            }
        }
        return all ? null : new ModalityAttentionMask(batch, modalities, allowed);
    }

    /** Whether modality {@code i} attends to modality {@code j} in sample {@code b}. */
    public boolean allowed(int b, int i, int j) {
        return allowed[(b * modalities + i) * modalities + j];
    }

    /** {@code {bias [B,1,1,M,M], rowGate [B,1,1,M,1]}} for this pass (built once per pass). */
    public NDArray[] arrays(ForwardContext ctx) {
        return ctx.memo(this, () -> {
            int m = modalities;
            float[] bias = new float[batch * m * m];
            float[] gate = new float[batch * m];
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < m; i++) {
                    boolean any = false;
                    for (int j = 0; j < m; j++) {
                        any |= allowed(b, i, j);
                    }
                    gate[b * m + i] = any ? 1f : 0f;
                    for (int j = 0; j < m; j++) {
                        bias[(b * m + i) * m + j] = !any || allowed(b, i, j) ? 0f : Float.NEGATIVE_INFINITY;
                    }
                }
            }
            return new NDArray[] {
                ctx.create(bias, new Shape(batch, 1, 1, m, m)), ctx.create(gate, new Shape(batch, 1, 1, m, 1))
            };
        });
    }

    public int batch() {
        return batch;
    }

    public int modalities() {
        return modalities;
    }
}
