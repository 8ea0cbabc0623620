package ai.hypnos.tokenizer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.hypnos.tokenizer.Rng;

/**
 * PyTorch's {@code nn.Linear} (y = x·Wᵀ + b over the last axis), reference names {@code weight}
 * [out, in] and {@code bias} [out]; default initialisation U(±1/√in).
 */
public final class Dense extends NamedBlock {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    public Dense(int in, int out, boolean withBias, Rng rng) {
        this.in = in;
        this.out = out;
        this.weight = param("weight", new Shape(out, in), SeededUniform.fanIn(rng, in), true);
        this.bias = withBias ? param("bias", new Shape(out), SeededUniform.fanIn(rng, in), false) : null;
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    public NDArray forward(NDArray x) {
        return Linear.linear(x, weight.getArray(), bias == null ? null : bias.getArray()).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long[] dims = s.getShape().clone();
        dims[dims.length - 1] = out;
        return new Shape[] {new Shape(dims)};
    }

    @Override
    public String toString() {
        return "Dense(" + in + "→" + out + (bias == null ? ", no bias)" : ")");
    }
}
