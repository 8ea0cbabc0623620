package ai.hypnos.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.hypnos.transformer.masking.ModalityMasks;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Causality, absent modalities, CRP isolation and NaN-freedom of the temporal transformer. */
class ModelInvariantsTest {
    private static RqTransformer model;
    private static ModalityLayout layout;

    @BeforeAll
    static void setUp() {
        // Window 4 over 20 s: the blockwise path with several blocks and a partial last block.
        TransformerConfig c = Preset.TINY.builder(TestModels.fourModalities()).slidingWindow(4).build();
        model = RqTransformer.initialize(c, Device.cpu(), 7);
        layout = model.layout();
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private static int[] tokensOf(TokenBatch b) {
        int[] t = new int[b.batch() * b.seconds() * b.totalK()];
        int i = 0;
        for (int s = 0; s < b.seconds(); s++) {
            for (int c = 0; c < b.totalK(); c++) {
                t[i++] = b.token(0, s, c);
            }
        }
        return t;
    }

    @Test
    void tokensAtOrAfterTNeverChangeEmbeddingsUpToT() {
        int s = 20;
        TokenBatch base = TestModels.randomBatch(layout, 1, s, 1);
        float[] z0 = TestModels.embed(model, base);
        int d = model.config().embedDim();
        int m = layout.numModalities();
        for (int t : new int[] {0, 5, 11, 19}) {
            int[] changed = tokensOf(base);
            for (int i = t * base.totalK(); i < changed.length; i++) {
                changed[i] = (changed[i] + 3) % 16;
            }
            float[] z1 = TestModels.embed(model,
                    TokenBatch.of(1, s, base.totalK(), changed, base.presence(), base.channelIds()));
            boolean later = false;
            for (int mi = 0; mi < m; mi++) {
                for (int p = 0; p < s; p++) {
                    for (int j = 0; j < d; j++) {
                        int idx = (mi * s + p) * d + j;
                        if (p <= t) {
                            // z_p depends on tokens before p only (BOS shift), so positions <= t are untouched.
                            assertEquals(z0[idx], z1[idx], 0f, "modality " + mi + " position " + p + " changed after t=" + t);
                        } else {
                            later |= z0[idx] != z1[idx];
                        }
                    }
                }
            }
            if (t < s - 1) {
                assertTrue(later, "changing tokens from t=" + t + " must change later embeddings");
            }
        }
    }

    @Test
    void absentModalityHasNoInfluence() {
        int s = 12;
        TokenBatch base = TestModels.randomBatch(layout, 1, s, 2);
        boolean[] presence = {true, true, false, true};
        int[] tokens = tokensOf(base);
        float[] z0 = TestModels.embed(model, TokenBatch.of(1, s, base.totalK(), tokens, presence, base.channelIds()));
        int[] other = tokens.clone();
        int ecg = layout.indexOf("ecg");
        for (int p = 0; p < s; p++) {
            for (int k = 0; k < 2; k++) {
                other[p * base.totalK() + layout.columnOffset(ecg) + k] = (p + k * 5) % 16;
            }
        }
        int[] channels = base.channelIds();
        channels[ecg] = 3;
        float[] z1 = TestModels.embed(model, TokenBatch.of(1, s, base.totalK(), other, presence, channels));
        int d = model.config().embedDim();
        for (int mi = 0; mi < 4; mi++) {
            if (mi == ecg) {
                continue;
            }
            float[] a = Arrays.copyOfRange(z0, mi * s * d, (mi + 1) * s * d);
            float[] b = Arrays.copyOfRange(z1, mi * s * d, (mi + 1) * s * d);
            assertEquals(0.0, TestModels.maxAbsDiff(a, b), 0.0, "modality " + mi + " moved with the absent one");
        }
    }

    @Test
    void crpGroupsIsolateModalities() {
        int s = 10;
        int m = layout.numModalities();
        TokenBatch base = TestModels.randomBatch(layout, 1, s, 3);
        int[] groups = {0, 1, 0, 1}; // {eeg_c3, ecg} and {eeg_c4, resp_abd}
        ModalityMasks masks = new ModalityMasks(base.presence(), groups);
        float[] z0 = trainingEmbeddings(base, masks);
        int[] changed = tokensOf(base);
        for (int mi : new int[] {1, 3}) {
            for (int p = 0; p < s; p++) {
                for (int k = 0; k < 2; k++) {
                    int c = p * base.totalK() + layout.columnOffset(mi) + k;
                    changed[c] = (changed[c] + 7) % 16;
                }
            }
        }
        float[] z1 = trainingEmbeddings(TokenBatch.of(1, s, base.totalK(), changed, base.presence(),
                base.channelIds()), masks);
        int d = model.config().embedDim();
        for (int mi = 0; mi < m; mi++) {
            float[] a = Arrays.copyOfRange(z0, mi * s * d, (mi + 1) * s * d);
            float[] b = Arrays.copyOfRange(z1, mi * s * d, (mi + 1) * s * d);
            double diff = TestModels.maxAbsDiff(a, b);
            if (groups[mi] == 0) {
                assertEquals(0.0, diff, 0.0, "group-0 modality " + mi + " saw group 1");
            } else {
                assertTrue(diff > 0, "group-1 modality " + mi + " must change with its own tokens");
            }
        }
        // Without groups, the same change reaches every modality through the modality layers.
        float[] all0 = trainingEmbeddings(base, new ModalityMasks(base.presence(), null));
        float[] all1 = trainingEmbeddings(TokenBatch.of(1, s, base.totalK(), changed, base.presence(),
                base.channelIds()), new ModalityMasks(base.presence(), null));
        assertTrue(TestModels.maxAbsDiff(Arrays.copyOfRange(all0, 0, s * d), Arrays.copyOfRange(all1, 0, s * d)) > 0);
    }

    private static float[] trainingEmbeddings(TokenBatch batch, ModalityMasks masks) {
        try (NDManager step = model.parameters().manager().newSubManager()) {
            return model.trainingForward(batch, masks, step).embeddings().toFloatArray();
        }
    }

    @Test
    void noNanWithAllButOneOrAllModalitiesAbsent() {
        int s = 9;
        TokenBatch base = TestModels.randomBatch(layout, 1, s, 4);
        int[] tokens = tokensOf(base);
        for (boolean[] presence : new boolean[][] {{false, false, true, false}, {false, false, false, false}}) {
            TokenBatch b = TokenBatch.of(1, s, base.totalK(), tokens, presence, base.channelIds());
            float[] z = TestModels.embed(model, b);
            for (float v : z) {
                assertFalse(Float.isNaN(v) || Float.isInfinite(v), "non-finite embedding with presence "
                        + Arrays.toString(presence));
            }
            try (NDManager step = model.parameters().manager().newSubManager()) {
                TrainingOutput out = model.trainingForward(b, new ModalityMasks(presence, new int[] {0, 1, 1, 0}), step);
                float loss = out.lossValue();
                assertFalse(Float.isNaN(loss) || Float.isInfinite(loss), "loss " + loss);
                float[] per = out.perModalityLoss();
                for (int i = 0; i < presence.length; i++) {
                    assertEquals(!presence[i], Float.isNaN(per[i]), "per-modality loss " + Arrays.toString(per));
                }
                if (!presence[2]) {
                    assertEquals(0f, loss, "nothing present: zero loss");
                }
            }
        }
    }
}
