package ai.hypnos.tokenizer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.nn.HostData;
import ai.hypnos.tokenizer.Rng;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The attention layers' streaming cache: a sequence fed in pieces attends exactly as when fed
 * whole, and the cache holds what the window needs — window−1 positions, none for window 1,
 * every position for an unlimited window (which logs, once, that memory will grow).
 */
class RopeTransformerStreamingTest {
    private static final int DIM = 8;
    private static final int HEADS = 2;
    private static final int LEN = 23;
    private static final int[] PIECES = {3, 1, 5, 2, 7, 5};

    @Test
    void piecesEqualOnePassAndTheCacheHoldsWhatTheWindowNeeds() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = HostData.floats(m, CausalConvTest.randoms(2 * LEN * DIM, 8), new Shape(2, LEN, DIM));
            for (int window : new int[] {0, 1, 3, 5}) {
                RopeTransformerLayer layer = new RopeTransformerLayer(DIM, HEADS, 16, window, 0.5, new Rng(window + 1));
                layer.initialize(m, DataType.FLOAT32, new Shape(1));
                float[] whole = layer.forward(x).toFloatArray();
                try (StreamState state = new StreamState(m)) {
                    NDList outs = new NDList();
                    int pos = 0;
                    for (int n : PIECES) {
                        outs.add(layer.forward(x.get(new NDIndex(":, {}:{}, :", pos, pos + n)), pos, null, null, state));
                        pos += n;
                    }
                    assertEquals(LEN, pos);
                    assertArrayEquals(whole, NDArrays.concat(outs, 1).toFloatArray(), 1e-5f, "window " + window);
                    NDArray keys = state.get(layer, "k");
                    if (window == 1) {
                        assertNull(keys, "window 1 attends to nothing earlier: no cache");
                        assertNull(state.get(layer, "v"));
                    } else {
                        long expected = window == 0 ? LEN : window - 1;
                        assertEquals(new Shape(2, HEADS, expected, DIM / HEADS), keys.getShape(), "window " + window);
                        assertEquals(keys.getShape(), state.get(layer, "v").getShape());
                    }
                }
            }
        }
    }

    /** Window 1 is attention to the position itself: each position's output is that of the position alone. */
    @Test
    void windowOneSeesOnlyThePositionItself() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = HostData.floats(m, CausalConvTest.randoms(LEN * DIM, 9), new Shape(1, LEN, DIM));
            RopeTransformerLayer layer = new RopeTransformerLayer(DIM, HEADS, 16, 1, 0.5, new Rng(4));
            layer.initialize(m, DataType.FLOAT32, new Shape(1));
            NDArray whole = layer.forward(x);
            for (int t : new int[] {0, 7, LEN - 1}) {
                NDArray alone = layer.forward(x.get(new NDIndex(":, {}:{}, :", t, t + 1)), t, null, null, null);
                assertArrayEquals(whole.get(new NDIndex(":, {}:{}, :", t, t + 1)).toFloatArray(), alone.toFloatArray(), 1e-5f,
                        "position " + t);
            }
        }
    }

    @Test
    void streamingWithAnUnlimitedWindowWarnsOnceThatMemoryGrows() {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (NDManager m = NDManager.newBaseManager()) {
            RopeTransformer unlimited = new RopeTransformer(DIM, 2, HEADS, 16, 0, 0.5, new Rng(6));
            unlimited.initialize(m, DataType.FLOAT32, new Shape(1));
            RopeTransformer windowed = new RopeTransformer(DIM, 2, HEADS, 16, 4, 0.5, new Rng(6));
            windowed.initialize(m, DataType.FLOAT32, new Shape(1));
            NDArray x = HostData.floats(m, CausalConvTest.randoms(4 * DIM, 3), new Shape(1, 4, DIM));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            for (int stream = 0; stream < 2; stream++) {
                try (StreamState state = new StreamState(m)) {
                    unlimited.forward(x, 0, state);
                    unlimited.forward(x, 4, state);
                    windowed.forward(x, 0, state);
                }
            }
            unlimited.forward(x); // whole sequences keep no cache: no warning
        } finally {
            System.setErr(oldErr);
        }
        String log = err.toString(StandardCharsets.UTF_8);
        int warnings = log.split("unlimited attention window", -1).length - 1;
        assertEquals(1, warnings, log);
    }
}
