package ai.hypnos.tokenizer.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.SafetensorsWriter;
import ai.hypnos.core.safetensors.TensorInfo;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.nn.HostData;
import ai.hypnos.tokenizer.rvq.VectorQuantizer;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tokenizer's tensors under the reference's state-dict names (DESIGN §7), read from and
 * written to safetensors with a key prefix ({@code tok/<stem>/} in a bundle).
 *
 * <p>The names come from the module tree ({@link SignalTokenizer#namedParameters()}) plus the
 * quantizer's buffers, listed by {@link #names}: this class is the one place where tensors and
 * names meet. Loading is strict: every expected tensor must be present with the expected shape
 * and a floating-point dtype (F32, F16 or BF16 — decoded to float32 in Java, never by libtorch);
 * a tensor under the prefix that the tokenizer does not have is an error. Missing EMA buffers
 * (a bundle stripped for inference) are rebuilt from the codebook; the rotary tables of the
 * optional transformers are derived from the head size and only checked for presence of shape.
 */
public final class TokenizerWeights {
    private TokenizerWeights() {}

    /** Buffer names of quantizer level i (relative to the tokenizer). */
    static String level(int i) {
        return "quantizer.quantizers." + i + ".";
    }

    /** Every tensor name this tokenizer reads and writes, in bundle order (relative to the prefix). */
    public static List<String> names(SignalTokenizer tok) {
        Set<String> out = new LinkedHashSet<>(tok.namedParameters().keySet());
        for (int i = 0; i < tok.numQuantizers(); i++) {
            for (String b : List.of("embedding.weight", "ema_cluster_size", "ema_embed_sum", "initialized", "usage_count")) {
                out.add(level(i) + b);
            }
        }
        out.addAll(tok.rotaryBuffers().keySet());
        return List.copyOf(out);
    }

    /**
     * Loads {@code prefix + name} for every tensor of {@code tok} from {@code file}.
     *
     * @throws HypnosFormatException naming the tensor, the expected and the found shape/dtype
     */
    public static void load(SignalTokenizer tok, SafetensorsFile file, String prefix) throws IOException {
        Set<String> known = new LinkedHashSet<>(names(tok));
        for (String key : file.tensorNames()) {
            if (key.startsWith(prefix) && !known.contains(key.substring(prefix.length()))) {
                throw new HypnosFormatException(file.file(), key, "present",
                        "tensor is not part of this tokenizer's configuration (check tokenizer_kwargs)");
            }
        }
        try (NDManager tmp = tok.manager().newSubManager()) {
            for (Map.Entry<String, Parameter> e : tok.namedParameters().entrySet()) {
                NDArray target = e.getValue().getArray();
                float[] data = floats(file, prefix + e.getKey(), target.getShape());
                target.set(new NDIndex(":"), HostData.floats(tmp, data, target.getShape()));
            }
            for (int i = 0; i < tok.numQuantizers(); i++) {
                loadLevel(tok.quantizer().levels().get(i), file, prefix + level(i), tmp);
            }
            for (Map.Entry<String, float[][]> e : tok.rotaryBuffers().entrySet()) {
                String key = prefix + e.getKey();
                if (file.contains(key)) {
                    float[][] v = e.getValue();
                    long[] expected = e.getKey().endsWith("freqs") ? new long[] {v[0].length} : new long[] {v.length, v[0].length};
                    checkShape(file, key, expected);
                }
            }
        }
    }

    private static void loadLevel(VectorQuantizer q, SafetensorsFile file, String base, NDManager tmp) throws IOException {
        Shape codes = new Shape(q.size(), q.dim());
        float[] embedding = floats(file, base + "embedding.weight", codes);
        NDArray emb = HostData.floats(tmp, embedding, codes);
        q.setCodes(emb);
        if (file.contains(base + "ema_cluster_size") && file.contains(base + "ema_embed_sum")) {
            q.emaClusterSize().set(new NDIndex(":"), HostData.floats(tmp, floats(file, base + "ema_cluster_size", new Shape(q.size())), new Shape(q.size())));
            q.emaEmbedSum().set(new NDIndex(":"), HostData.floats(tmp, floats(file, base + "ema_embed_sum", codes), codes));
        } else {
            // Inference-only bundle: counts of one make the sums equal the codes, so training could go on.
            q.emaClusterSize().set(new NDIndex(":"), tmp.ones(new Shape(q.size())));
            q.emaEmbedSum().set(new NDIndex(":"), emb);
        }
        String initKey = base + "initialized";
        if (file.contains(initKey)) {
            TensorInfo info = file.info(initKey);
            if (info.dtype() != SafetensorsDtype.BOOL || info.elementCount() != 1) {
                throw new HypnosFormatException(file.file(), initKey, info.dtype() + " " + Arrays.toString(info.shape()),
                        "expected a BOOL scalar");
            }
            q.setInitialized(file.bools(initKey)[0]);
        } else {
            q.setInitialized(true);
        }
        String usageKey = base + "usage_count";
        if (file.contains(usageKey)) {
            checkShape(file, usageKey, new long[] {q.size()});
            TensorInfo info = file.info(usageKey);
            if (!info.dtype().isInteger()) {
                throw new HypnosFormatException(file.file(), usageKey, info.dtype(), "expected an integer tensor");
            }
            q.usageCount().set(new NDIndex(":"), HostData.longs(tmp, file.longs(usageKey), new Shape(q.size())));
        }
    }

    private static float[] floats(SafetensorsFile file, String key, Shape expected) throws IOException {
        if (!file.contains(key)) {
            throw new HypnosFormatException(file.file(), key, "missing",
                    "tokenizer tensor not in the file (expected F32/F16/BF16 " + expected + ")");
        }
        TensorInfo info = file.info(key);
        if (!info.dtype().isFloatingPoint()) {
            throw new HypnosFormatException(file.file(), key, info.dtype(), "expected a floating-point tensor of shape " + expected);
        }
        checkShape(file, key, expected.getShape());
        return file.floats(key, true);
    }

    private static void checkShape(SafetensorsFile file, String key, long[] expected) throws IOException {
        long[] found = file.info(key).shape();
        if (!Arrays.equals(found, expected)) {
            throw new HypnosFormatException(file.file(), key, Arrays.toString(found),
                    "expected shape " + Arrays.toString(expected));
        }
    }

    /**
     * Adds every tensor of {@code tok} to {@code writer} as {@code prefix + name}; floating-point
     * tensors in {@code floatType} (F32, F16 or BF16, rounded in Java).
     */
    public static void write(SignalTokenizer tok, SafetensorsWriter writer, String prefix, SafetensorsDtype floatType) {
        if (!floatType.isFloatingPoint()) {
            throw new IllegalArgumentException("float tensors need a floating-point dtype, got " + floatType);
        }
        for (Map.Entry<String, Parameter> e : tok.namedParameters().entrySet()) {
            NDArray a = e.getValue().getArray();
            writer.add(prefix + e.getKey(), floatType, a.getShape().getShape(), a.toType(DataType.FLOAT32, false).toFloatArray());
        }
        for (int i = 0; i < tok.numQuantizers(); i++) {
            VectorQuantizer q = tok.quantizer().levels().get(i);
            String base = prefix + level(i);
            writer.add(base + "ema_cluster_size", floatType, new long[] {q.size()}, q.emaClusterSize().toFloatArray());
            writer.add(base + "ema_embed_sum", floatType, new long[] {q.size(), q.dim()}, q.emaEmbedSum().toFloatArray());
            writer.add(base + "embedding.weight", floatType, new long[] {q.size(), q.dim()}, q.embedding().toFloatArray());
            writer.add(base + "initialized", new long[0], new boolean[] {q.isInitialized()});
            writer.add(base + "usage_count", SafetensorsDtype.I64, new long[] {q.size()}, q.usageCount().toLongArray());
        }
        for (Map.Entry<String, float[][]> e : tok.rotaryBuffers().entrySet()) {
            float[][] v = e.getValue();
            boolean vector = e.getKey().endsWith("freqs");
            long[] shape = vector ? new long[] {v[0].length} : new long[] {v.length, v[0].length};
            float[] flat = new float[v.length * v[0].length];
            for (int r = 0; r < v.length; r++) {
                System.arraycopy(v[r], 0, flat, r * v[0].length, v[0].length);
            }
            writer.add(prefix + e.getKey(), floatType, shape, flat);
        }
    }

    /** The tensors as a name → shape map (for documentation and layout checks). */
    public static Map<String, long[]> shapes(SignalTokenizer tok) {
        Map<String, long[]> out = new LinkedHashMap<>();
        tok.namedParameters().forEach((k, p) -> out.put(k, p.getArray().getShape().getShape()));
        for (int i = 0; i < tok.numQuantizers(); i++) {
            VectorQuantizer q = tok.quantizer().levels().get(i);
            out.put(level(i) + "embedding.weight", new long[] {q.size(), q.dim()});
            out.put(level(i) + "ema_cluster_size", new long[] {q.size()});
            out.put(level(i) + "ema_embed_sum", new long[] {q.size(), q.dim()});
            out.put(level(i) + "initialized", new long[0]);
            out.put(level(i) + "usage_count", new long[] {q.size()});
        }
        tok.rotaryBuffers().forEach((k, v) -> out.put(k, k.endsWith("freqs") ? new long[] {v[0].length} : new long[] {v.length, v[0].length}));
        return out;
    }
}
