package ai.hypnos.core.modality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.testing.TestData;
import ai.hypnos.core.wfdb.WfdbReader;
import ai.hypnos.core.wfdb.WfdbRecording;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ECG databases label leads bare ("MLII", "ii"): the resolver takes lead II as the ECG modality. */
class EcgDatabaseResolutionTest {

    @Test
    void mitBihLeadMl2FeedsEcg() throws Exception {
        try (WfdbRecording rec = WfdbReader.open(TestData.record("wfdb/100.hea", "wfdb/100.dat", "wfdb/100.atr"))) {
            ChannelResolution res = ChannelResolver.defaults().resolve(rec);
            assertEquals(Set.of(Modality.ECG), res.present());
            assertEquals(360.0, res.sampleRate(Modality.ECG));
            double[] ecg = res.read(Modality.ECG);
            assertEquals(650000, ecg.length);
            int ml2 = rec.indexOf("MLII").orElseThrow();
            assertEquals(rec.read(ml2, 0, 10)[3], ecg[3]);
            assertTrue(res.report().toString().contains("MLII"), res.report().toString());
        }
    }

    @Test
    void ptbLeadTwoPreferredOverLeadOne() throws Exception {
        try (WfdbRecording rec = WfdbReader.open(
                TestData.record("wfdb/s0010_re.hea", "wfdb/s0010_re.dat", "wfdb/s0010_re.xyz"))) {
            ChannelResolution res = ChannelResolver.defaults().resolve(rec);
            assertTrue(res.present().contains(Modality.ECG));
            int ii = rec.indexOf("ii").orElseThrow();
            assertEquals(rec.read(ii, 100, 1)[0], res.read(Modality.ECG)[100]);
        }
    }
}
