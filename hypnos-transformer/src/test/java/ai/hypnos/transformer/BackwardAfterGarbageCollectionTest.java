package ai.hypnos.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.hypnos.transformer.masking.ModalityMasker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A training pass's gradients must not depend on what the garbage collector does between forward
 * and backward. On the CPU, DJL's {@code NDManager.create(float[]/long[])} makes tensors that
 * borrow a direct buffer which the garbage collector frees once the Java array object is closed;
 * autograd may still hold such a tensor for the backward pass (the loss weights of the depth
 * transformer's groups, gather indices). Here every block scope of the forward has closed, the
 * collector runs and freshly allocated native memory is filled with NaN before backward: freed
 * memory read by backward then shows up as NaN or changed gradients. (Pretraining runs hit this
 * about one run in four as NaN or a changed loss, before the loss weights became owned copies.)
 */
class BackwardAfterGarbageCollectionTest {
    /** K 2 modalities around a K 4 one: the K 2 group's members are not adjacent (gathered by index). */
    private static TransformerConfig config() {
        return Preset.TINY.config(List.of(new ModalitySpec("eeg_c3", "eeg", 2, 16),
                new ModalitySpec("eog_e1", "eog", 4, 16), new ModalitySpec("ecg", "ecg", 2, 16)));
    }

    private static Map<String, float[]> gradients(RqTransformer model, TokenBatch batch, boolean churn) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager step = model.parameters().manager().newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = model.trainingForward(batch,
                        ModalityMasker.inference(model.config(), batch.batch(), batch.presence()), step).loss();
                if (churn) {
                    overwriteFreedNativeMemory();
                }
                gc.backward(loss);
            }
            for (String n : model.parameters().names()) {
                out.put(n, model.parameters().gradient(n, step).toFloatArray());
            }
            model.parameters().zeroGradients();
        }
        return out;
    }

    /** Collects garbage (freeing unreachable direct buffers), then fills new native memory with NaN. */
    private static void overwriteFreedNativeMemory() {
        List<ByteBuffer> held = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(50); // the cleaner thread frees the buffers after the collection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int size = 8; size <= 4096; size += 8) {
                ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
                while (b.remaining() >= 4) {
                    b.putFloat(Float.NaN);
                }
                held.add(b);
            }
        }
        held.clear();
    }

    @Test
    void gradientsAreTheSameWhenTheCollectorRunsBeforeBackward() {
        try (RqTransformer model = RqTransformer.initialize(config(), Device.cpu(), 41)) {
            model.parameters().requireGradients(true);
            TokenBatch batch = TestModels.randomBatch(model.layout(), 2, 12, 5);
            Map<String, float[]> quiet = gradients(model, batch, false);
            for (int trial = 0; trial < 3; trial++) {
                Map<String, float[]> churned = gradients(model, batch, true);
                for (Map.Entry<String, float[]> e : quiet.entrySet()) {
                    float[] g = churned.get(e.getKey());
                    for (float v : g) {
                        assertTrue(Float.isFinite(v), e.getKey() + ": non-finite gradient after a collection");
                    }
                    assertArrayEquals(e.getValue(), g, e.getKey() + ": gradient changed by a collection");
                }
            }
        }
    }
}
