package ai.hypnos.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.spectral.BandPowers;
import ai.hypnos.core.spectral.Welch;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole 8-hour nights at every site: night architecture (N3 early, REM late), stage physiology
 * through channel resolution, and generation cost (CPU time of the generating thread, well
 * under the 10-s budget even on a loaded machine).
 */
@Tag("long")
class SyntheticNightLongTest {

    @ParameterizedTest
    @EnumSource(Site.class)
    void eightHourNight(Site site) throws IOException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        SyntheticNight night = SyntheticNight.generate(SubjectProfile.typical("long-" + site.key(), site), 8, 77);
        double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        System.out.printf(Locale.ROOT, "%s: 8-h night in %.2f s CPU; %s%n", site.key(), cpu, night.hypnogram());
        assertTrue(cpu < 10, "generation took " + cpu + " s of CPU");
        int[] y = night.latentHypnogram().labels();
        assertEquals(960, y.length);

        int third = y.length / 3;
        int n3Early = 0;
        int n3Late = 0;
        int remEarly = 0;
        int remLate = 0;
        for (int e = 0; e < third; e++) {
            n3Early += y[e] == 3 ? 1 : 0;
            remEarly += y[e] == 4 ? 1 : 0;
            n3Late += y[y.length - 1 - e] == 3 ? 1 : 0;
            remLate += y[y.length - 1 - e] == 4 ? 1 : 0;
        }
        assertTrue(n3Early > n3Late, "N3 early " + n3Early + " late " + n3Late);
        assertTrue(remLate > remEarly, "REM early " + remEarly + " late " + remLate);

        ChannelResolution res = ChannelResolver.defaults().resolve(night.recording());
        Modality m = res.has(Modality.EEG_C3) ? Modality.EEG_C3 : Modality.EEG_C4;
        double[] eeg = res.read(m);
        double fs = res.sampleRate(m);
        double[] emg = res.read(Modality.EMG_CHIN);
        double fe = res.sampleRate(Modality.EMG_CHIN);
        // per-stage medians over epochs: robust to the movement artefacts of wake
        List<List<double[]>> perStage = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            perStage.add(new ArrayList<>());
        }
        for (int e = 0; e < y.length; e++) {
            BandPowers bp = BandPowers.of(Welch.psd(SignalMeasures.slice(eeg, fs, e * 30, 30), fs, (int) (4 * fs)));
            perStage.get(y[e]).add(new double[] {bp.absolute("delta"), bp.relative("alpha"),
                SignalMeasures.rms(SignalMeasures.slice(emg, fe, e * 30, 30))});
        }
        double[] delta = new double[5];
        double[] alpha = new double[5];
        double[] emgRms = new double[5];
        for (int s = 0; s < 5; s++) {
            List<double[]> rows = perStage.get(s);
            assertTrue(!rows.isEmpty(), "stage " + s + " present");
            delta[s] = SignalMeasures.median(rows.stream().mapToDouble(r -> r[0]).toArray());
            alpha[s] = SignalMeasures.median(rows.stream().mapToDouble(r -> r[1]).toArray());
            emgRms[s] = SignalMeasures.median(rows.stream().mapToDouble(r -> r[2]).toArray());
        }
        System.out.printf(Locale.ROOT, "%s: median delta %s, alpha %s, EMG %s%n", site.key(),
                java.util.Arrays.toString(delta), java.util.Arrays.toString(alpha), java.util.Arrays.toString(emgRms));
        assertTrue(delta[3] > delta[2] && delta[2] > delta[0], "delta N3 > N2 > W");
        for (int s = 1; s < 5; s++) {
            assertTrue(alpha[0] > alpha[s], "relative alpha highest in wake");
        }
        for (int s = 0; s < 4; s++) {
            assertTrue(emgRms[4] < emgRms[s], "chin EMG lowest in REM");
        }
    }
}
