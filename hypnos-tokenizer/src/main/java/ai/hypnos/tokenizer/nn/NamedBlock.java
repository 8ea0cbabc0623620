package ai.hypnos.tokenizer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A DJL block whose parameters and children carry the reference module's state-dict names.
 *
 * <p>DJL names child blocks {@code 01name}, {@code 02name}…; the published weights use PyTorch's
 * dotted state-dict names ({@code encoder.stages.0.2.conv.bias}). Each block here registers its
 * parameters and children under the PyTorch-local name, and {@link #namedParameters()} joins them
 * with dots — the one place where our blocks meet the bundle's tensor names.
 *
 * <p>Parameters are DJL {@link Parameter}s, created frozen (no gradient): inference never builds
 * an autograd graph; the trainer unfreezes what it trains. Initial values come from
 * {@link Initializer}s given at registration; {@link #afterInitialize()} lets a block derive
 * values from others (weight norm's g = ‖v‖).
 */
public abstract class NamedBlock extends AbstractBlock {
    private final Map<String, Parameter> localParameters = new LinkedHashMap<>();
    private final Map<String, NamedBlock> localChildren = new LinkedHashMap<>();
    private final Set<Parameter> noDecay = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Registers a parameter under its reference-local name (e.g. {@code conv.bias}). */
    protected final Parameter param(String name, Shape shape, Initializer init, boolean weightDecay) {
        Parameter p = Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(shape)
                .optInitializer(init)
                .optRequiresGrad(false)
                .build();
        addParameter(p);
        localParameters.put(name, p);
        if (!weightDecay) {
            noDecay.add(p);
        }
        return p;
    }

    /** Registers a child under its reference-local name (e.g. {@code initial_conv}, {@code 0}). */
    protected final <B extends NamedBlock> B child(String name, B block) {
        addChildBlock(name, block);
        localChildren.put(name, block);
        return block;
    }

    /** All parameters of this block and its descendants, by dotted reference name, in order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (Map.Entry<String, Parameter> e : localParameters.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, NamedBlock> e : localChildren.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out);
        }
    }

    /** Parameters exempt from AdamW's weight decay (biases, gains, norms, layer scales), recursively. */
    public final Set<Parameter> noDecayParameters() {
        Set<Parameter> out = Collections.newSetFromMap(new IdentityHashMap<>());
        out.addAll(noDecay);
        for (NamedBlock c : localChildren.values()) {
            out.addAll(c.noDecayParameters());
        }
        return out;
    }

    /** Initialises parameters (see {@link #param}) and children, then {@link #afterInitialize()}. */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        super.initialize(manager, dataType, inputShapes);
        afterInitialize();
    }

    /** Hook run once this block's parameters and children hold their initial values. */
    protected void afterInitialize() {}

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // Parameter shapes are fixed at construction, so children need no shape inference.
        for (NamedBlock c : localChildren.values()) {
            c.initialize(manager, dataType, inputShapes);
        }
    }

    /** The whole-sequence forward pass ({@code x} starts the sequence). */
    public abstract NDArray forward(NDArray x);

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(inputs.singletonOrThrow()));
    }

    /** Moves {@code a} (a fresh result of an op whose first operand was a parameter) into {@code scope}. */
    protected static NDArray own(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }
}
