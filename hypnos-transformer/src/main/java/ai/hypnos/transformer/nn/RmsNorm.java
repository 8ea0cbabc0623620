package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;

/**
 * RMSNorm over the last axis with ε = float32 machine epsilon, as {@code torch.nn.RMSNorm(hd)}
 * with its default {@code eps=None}: {@code x / sqrt(mean(x²) + ε) · w}.
 */
public final class RmsNorm {
    /** {@code torch.finfo(torch.float32).eps}. */
    public static final float EPS = 1.1920929e-07f;

    private RmsNorm() {
    }

    public static NDArray apply(NDArray x, NDArray weight) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.div(meanSquare.add(EPS).sqrt()).mul(weight);
    }
}
