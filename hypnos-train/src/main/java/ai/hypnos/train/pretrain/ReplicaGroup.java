package ai.hypnos.train.pretrain;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.weights.ModelParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Data parallelism by explicit gradient averaging: one model replica per device, each computing
 * gradients on its share of the batch; the gradients are summed into replica 0 (each share's loss
 * is normalised by the whole batch's denominators, so the sum is the batch's gradient), replica 0
 * takes the optimiser step, and its
 * weights are copied back to the others.
 *
 * <p>Replicas run one after the other on the calling thread: DJL's PyTorch gradient collector is
 * one per process and libtorch's grad mode is per thread, so concurrent backward passes would need
 * engine internals. On CPU "devices" this gives the one-device result (same global batch) with
 * the memory of a share per replica; on several GPUs the kernels of consecutive replicas still
 * queue asynchronously, but backward passes do not overlap — overlapping them is the GPU work's
 * next step (issue 12).
 */
final class ReplicaGroup implements AutoCloseable {
    private final List<RqTransformer> replicas = new ArrayList<>();

    /**
     * Replica 0 is {@code master} (owned by the caller); the others are copies on {@code devices[1..]}
     * in its data type.
     */
    ReplicaGroup(RqTransformer master, List<Device> devices) {
        replicas.add(master);
        if (devices.size() > 1) {
            Map<String, float[]> host = master.parameters().toHost();
            for (int r = 1; r < devices.size(); r++) {
                ModelParameters p = ModelParameters.fromValues(master.parameters().layout(), devices.get(r),
                        master.parameters().dataType(), spec -> host.get(spec.name()));
                RqTransformer copy = RqTransformer.of(master.config(), p, null, null);
                copy.parameters().requireGradients(true);
                replicas.add(copy);
            }
        }
    }

    int size() {
        return replicas.size();
    }

    RqTransformer master() {
        return replicas.get(0);
    }

    RqTransformer replica(int r) {
        return replicas.get(r);
    }

    /** Adds every other replica's gradients to replica 0's (moved to its device). */
    void sumGradientsIntoMaster(NDManager scope) {
        if (replicas.size() == 1) {
            return;
        }
        ModelParameters master = master().parameters();
        Device target = master.device();
        for (String name : master.names()) {
            NDArray g = master.gradient(name, scope);
            for (int r = 1; r < replicas.size(); r++) {
                NDArray other = replicas.get(r).parameters().gradient(name, scope);
                if (!other.getDevice().equals(target)) {
                    other = other.toDevice(target, false);
                    other.attach(scope);
                }
                g.addi(other);
            }
        }
    }

    /** Copies replica 0's weights into the others and zeroes their gradients. */
    void copyWeightsFromMaster(NDManager scope) {
        ModelParameters master = master().parameters();
        for (int r = 1; r < replicas.size(); r++) {
            ModelParameters p = replicas.get(r).parameters();
            for (String name : master.names()) {
                NDArray w = master.get(name);
                NDArray src = w;
                if (!w.getDevice().equals(p.device())) {
                    src = w.toDevice(p.device(), false); // a copy, owned by the weights' manager until attached
                    src.attach(scope);
                }
                p.get(name).set(new NDIndex(":"), src);
            }
            p.zeroGradients();
        }
    }

    /** Closes the copies (not replica 0). */
    @Override
    public void close() {
        for (int r = 1; r < replicas.size(); r++) {
            replicas.get(r).close();
        }
    }
}
