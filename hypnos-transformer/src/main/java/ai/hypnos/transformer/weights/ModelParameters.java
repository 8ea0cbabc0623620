package ai.hypnos.transformer.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.transformer.weights.ParameterSpec.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The model's trainable tensors, by reference state-dict name, on one device.
 *
 * <p>Each tied tensor exists once, under its first name (the temporal code table); its second
 * name ({@code depth_transformer.per_group_embeddings…}) resolves to the same {@link NDArray}.
 * Owns an {@link NDManager}: closing this frees the weights.
 */
public final class ModelParameters implements AutoCloseable {
    private final ParameterLayout layout;
    private final NDManager manager;
    private final Map<String, NDArray> tensors;

    private ModelParameters(ParameterLayout layout, NDManager manager, Map<String, NDArray> tensors) {
        this.layout = layout;
        this.manager = manager;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * Parameters filled by {@code values} (name to row-major float32 data of the spec's shape).
     *
     * @param dataType FLOAT32 or FLOAT16
     */
    public static ModelParameters fromValues(ParameterLayout layout, Device device, DataType dataType,
            Function<ParameterSpec, float[]> values) {
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT16) {
            throw new IllegalArgumentException("parameters are float32 or float16, not " + dataType
                    + (dataType == DataType.BFLOAT16 ? " (bf16 aborts DJL's native engine; use float16)" : ""));
        }
        NDManager manager = NDManager.newBaseManager(device);
        manager.setName("hypnos-transformer-weights");
        try {
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (ParameterSpec s : layout.parameters()) {
                float[] data = values.apply(s);
                if (data.length != s.size()) {
                    throw new IllegalArgumentException(s.name() + ": " + data.length + " values for shape " + s);
                }
                NDArray a = manager.create(data, new Shape(s.shape()));
                if (dataType != DataType.FLOAT32) {
                    NDArray cast = a.toType(dataType, false);
                    a.close();
                    a = cast;
                }
                a.setName(s.name());
                out.put(s.name(), a);
            }
            return new ModelParameters(layout, manager, out);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Fresh parameters initialised as the reference does (N(0, 0.02) weights, zero biases, unit
     * norms, LayerScale value), reproducibly: each tensor draws from its own stream seeded by
     * {@code seed} and its name, so the result does not depend on device or order.
     */
    public static ModelParameters initialize(ParameterLayout layout, Device device, DataType dataType, long seed,
            double layerScaleInit) {
        return fromValues(layout, device, dataType, s -> initialValues(s, seed, layerScaleInit));
    }

    static float[] initialValues(ParameterSpec s, long seed, double layerScaleInit) {
        float[] v = new float[Math.toIntExact(s.size())];
        switch (s.init()) {
            case NORMAL -> {
                SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + s.name().hashCode());
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.02 * r.nextGaussian());
                }
            }
            case ONES -> java.util.Arrays.fill(v, 1f);
            case LAYER_SCALE -> java.util.Arrays.fill(v, (float) layerScaleInit);
            case ZEROS, NONE -> { }
        }
        return v;
    }

    /** The tensor of this name (a tied alias resolves to its parameter). */
    public NDArray get(String name) {
        NDArray a = tensors.get(name);
        if (a == null) {
            ParameterSpec s = layout.get(name);
            if (s != null && s.kind() == Kind.TIED_ALIAS) {
                a = tensors.get(s.aliasOf());
            }
        }
        if (a == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return a;
    }

    /** Whether a parameter (or alias) of this name exists. */
    public boolean has(String name) {
        ParameterSpec s = layout.get(name);
        return s != null && s.kind() != Kind.BUFFER;
    }

    /** Trainable parameters by name, in state-dict order, each tied tensor once. */
    public Map<String, NDArray> asMap() {
        return tensors;
    }

    /** Names of the trainable parameters, in state-dict order. */
    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** The manager that owns the weights (its device is the model's device). */
    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** Data type of the weights. */
    public DataType dataType() {
        return tensors.values().iterator().next().getDataType();
    }

    /** Number of trainable elements. */
    public long count() {
        return layout.parameterCount();
    }

    /** Turns gradient recording on or off for every parameter. */
    public void requireGradients(boolean on) {
        for (NDArray a : tensors.values()) {
            a.setRequiresGradient(on);
        }
    }

    /**
     * The gradient of a parameter as a new handle attached to {@code scope} (DJL creates a fresh
     * handle per call; attaching it keeps the weights' manager from collecting them).
     */
    public NDArray gradient(String name, NDManager scope) {
        NDArray g = get(name).getGradient();
        g.attach(scope);
        return g;
    }

    /**
     * Sets every gradient to zero (libtorch accumulates them across backward passes): call after
     * each optimiser step.
     */
    public void zeroGradients() {
        try (NDManager scope = manager.newSubManager()) {
            for (NDArray a : tensors.values()) {
                if (a.hasGradient()) {
                    NDArray g = a.getGradient();
                    g.attach(scope);
                    g.set(new NDIndex("..."), 0f); // in place, and clears NaN/Inf too
                }
            }
        }
    }

    /** Copies every tensor to host float32 arrays (name to row-major data). */
    public Map<String, float[]> toHost() {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                NDArray a = e.getValue();
                if (a.getDataType() != DataType.FLOAT32) {
                    NDArray f = a.toType(DataType.FLOAT32, false);
                    f.attach(scope);
                    out.put(e.getKey(), f.toFloatArray());
                } else {
                    out.put(e.getKey(), a.toFloatArray());
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
