package ai.hypnos.eval.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.annotation.Hypnogram;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-second embeddings → mean over present chosen modalities → 30-s epoch means, joined with labels. */
class EpochDatasetBuilderTest {
    static final int S = 95;
    static final int D = 3;

    /** Embedding of modality m at second s, column j: a value we can average by hand. */
    static float value(Modality m, int s, int j) {
        return m.id() * 100 + s + j * 0.25f;
    }

    static float[] modality(Modality m) {
        float[] e = new float[S * D];
        for (int s = 0; s < S; s++) {
            for (int j = 0; j < D; j++) {
                e[s * D + j] = value(m, s, j);
            }
        }
        return e;
    }

    /** EEG C3 throughout; ECG absent for the first 10 seconds. */
    static boolean[][] presence() {
        boolean[][] p = new boolean[S][Modality.COUNT];
        for (int s = 0; s < S; s++) {
            p[s][Modality.EEG_C3.id()] = true;
            p[s][Modality.ECG.id()] = s >= 10;
        }
        return p;
    }

    /** Expected epoch feature: mean over seconds of the mean over present chosen modalities. */
    static double expected(int epoch, int j, boolean eeg, boolean ecg) {
        double sum = 0;
        int n = 0;
        for (int s = epoch * 30; s < epoch * 30 + 30; s++) {
            double m = 0;
            int k = 0;
            if (eeg) {
                m += value(Modality.EEG_C3, s, j);
                k++;
            }
            if (ecg && s >= 10) {
                m += value(Modality.ECG, s, j);
                k++;
            }
            if (k > 0) {
                sum += m / k;
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void poolsMeanOverPresentModalitiesPerEpochAndDropsUnscored() throws Exception {
        Map<Modality, float[]> per = new EnumMap<>(Modality.class);
        per.put(Modality.EEG_C3, modality(Modality.EEG_C3));
        per.put(Modality.ECG, modality(Modality.ECG));
        InMemoryEmbeddings emb = new InMemoryEmbeddings(S, D, per, null, presence());
        // Epoch 1 unscored; epoch 3 (90–120 s) runs past the 95 s of embeddings.
        Hypnogram h = Hypnogram.ofLabels(new int[] {0, -1, 2, 4});
        LabeledDataset ds = EpochDatasetBuilder.staging(ModalitySelection.all()).add("s1", "r1", emb, h).build();
        assertEquals(2, ds.size());
        assertArrayEquals(new int[] {0, 2}, ds.y());
        assertEquals(0, ds.indexOf(0));
        assertEquals(2, ds.indexOf(1));
        for (int j = 0; j < D; j++) {
            assertEquals(expected(0, j, true, true), ds.x().get(0, j), 1e-3);
            assertEquals(expected(2, j, true, true), ds.x().get(1, j), 1e-3);
        }
        LabeledDataset ecgOnly = EpochDatasetBuilder.staging(ModalitySelection.of(Modality.ECG)).add("s1", "r1", emb, h).build();
        for (int j = 0; j < D; j++) {
            assertEquals(expected(0, j, false, true), ecgOnly.x().get(0, j), 1e-3);
        }
    }

    @Test
    void epochsWithoutChosenModalitiesAreDropped() throws Exception {
        Map<Modality, float[]> per = new EnumMap<>(Modality.class);
        per.put(Modality.ECG, modality(Modality.ECG));
        InMemoryEmbeddings noEeg = new InMemoryEmbeddings(S, D, per, null, null);
        InMemoryEmbeddings withEeg = new InMemoryEmbeddings(S, D, Map.of(Modality.EEG_C4, modality(Modality.EEG_C4)), null, null);
        LabeledDataset ds = EpochDatasetBuilder.staging(ModalitySelection.parse("eeg"))
                .add("a", "ra", noEeg, new int[] {1, 2, 3})
                .add("b", "rb", withEeg, new int[] {1, 2, 3})
                .build();
        assertEquals(List.of("b"), ds.subjects());
        assertEquals(3, ds.size());
    }

    @Test
    void embeddingFileRoundTrip(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("night.npz");
        boolean[] pres = new boolean[S * Modality.COUNT];
        boolean[][] p = presence();
        for (int s = 0; s < S; s++) {
            for (int m = 0; m < Modality.COUNT; m++) {
                pres[s * Modality.COUNT + m] = p[s][m];
            }
        }
        float[] mean = new float[S * D];
        java.util.Arrays.fill(mean, 7f);
        try (NpzWriter w = NpzWriter.begin(f, true)) {
            w.put("eeg_c3", NpyArray.ofFloat16(modality(Modality.EEG_C3), S, D));
            w.put("ecg", NpyArray.of(modality(Modality.ECG), S, D));
            w.put("mean", NpyArray.of(mean, S, D));
            w.put("presence", NpyArray.of(pres, S, Modality.COUNT));
            w.commit();
        }
        EmbeddingFile ef = EmbeddingFile.open(f);
        assertEquals(S, ef.seconds());
        assertEquals(D, ef.dim());
        assertEquals(true, ef.has(Modality.ECG));
        assertEquals(false, ef.has(Modality.EOG_E1));
        PerSecondEmbeddings all = ef.select(ModalitySelection.all());
        assertEquals(7f, all.values()[5], 0f, "the model's own mean is used for 'all'");
        PerSecondEmbeddings ecg = ef.select(ModalitySelection.of(Modality.ECG));
        assertEquals(false, ecg.defined()[3]);
        assertEquals(value(Modality.ECG, 40, 1), ecg.values()[40 * D + 1], 0f);
        PerSecondEmbeddings both = ef.select(ModalitySelection.parse("eeg_c3+ecg"));
        // float16 EEG: compare loosely.
        assertEquals((value(Modality.EEG_C3, 50, 0) + value(Modality.ECG, 50, 0)) / 2, both.values()[50 * D], 0.1);
        assertEquals(value(Modality.EEG_C3, 5, 0), both.values()[5 * D], 0.1);
    }

    /**
     * {@code hypnos embed} with a bundle of fewer than 8 modalities writes {@code presence} [M]
     * in the order of its {@code modalities} array: columns map through that array.
     */
    @Test
    void presenceColumnsFollowTheModalitiesArray(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("two.npz");
        try (NpzWriter w = NpzWriter.begin(f, false)) {
            w.put("ecg", NpyArray.of(modality(Modality.ECG), S, D));
            w.put("eeg_c3", NpyArray.of(modality(Modality.EEG_C3), S, D));
            w.put("modalities", NpyArray.ofStrings(new String[] {"ecg", "eeg_c3"}, 2));
            w.put("presence", NpyArray.of(new boolean[] {false, true}, 2));
            w.commit();
        }
        EmbeddingFile ef = EmbeddingFile.open(f);
        PerSecondEmbeddings ecg = ef.select(ModalitySelection.of(Modality.ECG));
        PerSecondEmbeddings eeg = ef.select(ModalitySelection.of(Modality.EEG_C3));
        for (int t = 0; t < S; t++) {
            assertEquals(false, ecg.defined()[t], "ECG is absent by the first presence column");
            assertEquals(true, eeg.defined()[t], "EEG C3 is present by the second");
        }
        assertEquals(value(Modality.EEG_C3, 7, 2), eeg.values()[7 * D + 2], 0f);
        Path g = dir.resolve("unknown.npz");
        try (NpzWriter w = NpzWriter.begin(g, false)) {
            w.put("ecg", NpyArray.of(modality(Modality.ECG), S, D));
            w.put("modalities", NpyArray.ofStrings(new String[] {"ecg", "spo2"}, 2));
            w.put("presence", NpyArray.of(new boolean[] {true, true}, 2));
            w.commit();
        }
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> EmbeddingFile.open(g));
        assertEquals("modalities", e.field());
        assertTrue(e.getMessage().contains("spo2"), e.getMessage());
    }

    @Test
    void badEmbeddingFilesNameTheProblem(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.npz");
        try (NpzWriter w = NpzWriter.begin(f, false)) {
            w.put("eeg_c3", NpyArray.of(new float[12], 4, 3));
            w.put("ecg", NpyArray.of(new float[15], 5, 3));
            w.commit();
        }
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> EmbeddingFile.open(f));
        assertEquals("ecg.shape", e.field());
        Path g = dir.resolve("presence.npz");
        try (NpzWriter w = NpzWriter.begin(g, false)) {
            w.put("mean", NpyArray.of(new float[12], 4, 3));
            w.put("presence", NpyArray.of(new boolean[5], 5));
            w.commit();
        }
        assertEquals("presence.shape", assertThrows(HypnosFormatException.class, () -> EmbeddingFile.open(g)).field());
        Path h = dir.resolve("onlymean.npz");
        try (NpzWriter w = NpzWriter.begin(h, false)) {
            w.put("mean", NpyArray.of(new float[12], 4, 3));
            w.commit();
        }
        assertThrows(HypnosFormatException.class, () -> EmbeddingFile.open(h).select(ModalitySelection.parse("ecg")));
    }

    @Test
    void modalitySelectionParsing() {
        assertEquals("all", ModalitySelection.parse("all").name());
        assertEquals("eeg_c3+eeg_c4", ModalitySelection.parse("eeg").name());
        assertEquals("ecg+resp_abd+resp_thx", ModalitySelection.parse("resp+ecg").name());
        assertEquals("all", ModalitySelection.parse("eeg,eog,emg,ecg,resp").name());
        assertThrows(IllegalArgumentException.class, () -> ModalitySelection.parse("eeg_c9"));
    }
}
