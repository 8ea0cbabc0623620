package ai.hypnos.eval.baseline;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * A small 1-D CNN for epoch classification from raw signals (in the spirit of DeepSleepNet's and
 * U-Sleep's encoders, much smaller): four conv → batch-norm → ReLU stages with pooling, global
 * average pooling over time, dropout and a linear classifier. Input {@code [B, C, T]} (channels,
 * samples of the epoch and its context), output logits {@code [B, classes]}.
 */
public final class EpochCnn {
    private EpochCnn() {
    }

    /**
     * @param filters channels of the first stage (doubled in the later ones)
     * @param classes output classes
     */
    public static SequentialBlock build(int filters, int classes) {
        SequentialBlock net = new SequentialBlock();
        // Stage 1: stride 4 brings 128 Hz down to 32 Hz before the heavier stages.
        stage(net, filters, 15, 4);
        net.add(Pool.maxPool1dBlock(new Shape(4)));
        stage(net, filters * 2, 7, 1);
        net.add(Pool.maxPool1dBlock(new Shape(4)));
        stage(net, filters * 2, 7, 1);
        net.add(Pool.maxPool1dBlock(new Shape(2)));
        stage(net, filters * 4, 5, 1);
        net.add(Pool.globalAvgPool1dBlock());
        net.add(Dropout.builder().optRate(0.3f).build());
        net.add(Linear.builder().setUnits(classes).build());
        return net;
    }

    private static void stage(SequentialBlock net, int filters, int kernel, int stride) {
        net.add(Conv1d.builder().setKernelShape(new Shape(kernel)).setFilters(filters)
                .optStride(new Shape(stride)).optPadding(new Shape(kernel / 2)).optBias(false).build());
        net.add(BatchNorm.builder().build());
        net.add(Activation.reluBlock());
    }
}
