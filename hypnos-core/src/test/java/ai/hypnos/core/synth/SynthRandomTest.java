package ai.hypnos.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SynthRandomTest {

    @Test
    void sameSeedSameStream() {
        SynthRandom a = new SynthRandom(7);
        SynthRandom b = new SynthRandom(7);
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
        assertNotEquals(new SynthRandom(7).nextLong(), new SynthRandom(8).nextLong());
    }

    @Test
    void forksAreIndependentAndStable() {
        SynthRandom root = new SynthRandom(1);
        assertEquals(root.fork("ecg").nextLong(), new SynthRandom(1).fork("ecg").nextLong());
        assertNotEquals(root.fork("ecg").nextLong(), root.fork("eeg").nextLong());
        assertNotEquals(root.fork(1).nextLong(), root.fork(2).nextLong());
        // forking does not advance the parent
        SynthRandom p = new SynthRandom(3);
        p.fork("x");
        assertEquals(new SynthRandom(3).nextLong(), p.nextLong());
    }

    @Test
    void distributionsHaveTheirMoments() {
        SynthRandom r = new SynthRandom(11);
        int n = 200_000;
        double sg = 0;
        double sg2 = 0;
        double sw = 0;
        double sw2 = 0;
        double su = 0;
        double se = 0;
        double sgam = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            sg += g;
            sg2 += g * g;
            double w = r.nextWhite();
            sw += w;
            sw2 += w * w;
            su += r.nextDouble();
            se += r.exponential(2);
            sgam += r.gamma(3, 0.5);
        }
        assertEquals(0, sg / n, 0.01);
        assertEquals(1, sg2 / n, 0.01);
        assertEquals(0, sw / n, 0.01);
        assertEquals(1, sw2 / n, 0.01);
        assertEquals(0.5, su / n, 0.005);
        assertEquals(2, se / n, 0.03);
        assertEquals(1.5, sgam / n, 0.02);
    }

    @Test
    void categoricalFollowsWeights() {
        SynthRandom r = new SynthRandom(5);
        int[] counts = new int[3];
        for (int i = 0; i < 60_000; i++) {
            counts[r.categorical(new double[] {1, 0, 2})]++;
        }
        assertEquals(0, counts[1]);
        assertEquals(2.0, counts[2] / (double) counts[0], 0.06);
        assertThrows(IllegalArgumentException.class, () -> r.categorical(new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
    }
}
