package ai.hypnos.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.SplittableRandom;

/** Small configurations and inputs shared by the tests. */
final class TestModels {
    private TestModels() {
    }

    /** The reference's tiny end-to-end configuration: 4 modalities, K 2, V 16, window 8. */
    static List<ModalitySpec> fourModalities() {
        return List.of(new ModalitySpec("eeg_c3", "eeg", 2, 16), new ModalitySpec("eeg_c4", "eeg", 2, 16),
                new ModalitySpec("ecg", "ecg", 2, 16), new ModalitySpec("resp_abd", "resp", 2, 16));
    }

    static TransformerConfig tiny() {
        return Preset.TINY.config(fourModalities());
    }

    /** Uniform random tokens for every modality, all present, default channel ids. */
    static TokenBatch randomBatch(ModalityLayout layout, int batch, int seconds, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = layout.totalK();
        int[] tokens = new int[batch * seconds * k];
        int[] vocab = vocabPerColumn(layout);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(vocab[i % k]);
        }
        int m = layout.numModalities();
        boolean[] presence = new boolean[batch * m];
        java.util.Arrays.fill(presence, true);
        int[] ch = new int[batch * m];
        int[] def = TokenBatch.defaultChannelIds(layout);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(def, 0, ch, b * m, m);
        }
        return TokenBatch.of(batch, seconds, k, tokens, presence, ch);
    }

    static int[] vocabPerColumn(ModalityLayout layout) {
        int[] vocab = new int[layout.totalK()];
        for (int i = 0; i < layout.numModalities(); i++) {
            for (int k = 0; k < layout.modality(i).numQuantizers(); k++) {
                vocab[layout.columnOffset(i) + k] = layout.modality(i).codebookSize();
            }
        }
        return vocab;
    }

    /** Host copy of z {@code [B, M, S, D]} from the inference path. */
    static float[] embed(RqTransformer model, TokenBatch batch) {
        try (NDManager m = model.parameters().manager().newSubManager()) {
            NDArray z = model.temporalForward(batch, m);
            return z.toFloatArray();
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths " + a.length + " vs " + b.length);
        }
        double w = 0;
        for (int i = 0; i < a.length; i++) {
            w = Math.max(w, Math.abs(a[i] - b[i]));
        }
        return w;
    }

    /** Tokens with rows as {@code int[S][ΣK]} of sample 0. */
    static int[][] rows(TokenBatch batch) {
        int[][] out = new int[batch.seconds()][batch.totalK()];
        for (int s = 0; s < batch.seconds(); s++) {
            for (int c = 0; c < batch.totalK(); c++) {
                out[s][c] = batch.token(0, s, c);
            }
        }
        return out;
    }
}
