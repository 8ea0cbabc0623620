package ai.hypnos.embed.bundle;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.TensorInfo;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.io.TokenizerBundle;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.weights.ParameterLayout;
import ai.hypnos.transformer.weights.ParameterNames;
import ai.hypnos.transformer.weights.ParameterSpec;
import ai.hypnos.transformer.weights.TransformerBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a weight bundle in the published layout (DESIGN §7; {@code docs/bundle-format.md}).
 *
 * <p>Checks, in this order, each failing with a {@link HypnosFormatException} that names the
 * file, the tensor or config field, and what was expected and found:
 * <ol>
 *   <li>the safetensors container ({@link SafetensorsFile#open}: header length, offsets inside
 *       the file and not overlapping, byte counts equal to dtype × shape, known dtypes);</li>
 *   <li>the {@code config} metadata ({@link BundleConfig#parse}: present, valid JSON, consistent);</li>
 *   <li>every tensor lives under {@code model/} or {@code tok/<stem>/} of a configured tokenizer,
 *       and every configured tokenizer has tensors;</li>
 *   <li>the modality list agrees with the tensors (the per-group BOS vectors the list implies
 *       are the ones in the file);</li>
 *   <li>every floating-point tensor is finite;</li>
 *   <li>every tensor the configuration implies is present with its shape and a float dtype
 *       (F32, F16 or BF16, decoded to float32 in Java), and no other ({@code TransformerBundle},
 *       {@code TokenizerWeights}).</li>
 * </ol>
 */
public final class BundleReader {
    private static final Logger LOG = LoggerFactory.getLogger(BundleReader.class);

    /** Prefix of tokenizer tensors: {@code tok/<stem>/<name>}. */
    public static final String TOKENIZER_PREFIX = "tok/";

    private BundleReader() {
    }

    /** Reads only the configuration (no weights are decoded). */
    public static BundleConfig readConfig(Path file) throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            return checkedConfig(st);
        }
    }

    /**
     * Loads a bundle onto a device.
     *
     * @param weights              FLOAT32 or FLOAT16 for the transformer's weights (tokenizers always
     *                             run in float32: a rounding difference would flip codes)
     * @param tokenizerChunkTokens encoding chunk of the tokenizers in frames (tokens depend on it
     *                             at the last-ulp level; {@link SignalTokenizer#DEFAULT_CHUNK_TOKENS})
     */
    public static Bundle read(Path file, Device device, DataType weights, int tokenizerChunkTokens) throws IOException {
        if (weights != DataType.FLOAT32 && weights != DataType.FLOAT16) {
            throw new IllegalArgumentException("weights load as FLOAT32 or FLOAT16, not " + weights
                    + (weights == DataType.BFLOAT16 ? " (bf16 never reaches DJL: its JNI aborts the JVM on it)" : ""));
        }
        long t0 = System.nanoTime();
        BundleConfig config;
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            config = checkedConfig(st);
            st.checkAllFinite();
        }
        RqTransformer model = TransformerBundle.load(file, device, weights, true);
        Map<String, SignalTokenizer> tokenizers = new LinkedHashMap<>();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (String stem : config.tokenizers().keySet()) {
                tokenizers.put(stem, TokenizerBundle.load(st, stem, device, tokenizerChunkTokens));
            }
        } catch (IOException | RuntimeException e) {
            tokenizers.values().forEach(SignalTokenizer::close);
            model.close();
            throw e;
        }
        LOG.info("loaded bundle {} ({} modalities, tokenizers {}, {} weights on {}) in {} ms", file,
                config.modalities().size(), tokenizers.keySet(), weights, device, (System.nanoTime() - t0) / 1_000_000);
        return new Bundle(file, config, model, tokenizers);
    }

    /** The parsed config after the bundle-level checks that need only the header. */
    static BundleConfig checkedConfig(SafetensorsFile st) throws HypnosFormatException {
        Path file = st.file();
        String version = st.metadata().get("format_version");
        if (version != null && !BundleWriter.FORMAT_VERSION.equals(version.trim())) {
            throw new HypnosFormatException(file, "__metadata__.format_version", version,
                    "unsupported bundle format version (this library reads \"" + BundleWriter.FORMAT_VERSION + "\")");
        }
        BundleConfig config = BundleConfig.parse(st.metadata().get("config"), file);
        checkPrefixes(st, config);
        checkModalityGroups(st, config);
        return config;
    }

    private static void checkPrefixes(SafetensorsFile st, BundleConfig config) throws HypnosFormatException {
        Set<String> stemsWithTensors = new TreeSet<>();
        for (String name : st.tensorNames()) {
            if (name.startsWith(ParameterNames.BUNDLE_PREFIX)) {
                continue;
            }
            String stem = null;
            if (name.startsWith(TOKENIZER_PREFIX)) {
                int slash = name.indexOf('/', TOKENIZER_PREFIX.length());
                if (slash > 0) {
                    stem = name.substring(TOKENIZER_PREFIX.length(), slash);
                }
            }
            if (stem == null || !config.tokenizers().containsKey(stem)) {
                TensorInfo t = st.info(name);
                throw new HypnosFormatException(st.file(), name, t.dtype() + " " + Arrays.toString(t.shape()),
                        "unexpected tensor: bundle tensors are model/<name> or tok/<stem>/<name> with a stem of "
                                + "config.tokenizers " + config.tokenizers().keySet());
            }
            stemsWithTensors.add(stem);
        }
        for (String stem : config.tokenizers().keySet()) {
            if (!stemsWithTensors.contains(stem)) {
                throw new HypnosFormatException(st.file(), "config.tokenizers." + stem, "no tensors",
                        "the config lists this tokenizer but the file has no tok/" + stem + "/ tensors");
            }
        }
    }

    /** The BOS vectors the modality list implies (one per weight group) must be the file's. */
    private static void checkModalityGroups(SafetensorsFile st, BundleConfig config) throws HypnosFormatException {
        String bosPrefix = ParameterNames.BUNDLE_PREFIX + ParameterNames.bos("");
        Set<String> expected = new TreeSet<>();
        for (ParameterSpec spec : ParameterLayout.of(config.transformer()).all()) {
            String n = ParameterNames.BUNDLE_PREFIX + spec.name();
            if (n.startsWith(bosPrefix)) {
                expected.add(n.substring(bosPrefix.length()));
            }
        }
        Set<String> found = new TreeSet<>();
        for (String n : st.tensorNames()) {
            if (n.startsWith(bosPrefix)) {
                found.add(n.substring(bosPrefix.length()));
            }
        }
        if (!expected.equals(found)) {
            throw new HypnosFormatException(st.file(), "config.modalities", config.modalityNames(),
                    "inconsistent with the tensors: this modality list implies BOS vectors (one per signal-type group) "
                            + expected + " but the file holds " + found);
        }
    }
}
