package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import ai.hypnos.transformer.weights.ModelParameters;

/** A LayerNorm over the last axis (ε 1e-5, affine), as {@code torch.nn.LayerNorm}. */
public final class LayerNormWeights {
    private static final float EPS = 1e-5f;
    private final NDArray weight;
    private final NDArray bias;

    /** The LayerNorm whose tensors are {@code prefix.weight} and {@code prefix.bias}. */
    public LayerNormWeights(ModelParameters p, String prefix) {
        this.weight = p.get(prefix + ".weight");
        this.bias = p.get(prefix + ".bias");
    }

    public NDArray apply(NDArray x) {
        return LayerNorm.layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, EPS).singletonOrThrow();
    }
}
