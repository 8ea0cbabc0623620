package ai.hypnos.tokenizer.nn;

import ai.hypnos.nn.HostData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.hypnos.tokenizer.Rng;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The causal conv and transposed conv against direct loops written from their definitions
 * (PyTorch's Conv1d/ConvTranspose1d, reflect padding x[p]…x[1], weight norm g·v/‖v‖), and
 * streaming in pieces against one whole pass.
 */
class CausalConvTest {

    /** y[b,o,j] = bias[o] + Σ_c Σ_t w[o,c,t] · xp[b,c,j·s + t·d], xp left-padded by (k−1)·d. */
    static float[] directConv(float[] x, int batch, int cin, int len, float[] w, float[] bias, int cout, int k, int s, int d,
            boolean reflect) {
        int p = (k - 1) * d;
        int plen = len + p;
        int nOut = (plen - p - 1) / s + 1;
        float[] y = new float[batch * cout * nOut];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < cout; o++) {
                for (int j = 0; j < nOut; j++) {
                    double acc = bias[o];
                    for (int c = 0; c < cin; c++) {
                        for (int t = 0; t < k; t++) {
                            int q = j * s + t * d - p; // index into the unpadded input
                            double v;
                            if (q >= 0) {
                                v = x[(b * cin + c) * len + q];
                            } else {
                                v = reflect ? x[(b * cin + c) * len + (-q)] : 0;
                            }
                            acc += w[(o * cin + c) * k + t] * v;
                        }
                    }
                    y[(b * cout + o) * nOut + j] = (float) acc;
                }
            }
        }
        return y;
    }

    static float[] weightNormed(float[] v, float[] g, int rows) {
        int per = v.length / rows;
        float[] w = new float[v.length];
        for (int r = 0; r < rows; r++) {
            double n = 0;
            for (int i = 0; i < per; i++) {
                n += (double) v[r * per + i] * v[r * per + i];
            }
            double scale = g[r] / Math.sqrt(n);
            for (int i = 0; i < per; i++) {
                w[r * per + i] = (float) (v[r * per + i] * scale);
            }
        }
        return w;
    }

    @Test
    void convMatchesDirectLoopForEveryPaddingStrideAndDilation() {
        try (NDManager m = NDManager.newBaseManager()) {
            int[][] cases = {{3, 5, 7, 1, 1}, {4, 8, 8, 4, 1}, {6, 3, 3, 1, 4}, {2, 2, 1, 1, 1}};
            for (PadMode pad : PadMode.values()) {
                for (int[] c : cases) {
                    int cin = c[0], cout = c[1], k = c[2], s = c[3], d = c[4];
                    CausalConv1d conv = new CausalConv1d(cin, cout, k, s, d, ConvNorm.WEIGHT, pad, new Rng(k * 31L + s));
                    conv.initialize(m, DataType.FLOAT32, new Shape(1));
                    Map<String, Parameter> ps = conv.namedParameters();
                    // Gains different from ‖v‖ so the test sees whether g is used.
                    NDArray g = ps.get("conv.parametrizations.weight.original0").getArray();
                    g.set(new NDIndex(":"), g.mul(HostData.scalar(m, 1.7f)));
                    int batch = 2, len = 53;
                    float[] x = randoms(batch * cin * len, 7);
                    NDArray y = conv.forward(HostData.floats(m, x, new Shape(batch, cin, len)));
                    float[] w = weightNormed(ps.get("conv.parametrizations.weight.original1").getArray().toFloatArray(),
                            g.toFloatArray(), cout);
                    float[] expected = directConv(x, batch, cin, len, w, ps.get("conv.bias").getArray().toFloatArray(), cout, k, s, d,
                            pad == PadMode.REFLECT);
                    assertEquals(new Shape(batch, cout, (len + s - 1) / s), y.getShape(), "L_out = ceil(L/stride)");
                    assertArrayEquals(expected, y.toFloatArray(), 1e-4f, pad + " " + java.util.Arrays.toString(c));
                }
            }
        }
    }

    @Test
    void streamingInPiecesEqualsOnePass() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalConv1d conv = new CausalConv1d(3, 4, 8, 4, 1, ConvNorm.NONE, PadMode.REFLECT, new Rng(3));
            conv.initialize(m, DataType.FLOAT32, new Shape(1));
            int len = 203;
            NDArray x = HostData.floats(m, randoms(len * 3, 11), new Shape(1, 3, len));
            float[] whole = conv.forward(x).toFloatArray();
            Random r = new Random(5);
            try (StreamState state = new StreamState(m)) {
                NDList outs = new NDList();
                int pos = 0;
                boolean first = true;
                while (pos < len) {
                    // The first piece must hold the reflected context (k−1 = 7 samples and one more).
                    int n = Math.min(len - pos, first ? 9 : 1 + r.nextInt(17));
                    first = false;
                    outs.add(conv.forward(x.get(new NDIndex(":, :, {}:{}", pos, pos + n)), state));
                    pos += n;
                }
                float[] streamed = NDArrays.concat(outs, 2).toFloatArray();
                // Pieces reach libtorch's conv with other lengths than the whole pass, so they
                // agree to rounding, not bit for bit (the tokenizer's chunking takes care of that).
                assertArrayEquals(whole, streamed, 1e-5f);
            }
            // Closing the state must leave the conv whole: without weight norm the kernel is the
            // parameter's own array, which a state may use but never own.
            assertArrayEquals(whole, conv.forward(x).toFloatArray(), 0f, "the conv after its stream state closed");
        }
    }

    /** As above for the transposed conv without weight norm (its cached kernel matrix is a reshaped view). */
    @Test
    void transposedConvWithoutWeightNormOutlivesItsStreamState() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] c : new int[][] {{4, 3, 8, 4}, {3, 2, 5, 2}}) {
                CausalConvTranspose1d up = new CausalConvTranspose1d(c[0], c[1], c[2], c[3], ConvNorm.NONE, new Rng(c[2]));
                up.initialize(m, DataType.FLOAT32, new Shape(1));
                NDArray x = HostData.floats(m, randoms(2 * c[0] * 9, 4), new Shape(2, c[0], 9));
                float[] whole = up.forward(x).toFloatArray();
                try (StreamState state = new StreamState(m)) {
                    NDArray a = up.forward(x.get(new NDIndex(":, :, :5")), state);
                    NDArray b = up.forward(x.get(new NDIndex(":, :, 5:")), state);
                    assertArrayEquals(whole, NDArrays.concat(new NDList(a, b), 2).toFloatArray(), 1e-5f);
                }
                assertArrayEquals(whole, up.forward(x).toFloatArray(), 0f, "after the stream state closed " + java.util.Arrays.toString(c));
            }
        }
    }

    @Test
    void reflectPaddingNeedsMoreInputsThanThePad() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalConv1d conv = new CausalConv1d(1, 1, 7, 1, 1, ConvNorm.NONE, PadMode.REFLECT, new Rng(1));
            conv.initialize(m, DataType.FLOAT32, new Shape(1));
            assertThrows(IllegalArgumentException.class, () -> conv.forward(m.zeros(new Shape(1, 1, 6))));
        }
    }

    /**
     * PyTorch's ConvTranspose1d(stride r, padding 0): y[o, i·r + t] += Σ_c x[c, i] · w[c, o, t]; the
     * causal version keeps the first L·r outputs.
     */
    @Test
    void transposedConvMatchesDirectLoopAndStreams() {
        try (NDManager m = NDManager.newBaseManager()) {
            int[][] cases = {{6, 3, 8, 4}, {4, 2, 4, 2}, {3, 5, 5, 2}};
            for (int[] c : cases) {
                int cin = c[0], cout = c[1], k = c[2], r = c[3];
                CausalConvTranspose1d up = new CausalConvTranspose1d(cin, cout, k, r, ConvNorm.WEIGHT, new Rng(k));
                up.initialize(m, DataType.FLOAT32, new Shape(1));
                Map<String, Parameter> ps = up.namedParameters();
                NDArray g = ps.get("conv.parametrizations.weight.original0").getArray();
                g.set(new NDIndex(":"), g.mul(HostData.scalar(m, 0.6f)));
                float[] w = weightNormed(ps.get("conv.parametrizations.weight.original1").getArray().toFloatArray(), g.toFloatArray(), cin);
                float[] bias = ps.get("conv.bias").getArray().toFloatArray();
                int batch = 2, len = 11;
                float[] x = randoms(batch * cin * len, 2);
                int full = (len - 1) * r + k;
                float[] expected = new float[batch * cout * len * r];
                for (int b = 0; b < batch; b++) {
                    double[] acc = new double[cout * full];
                    for (int i = 0; i < len; i++) {
                        for (int ci = 0; ci < cin; ci++) {
                            for (int o = 0; o < cout; o++) {
                                for (int t = 0; t < k; t++) {
                                    acc[o * full + i * r + t] += x[(b * cin + ci) * len + i] * w[(ci * cout + o) * k + t];
                                }
                            }
                        }
                    }
                    for (int o = 0; o < cout; o++) {
                        for (int q = 0; q < len * r; q++) {
                            expected[(b * cout + o) * len * r + q] = (float) (acc[o * full + q] + bias[o]);
                        }
                    }
                }
                NDArray xa = HostData.floats(m, x, new Shape(batch, cin, len));
                assertArrayEquals(expected, up.forward(xa).toFloatArray(), 1e-4f, java.util.Arrays.toString(c));
                try (StreamState state = new StreamState(m)) {
                    NDArray a = up.forward(xa.get(new NDIndex(":, :, :4")), state);
                    NDArray b2 = up.forward(xa.get(new NDIndex(":, :, 4:")), state);
                    assertArrayEquals(expected, NDArrays.concat(new NDList(a, b2), 2).toFloatArray(), 1e-4f);
                }
            }
        }
    }

    static float[] randoms(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
