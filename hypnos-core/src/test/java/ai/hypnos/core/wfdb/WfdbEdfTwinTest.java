package ai.hypnos.core.wfdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code test_generator_2}: an EDF+ file written by EDFlib and its WFDB (format 16) conversion
 * by wfdb-python. Read by two independent readers, they must give the same samples: identical
 * digital values, and physical values equal up to the converter's rounding of the scaling.
 */
class WfdbEdfTwinTest {
    @Test
    void wfdbTwinGivesTheSamePhysicalSamplesAsTheEdf() throws IOException {
        Path hea = TestData.record("edf/test_generator_2.hea", "edf/test_generator_2.dat");
        try (WfdbRecording wfdb = WfdbReader.open(hea);
                EdfRecording edf = EdfReader.open(TestData.path("edf/test_generator_2.edf"))) {
            assertEquals(edf.signals().size(), wfdb.signals().size());
            assertEquals(edf.startTime(), wfdb.startTime());
            assertEquals(edf.durationSeconds(), wfdb.durationSeconds(), 1e-9);
            for (int s = 0; s < edf.signals().size(); s++) {
                SignalInfo e = edf.signals().get(s);
                SignalInfo w = wfdb.signals().get(s);
                assertEquals(e.label(), w.label());
                assertEquals(e.sampleRate(), w.sampleRate());
                assertEquals(e.sampleCount(), w.sampleCount());
                // the stored integers are identical
                assertArrayEquals(edf.readDigital(s, 0, (int) e.sampleCount()),
                        wfdb.readDigital(s, 0, (int) w.sampleCount()), e.label());
                // physical values: EDF maps [-32768, 32767] onto [pmin, pmax], which puts physical 0
                // half a step off digital 0; the converter rounded that half-step offset into a WFDB
                // baseline of 0 and the gain to 4 decimals. So values agree within half a step.
                double[] a = edf.read(s);
                double[] b = wfdb.read(s);
                double step = 1 / wfdb.spec(s).gain();
                double worst = 0;
                for (int i = 0; i < a.length; i++) {
                    worst = Math.max(worst, Math.abs(a[i] - b[i]));
                }
                assertTrue(worst <= step / 2 + 1e-6, e.label() + ": largest difference " + worst + ", step " + step);
            }
        }
    }
}
