package ai.hypnos.tokenizer.nn;

import ai.hypnos.nn.HostData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import ai.hypnos.tokenizer.Rng;

/**
 * U(−bound, bound) drawn from our own {@link Rng} rather than libtorch's global generator, so an
 * initialisation is the same on every device and for every thread interleaving. With
 * bound = 1/√fan_in this is PyTorch's default for conv and linear weights and biases.
 */
public final class SeededUniform implements Initializer {
    private final Rng rng;
    private final float bound;

    public SeededUniform(Rng rng, double bound) {
        this.rng = rng;
        this.bound = (float) bound;
    }

    /** PyTorch's default bound for a conv or linear layer with this fan-in. */
    public static SeededUniform fanIn(Rng rng, long fanIn) {
        return new SeededUniform(rng, 1.0 / Math.sqrt(fanIn));
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2f * rng.nextFloat() - 1f) * bound;
        }
        return HostData.floats(manager, v, shape).toType(dataType, false);
    }
}
