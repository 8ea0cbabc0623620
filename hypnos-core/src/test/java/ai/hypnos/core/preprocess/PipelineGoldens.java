package ai.hypnos.core.preprocess;

import ai.hypnos.core.modality.Modality;
import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks one pipeline golden case (synthetic input regenerated here, outputs at stored indices + statistics). */
final class PipelineGoldens {
    private PipelineGoldens() {
    }

    /** Runs the case and returns the largest absolute error at the stored indices. */
    static double check(JsonNode c, double tolerance) {
        Modality m = Modality.fromKey(c.get("modality").asText()).orElseThrow();
        double fs = c.get("fs_in").asDouble();
        int n = c.get("n_in").asInt();
        double[] x = SynthSignal.generate(n, fs, c.get("seed").asLong());
        PreprocessOptions options = PreprocessOptions.defaults().withNotchHz(c.get("notch").asDouble());
        float[] y = new ModalityPipeline(m, options).process(x, fs).samples();
        String what = m.key() + " from " + fs + " Hz, " + n + " samples";
        assertEquals(c.get("n_out").asInt(), y.length, what + ": output length");
        int[] idx = Golden.ints(c.get("indices"));
        double[] expected = Golden.doubles(c.get("values"));
        double worst = 0;
        for (int k = 0; k < idx.length; k++) {
            double err = Math.abs(y[idx[k]] - expected[k]);
            worst = Math.max(worst, err);
            assertTrue(err <= tolerance, what + ": sample " + idx[k] + " expected " + expected[k] + " got " + y[idx[k]]);
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int aboveKnee = 0;
        for (float v : y) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (Math.abs(v) > 8) {
                aboveKnee++;
            }
        }
        double mean = sum / y.length;
        double ss = 0;
        for (float v : y) {
            ss += (v - mean) * (v - mean);
        }
        assertEquals(c.get("mean").asDouble(), mean, tolerance, what + ": mean");
        assertEquals(c.get("std").asDouble(), Math.sqrt(ss / y.length), tolerance, what + ": std");
        assertEquals(c.get("min").asDouble(), min, tolerance, what + ": min");
        assertEquals(c.get("max").asDouble(), max, tolerance, what + ": max");
        assertEquals(c.get("above_knee").asInt(), aboveKnee, 2, what + ": samples beyond the knee");
        return worst;
    }
}
