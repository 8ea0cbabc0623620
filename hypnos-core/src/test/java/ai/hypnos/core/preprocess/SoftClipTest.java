package ai.hypnos.core.preprocess;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Soft clipping against numpy's float32 computation. */
class SoftClipTest {

    @Test
    void equalsNumpyFloat32() {
        double[] x = Golden.doubles(Golden.get("softclip").get("x"));
        double[] expected = Golden.doubles(Golden.get("softclip").get("y"));
        SoftClip clip = new SoftClip();
        double[] actual = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            actual[i] = clip.apply((float) x[i]);
        }
        Golden.assertClose(expected, actual, 1e-7, "soft clip");
    }

    @Test
    void identityInsideKneeContinuousAndSlowOutside() {
        SoftClip clip = new SoftClip();
        assertEquals(7.5f, clip.apply(7.5f));
        assertEquals(-8f, clip.apply(-8f));
        assertEquals(8f, clip.apply(8.000001f), 1e-5f);
        // 1000 sigma compresses to 8 + 2 log1p(496) ≈ 20.4.
        assertEquals(8 + 2 * Math.log1p(496), clip.apply(1000f), 1e-4);
        assertEquals(-clip.apply(1000f), clip.apply(-1000f));
        assertTrue(Float.isNaN(clip.apply(Float.NaN)));
    }
}
