package ai.hypnos.core.modality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.testing.TestData;
import java.io.IOException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * The golden fixture's {@code rec.edf} (C3-M2, C4-M1, ECG at 128 Hz, ABD at 32 Hz) resolved as
 * the reference pipeline resolved it: {@code golden.npz} holds the reference's resolved signals
 * ({@code raw__<modality>}) and rates ({@code raw_fs__<modality>}).
 */
class GoldenResolutionTest {
    @Test
    void goldenRecordingResolvesLikeTheReference() throws IOException {
        try (EdfRecording rec = EdfReader.open(TestData.path("golden/rec.edf"));
                NpzReader golden = NpzReader.open(TestData.path("golden/golden.npz"))) {
            ChannelResolution res = ChannelResolver.defaults().resolve(rec);
            assertEquals(EnumSet.of(Modality.EEG_C3, Modality.EEG_C4, Modality.ECG, Modality.RESP_ABD), res.present());
            for (Modality m : res.present()) {
                double[] want = golden.get("raw__" + m.key()).toDoubleArray();
                long fs = golden.get("raw_fs__" + m.key()).toLongArray()[0];
                assertEquals((double) fs, res.sampleRate(m), m.key());
                assertArrayEquals(want, res.read(m), 1e-9, m.key());
            }
            assertEquals("pre_referenced", res.report().entry(Modality.EEG_C3).derivation());
            assertEquals("direct", res.report().entry(Modality.RESP_ABD).derivation());
        }
    }
}
