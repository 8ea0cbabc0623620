package ai.hypnos.transformer.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.hypnos.transformer.weights.ParameterSpec.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
 *
 * <p>Parameters loaded only to run the model ({@link #inferenceOnly()}) may store tensors that
 * every pass would concatenate (Q/K/V, the code tables) as row blocks of one tensor
 * ({@link #sharedRows}), so the weights are held once and no pass copies them. Parameters to
 * train may be {@linkplain #packed packed} into a few flat tensors, so an optimiser updates them
 * with a few large ops.
 */
public final class ModelParameters implements AutoCloseable {
    private final ParameterLayout layout;
    private final NDManager manager;
    private final Map<String, NDArray> tensors;
    private final Map<List<String>, NDArray> shared = new HashMap<>();
    private final Map<String, List<String>> sharedGroupOf = new HashMap<>();
    private final List<PackedGroup> packedGroups;
    private volatile boolean inferenceOnly;

    private ModelParameters(ParameterLayout layout, NDManager manager, Map<String, NDArray> tensors,
            List<PackedGroup> packedGroups) {
        this.layout = layout;
        this.manager = manager;
        this.tensors = tensors;
        this.packedGroups = packedGroups;
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
            return new ModelParameters(layout, manager, out, List.of());
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
        return Collections.unmodifiableMap(tensors);
    }

    /**
     * A copy of these parameters in {@code dataType} whose tensors are stored group by group: the
     * tensors of one group (those {@code groupOf} maps to the same key) are consecutive parts of
     * one flat 1-D tensor, in state-dict order, and each named tensor is a view of its part.
     *
     * <p>Why: an optimiser step over the packed groups is a few ops on a few large tensors instead
     * of several ops per tensor (552 tensors for {@code base}); at ~20 µs per op through DJL on a
     * GPU that per-tensor work cost more than the update itself (issue 12). Gradients still land
     * per named tensor (an optimiser gathers them with one concatenation).
     *
     * @param groupOf  the group of each trainable parameter (e.g. decayed or not)
     * @param dataType FLOAT32 or FLOAT16
     */
    public ModelParameters packed(Function<ParameterSpec, String> groupOf, DataType dataType) {
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT16) {
            throw new IllegalArgumentException("parameters are float32 or float16, not " + dataType);
        }
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (String name : tensors.keySet()) {
            members.computeIfAbsent(groupOf.apply(layout.get(name)), k -> new ArrayList<>()).add(name);
        }
        NDManager target = NDManager.newBaseManager(device());
        target.setName("hypnos-transformer-weights");
        try {
            Map<String, NDArray> views = new LinkedHashMap<>();
            List<PackedGroup> groups = new ArrayList<>();
            for (Map.Entry<String, List<String>> g : members.entrySet()) {
                NDArray flat;
                try (NDManager tmp = manager.newSubManager()) {
                    NDList parts = new NDList();
                    for (String name : g.getValue()) {
                        NDArray part = tensors.get(name).reshape(-1);
                        part.attach(tmp);
                        parts.add(part);
                    }
                    flat = parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts, 0);
                    if (flat.getDataType() != dataType) {
                        NDArray cast = flat.toType(dataType, false);
                        flat.close();
                        flat = cast;
                    }
                    flat.attach(target);
                }
                flat.setName("packed:" + g.getKey());
                long offset = 0;
                for (String name : g.getValue()) {
                    long[] shape = layout.get(name).shape();
                    long size = new Shape(shape).size();
                    NDArray view;
                    try (NDArray part = flat.get(new NDIndex("{}:{}", offset, offset + size))) {
                        view = part.reshape(new Shape(shape)); // a view of a view: the same storage
                    }
                    view.attach(target);
                    view.setName(name);
                    views.put(name, view);
                    offset += size;
                }
                groups.add(new PackedGroup(g.getKey(), List.copyOf(g.getValue()), flat));
            }
            return new ModelParameters(layout, target, views, List.copyOf(groups));
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    /** The groups of {@linkplain #packed packed} parameters, in order; empty when not packed. */
    public List<PackedGroup> packedGroups() {
        return packedGroups;
    }

    /**
     * Marks these parameters as never trained (a loaded bundle that only embeds, streams and
     * generates): {@link #sharedRows} then stores fused tensors once, and
     * {@link #requireGradients requireGradients(true)} is refused. Call before building a model.
     */
    public ModelParameters inferenceOnly() {
        inferenceOnly = true;
        return this;
    }

    public boolean isInferenceOnly() {
        return inferenceOnly;
    }

    /**
     * The named tensors concatenated along axis 0 (row blocks in the order given), stored once:
     * for {@linkplain #inferenceOnly inference-only} parameters the named tensors are replaced by
     * views of their rows of this tensor, so a pass can use it without concatenating the weights
     * again. For {@code base} that copy was 360 MB per 2,048-s chunk (Q/K/V of 24 layers and 30
     * code tables), held to the chunk's end. Made on the first call for a list of names and kept;
     * {@code null} for trainable or {@linkplain #packed packed} parameters (a training pass concatenates inside its graph, so
     * gradients reach the named tensors) or when a name already belongs to another list.
     *
     * @param names parameter names (aliases resolve to their parameter), all with the same
     *              trailing shape
     */
    public synchronized NDArray sharedRows(List<String> names) {
        if (!inferenceOnly || !packedGroups.isEmpty()) {
            return null;
        }
        List<String> resolved = new ArrayList<>();
        for (String n : names) {
            ParameterSpec s = layout.get(n);
            resolved.add(s != null && s.kind() == Kind.TIED_ALIAS ? s.aliasOf() : n);
        }
        NDArray existing = shared.get(resolved);
        if (existing != null) {
            return existing;
        }
        if (resolved.stream().distinct().count() != resolved.size()
                || resolved.stream().anyMatch(sharedGroupOf::containsKey)) {
            return null;
        }
        NDList parts = new NDList();
        for (String n : resolved) {
            parts.add(get(n));
        }
        NDArray fused = NDArrays.concat(parts, 0);
        fused.attach(manager);
        fused.setName("shared:" + resolved.get(0));
        long row = 0;
        for (String n : resolved) {
            NDArray old = tensors.get(n);
            long rows = old.getShape().get(0);
            NDArray view = fused.get(new NDIndex("{}:{}", row, row + rows)); // a view: same storage
            view.attach(manager);
            view.setName(n);
            tensors.put(n, view);
            old.close();
            row += rows;
            sharedGroupOf.put(n, resolved);
        }
        shared.put(resolved, fused);
        return fused;
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
        if (on && inferenceOnly) {
            throw new IllegalStateException("these parameters were loaded for inference only (tensors share storage); "
                    + "load the model for training to train it");
        }
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
        for (NDArray a : tensors.values()) {
            // In place (clears NaN/Inf too), one native call and no new handle. Not
            // grad.set(…, 0f): DJL would copy the 0 from the host first, and on a GPU every such
            // copy waits for all queued kernels.
            JniUtils.zeroGrad((PtNDArray) a);
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
