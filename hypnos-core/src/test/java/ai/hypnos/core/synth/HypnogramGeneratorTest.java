package ai.hypnos.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.synth.stages.HypnogramGenerator;
import ai.hypnos.core.synth.stages.SleepTraits;
import ai.hypnos.core.synth.stages.StageModel;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Sleep architecture of hypnograms drawn for a population of subjects, against textbook
 * figures for adults: stage shares of total sleep, ~90-min cycles, N3 early and REM late.
 */
class HypnogramGeneratorTest {

    @Test
    void populationArchitectureIsPhysiological() {
        HypnogramGenerator g = new HypnogramGenerator(StageModel.defaults());
        SynthRandom r = new SynthRandom(2024);
        int nights = 200;
        double[] share = new double[5];
        double efficiency = 0;
        double n3Early = 0;
        double n3Late = 0;
        double remEarly = 0;
        double remLate = 0;
        double cycleSum = 0;
        int cycles = 0;
        double latencySum = 0;
        int latencies = 0;
        for (int n = 0; n < nights; n++) {
            SubjectProfile p = SubjectProfile.sample("x", Site.AASM, r.fork(n), false);
            int[] l = g.generate(p.sleep(), 960, 20, 950, r.fork(1000 + n));
            int onset = -1;
            int last = -1;
            for (int e = 0; e < l.length; e++) {
                if (l[e] != 0) {
                    onset = onset < 0 ? e : onset;
                    last = e;
                }
            }
            assertTrue(onset >= 20, "nobody sleeps before lights off");
            double sleep = 0;
            for (int e = onset; e <= last; e++) {
                share[l[e]]++;
                sleep += l[e] != 0 ? 1 : 0;
            }
            efficiency += sleep / (950 - 20);
            int third = (last - onset + 1) / 3;
            for (int e = onset; e < onset + third; e++) {
                n3Early += l[e] == 3 ? 1 : 0;
                remEarly += l[e] == 4 ? 1 : 0;
            }
            for (int e = last - third + 1; e <= last; e++) {
                n3Late += l[e] == 3 ? 1 : 0;
                remLate += l[e] == 4 ? 1 : 0;
            }
            // REM period onsets: a REM epoch after at least 30 epochs (15 min) without REM
            int lastRem = -1000;
            int prevOnset = -1;
            for (int e = onset; e <= last; e++) {
                if (l[e] == 4) {
                    if (e - lastRem > 30) {
                        if (prevOnset < 0) {
                            latencySum += (e - onset) / 2.0;
                            latencies++;
                        } else {
                            cycleSum += (e - prevOnset) / 2.0;
                            cycles++;
                        }
                        prevOnset = e;
                    }
                    lastRem = e;
                }
            }
        }
        double tst = share[1] + share[2] + share[3] + share[4];
        double n1 = share[1] / tst;
        double n2 = share[2] / tst;
        double n3 = share[3] / tst;
        double rem = share[4] / tst;
        double cycle = cycleSum / cycles;
        double latency = latencySum / latencies;
        System.out.printf(Locale.ROOT, "N1 %.3f N2 %.3f N3 %.3f REM %.3f efficiency %.3f cycle %.1f min REM latency %.1f min%n",
                n1, n2, n3, rem, efficiency / nights, cycle, latency);
        assertTrue(n1 > 0.04 && n1 < 0.18, "N1 share " + n1);
        assertTrue(n2 > 0.45 && n2 < 0.65, "N2 share " + n2);
        assertTrue(n3 > 0.05 && n3 < 0.25, "N3 share " + n3);
        assertTrue(rem > 0.14 && rem < 0.27, "REM share " + rem);
        assertTrue(efficiency / nights > 0.75 && efficiency / nights < 0.97, "sleep efficiency " + efficiency / nights);
        assertTrue(n3Early > 3 * n3Late, "N3 concentrates in the first third");
        assertTrue(remLate > 1.5 * remEarly, "REM concentrates in the last third");
        assertTrue(cycle > 70 && cycle < 125, "REM-to-REM cycle " + cycle + " min");
        assertTrue(latency > 50 && latency < 130, "REM latency " + latency + " min");
    }

    @Test
    void sameSeedSameHypnogram() {
        HypnogramGenerator g = new HypnogramGenerator(StageModel.defaults());
        int[] a = g.generate(SleepTraits.typical(), 960, 20, 950, new SynthRandom(4));
        int[] b = g.generate(SleepTraits.typical(), 960, 20, 950, new SynthRandom(4));
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
    }
}
