package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.hypnos.transformer.weights.ModelParameters;

/**
 * The position-wise FFN: {@code Linear(D,F) → GELU(erf) → Linear(F,D)} with biases (names
 * {@code ffn.0}, {@code ffn.2}), or SwiGLU {@code w_down(silu(w_gate x) · w_up x)} without biases.
 */
public final class FeedForward {
    private final boolean swiglu;
    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray b2;
    private final NDArray wGate;
    private final NDArray wUp;
    private final NDArray wDown;

    /** The FFN whose tensors live under {@code prefix} (e.g. {@code …temporal_layers.0.ffn}). */
    public FeedForward(ModelParameters p, String prefix, boolean swiglu) {
        this.swiglu = swiglu;
        if (swiglu) {
            wGate = p.get(prefix + ".w_gate.weight");
            wUp = p.get(prefix + ".w_up.weight");
            wDown = p.get(prefix + ".w_down.weight");
            w1 = b1 = w2 = b2 = null;
        } else {
            w1 = p.get(prefix + ".0.weight");
            b1 = p.get(prefix + ".0.bias");
            w2 = p.get(prefix + ".2.weight");
            b2 = p.get(prefix + ".2.bias");
            wGate = wUp = wDown = null;
        }
    }

    /** Applies the FFN to {@code x [..., D]} (call inside a {@link BlockScope}). */
    public NDArray apply(NDArray x) {
        if (swiglu) {
            NDArray gate = Linear.linear(x, wGate).singletonOrThrow();
            NDArray up = Linear.linear(x, wUp).singletonOrThrow();
            NDArray h = Activation.sigmoid(gate).mul(gate).mul(up);
            return Linear.linear(h, wDown).singletonOrThrow();
        }
        NDArray h = Activation.gelu(Linear.linear(x, w1, b1).singletonOrThrow());
        return Linear.linear(h, w2, b2).singletonOrThrow();
    }
}
