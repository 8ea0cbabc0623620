package ai.hypnos.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.hypnos.transformer.generate.SamplingOptions;
import ai.hypnos.transformer.masking.ModalityMasks;
import ai.hypnos.transformer.weights.ModelParameters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A tiny model memorises one short sequence (proof that gradients reach every part), then
 * generation reproduces it: greedy continuation of a prompt and imputation of a modality from the
 * others both walk the streaming path and the depth sampler, so agreement with the sequence the
 * teacher-forced loss learned ties the three paths together.
 */
@TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class OverfitAndGenerateTest {
    private static RqTransformer model;
    private static TokenBatch batch;
    private static final List<Float> LOSSES = new ArrayList<>();
    private static final Map<String, Double> FIRST_GRADIENT = new HashMap<>();

    @BeforeAll
    static void train() {
        model = RqTransformer.initialize(TestModels.tiny(), Device.cpu(), 3);
        batch = TestModels.randomBatch(model.layout(), 1, 12, 42);
        ModelParameters p = model.parameters();
        p.requireGradients(true);
        Map<String, NDArray[]> adam = new HashMap<>();
        NDManager state = p.manager().newSubManager();
        double lr = 1e-2;
        double b1 = 0.9;
        double b2 = 0.99;
        ModalityMasks masks = new ModalityMasks(batch.presence(), null);
        // Adam until the loss is near zero (stopping early: late steps with an lr-sized Adam step on
        // vanishing gradients only add noise).
        for (int step = 1; step <= 400 && (LOSSES.isEmpty() || LOSSES.get(LOSSES.size() - 1) > 2e-3); step++) {
            try (NDManager stepManager = p.manager().newSubManager()) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    TrainingOutput out = model.trainingForward(batch, masks, stepManager);
                    gc.backward(out.loss());
                    LOSSES.add(out.lossValue());
                }
                for (String name : p.names()) {
                    NDArray w = p.get(name);
                    NDArray g = p.gradient(name, stepManager);
                    if (step == 1) {
                        FIRST_GRADIENT.put(name, (double) g.abs().sum().getFloat());
                    }
                    NDArray[] mv = adam.computeIfAbsent(name, n -> new NDArray[] {
                        state.zeros(w.getShape()), state.zeros(w.getShape())});
                    mv[0].muli(b1).addi(g.mul(1 - b1));
                    mv[1].muli(b2).addi(g.square().mul(1 - b2));
                    double c1 = 1 - Math.pow(b1, step);
                    double c2 = 1 - Math.pow(b2, step);
                    NDArray update = mv[0].div(c1).div(mv[1].div(c2).sqrt().add(1e-8)).mul(lr);
                    w.subi(update);
                }
                p.zeroGradients();
            }
        }
        p.requireGradients(false);
        state.close();
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void everyParameterGetsAGradient() {
        for (String name : model.parameters().names()) {
            assertTrue(FIRST_GRADIENT.get(name) > 0, "no gradient reached " + name);
        }
        assertEquals(model.parameters().names().size(), FIRST_GRADIENT.size());
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void lossFallsNearZero() {
        float first = LOSSES.get(0);
        float last = LOSSES.get(LOSSES.size() - 1);
        assertEquals(Math.log(16), first, 0.3, "initial loss should be close to ln V");
        assertTrue(last < 0.01, "final loss " + last + " after " + LOSSES.size() + " steps (first " + first + ")");
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void greedyContinuationReproducesTheMemorisedSequence() {
        int[][] rows = TestModels.rows(batch);
        int[][] prompt = java.util.Arrays.copyOfRange(rows, 0, 3);
        int[][] out = model.generator().continuePrompt(prompt, batch.presence(), batch.channelIds(), 9,
                SamplingOptions.greedy());
        assertEquals(12, out.length);
        for (int t = 0; t < 12; t++) {
            assertArrayEquals(rows[t], out[t], "second " + t);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void imputationRecoversAModalityFromTheOthers() {
        int[][] rows = TestModels.rows(batch);
        int resp = model.layout().indexOf("resp_abd");
        boolean[] known = {true, true, true, false};
        boolean[] generate = {false, false, false, true};
        int[][] out = model.generator().impute(rows, known, generate, batch.channelIds(), SamplingOptions.greedy());
        for (int t = 0; t < rows.length; t++) {
            assertArrayEquals(rows[t], out[t], "second " + t + " (resp_abd columns " + model.layout().columnOffset(resp)
                    + "..)");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void samplingIsReproducibleForASeed() {
        int[][] prompt = java.util.Arrays.copyOfRange(TestModels.rows(batch), 0, 2);
        SamplingOptions opts = new SamplingOptions(1.5, 8, 0.9, 99);
        int[][] a = model.generator().continuePrompt(prompt, batch.presence(), batch.channelIds(), 6, opts);
        int[][] b = model.generator().continuePrompt(prompt, batch.presence(), batch.channelIds(), 6, opts);
        assertArrayEquals(a, b);
        for (int[] row : a) {
            for (int v : row) {
                assertTrue(v >= 0 && v < 16);
            }
        }
    }
}
