package ai.hypnos.train.shard;

import ai.djl.Device;
import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.safetensors.SafetensorsFile;
import ai.hypnos.core.safetensors.TensorInfo;
import ai.hypnos.embed.bundle.BundleModality;
import ai.hypnos.embed.pipeline.ModalityBinding;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.io.TokenizerBundle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The trained tokenizers a cohort is tokenized with, loaded onto one device, and the shard
 * layout they imply.
 *
 * <p>Two sources:
 * <ul>
 *   <li>a <b>weight bundle</b> ({@code hypnos.safetensors}, published layout): its
 *       {@code modalities} list fixes the layout (which modalities, in which order, with which
 *       tokenizer stem);</li>
 *   <li>a <b>folder of tokenizer files</b> (what {@code hypnos train-tokenizer} writes: one
 *       bundle-layout safetensors file per signal type): the layout is every standard modality
 *       whose signal type has a tokenizer, in modality order.</li>
 * </ul>
 * Encoding is thread-safe (tokenizers only read their weights), so one set serves every worker
 * of a shard build. Close it to free the weights.
 */
public final class TokenizerSet implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path source;
    private final ShardLayout layout;
    private final Map<String, SignalTokenizer> tokenizers;
    private final Map<String, TokenizerIdentity> identities;
    private final Map<String, Path> files;

    private TokenizerSet(Path source, ShardLayout layout, Map<String, SignalTokenizer> tokenizers,
            Map<String, TokenizerIdentity> identities, Map<String, Path> files) {
        this.source = source;
        this.layout = layout;
        this.tokenizers = tokenizers;
        this.identities = identities;
        this.files = files;
    }

    /**
     * Loads the tokenizers of a bundle file or of every {@code .safetensors} file in a folder.
     *
     * @throws HypnosFormatException if a file is not in the bundle layout, two files define the
     *         same stem or signal type, or a bundle modality names a missing tokenizer
     */
    public static TokenizerSet open(Path dirOrBundle, Device device) throws IOException {
        List<Path> paths = new ArrayList<>();
        if (Files.isDirectory(dirOrBundle)) {
            try (Stream<Path> s = Files.list(dirOrBundle)) {
                s.filter(p -> p.getFileName().toString().endsWith(".safetensors") && Files.isRegularFile(p)).sorted()
                        .forEach(paths::add);
            }
            if (paths.isEmpty()) {
                throw new IOException("no .safetensors tokenizer files in " + dirOrBundle);
            }
        } else if (Files.isRegularFile(dirOrBundle)) {
            paths.add(dirOrBundle);
        } else {
            throw new IOException("no such tokenizer folder or bundle: " + dirOrBundle);
        }
        Map<String, SignalTokenizer> toks = new LinkedHashMap<>();
        Map<String, TokenizerIdentity> ids = new LinkedHashMap<>();
        Map<String, Path> from = new LinkedHashMap<>();
        Map<String, String> stemOfType = new LinkedHashMap<>();
        List<ShardModality> bundleModalities = null;
        try {
            for (Path p : paths) {
                try (SafetensorsFile f = SafetensorsFile.open(p)) {
                    JsonNode config = config(f);
                    for (String stem : TokenizerBundle.stems(f)) {
                        if (toks.containsKey(stem)) {
                            throw new HypnosFormatException(p, "config.tokenizers." + stem, from.get(stem).toString(),
                                    "tokenizer stem defined twice");
                        }
                        String type = signalType(f, config, stem);
                        String other = stemOfType.putIfAbsent(type, stem);
                        if (other != null && paths.size() > 1) {
                            throw new HypnosFormatException(p, "config.tokenizers." + stem + ".signal_type", type,
                                    "a tokenizer for this signal type is already in " + from.get(other).getFileName());
                        }
                        SignalTokenizer tok = TokenizerBundle.load(f, stem, device);
                        toks.put(stem, tok);
                        from.put(stem, p);
                        ids.put(stem, identity(f, stem, type, tok));
                    }
                    if (paths.size() == 1 && config.has("modalities")) {
                        bundleModalities = bundleLayout(f, config, toks);
                    }
                }
            }
            List<ShardModality> mods = bundleModalities != null ? bundleModalities : standardLayout(stemOfType, toks);
            if (mods.isEmpty()) {
                throw new HypnosFormatException(dirOrBundle, "config.tokenizers", stemOfType.keySet().toString(),
                        "no tokenizer for any of the signal types eeg, eog, emg, ecg, resp");
            }
            return new TokenizerSet(dirOrBundle, new ShardLayout(mods), toks, ids, from);
        } catch (IOException | RuntimeException e) {
            toks.values().forEach(SignalTokenizer::close);
            throw e;
        }
    }

    private static JsonNode config(SafetensorsFile f) throws IOException {
        String text = f.metadata().get("config");
        if (text == null) {
            throw new HypnosFormatException(f.file(), "__metadata__.config", "missing",
                    "not a tokenizer or model bundle (no config JSON)");
        }
        return JSON.readTree(text);
    }

    private static String signalType(SafetensorsFile f, JsonNode config, String stem) throws HypnosFormatException {
        String type = config.path("tokenizers").path(stem).path("signal_type").asText(stem);
        try {
            return SignalType.fromKey(type).key();
        } catch (IllegalArgumentException e) {
            throw new HypnosFormatException(f.file(), "config.tokenizers." + stem + ".signal_type", type,
                    "not a signal type (eeg, eog, emg, ecg, resp)");
        }
    }

    /** The bundle's own modality list, each with its tokenizer's K and V. */
    private static List<ShardModality> bundleLayout(SafetensorsFile f, JsonNode config, Map<String, SignalTokenizer> toks)
            throws HypnosFormatException {
        List<ShardModality> out = new ArrayList<>();
        int i = 0;
        for (JsonNode m : config.get("modalities")) {
            String field = "config.modalities[" + i++ + "]";
            String name = m.path("name").asText();
            String stem = m.path("tokenizer").asText(m.path("signal_type").asText());
            SignalTokenizer tok = toks.get(stem);
            if (tok == null) {
                throw new HypnosFormatException(f.file(), field + ".tokenizer", stem, "no tokenizer with this stem in the bundle");
            }
            try {
                out.add(new ShardModality(name, signalType(f, config, stem), stem, tok.numQuantizers(),
                        tok.config().codebookSize));
            } catch (IllegalArgumentException e) {
                throw new HypnosFormatException(f.file(), field, name, e.getMessage(), e);
            }
        }
        return out;
    }

    /** Every standard modality whose signal type has a tokenizer, in modality order. */
    private static List<ShardModality> standardLayout(Map<String, String> stemOfType, Map<String, SignalTokenizer> toks) {
        List<ShardModality> out = new ArrayList<>();
        for (Modality m : Modality.values()) {
            String stem = stemOfType.get(m.signalType().key());
            if (stem != null) {
                SignalTokenizer tok = toks.get(stem);
                out.add(new ShardModality(m.key(), m.signalType().key(), stem, tok.numQuantizers(), tok.config().codebookSize));
            }
        }
        return out;
    }

    /** SHA-256 over the tokenizer's configuration and its {@code tok/<stem>/} tensors. */
    private static TokenizerIdentity identity(SafetensorsFile f, String stem, String type, SignalTokenizer tok)
            throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(JSON.writeValueAsBytes(tok.config().toKwargs()));
        String prefix = "tok/" + stem + "/";
        List<String> names = f.tensorNames().stream().filter(n -> n.startsWith(prefix)).sorted().toList();
        for (String n : names) {
            TensorInfo t = f.info(n);
            sha.update(n.getBytes(StandardCharsets.UTF_8));
            sha.update(t.dtype().name().getBytes(StandardCharsets.UTF_8));
            ByteBuffer shape = ByteBuffer.allocate(8 * t.shape().length).order(ByteOrder.LITTLE_ENDIAN);
            for (long d : t.shape()) {
                shape.putLong(d);
            }
            sha.update(shape.array());
            sha.update(f.raw(n));
        }
        return new TokenizerIdentity(stem, type, tok.numQuantizers(), tok.config().codebookSize, tok.config().sampleRate,
                HexFormat.of().formatHex(sha.digest()));
    }

    /** Where the tokenizers were loaded from. */
    public Path source() {
        return source;
    }

    /** The shard layout these tokenizers produce. */
    public ShardLayout layout() {
        return layout;
    }

    /** The tokenizer of a stem. */
    public SignalTokenizer tokenizer(String stem) {
        SignalTokenizer t = tokenizers.get(stem);
        if (t == null) {
            throw new IllegalArgumentException("no tokenizer '" + stem + "' (have " + tokenizers.keySet() + ")");
        }
        return t;
    }

    /** Identities of the tokenizers the layout uses, by stem, in layout order. */
    public List<TokenizerIdentity> identities() {
        List<TokenizerIdentity> out = new ArrayList<>();
        for (ShardModality m : layout.modalities()) {
            TokenizerIdentity id = identities.get(m.tokenizer());
            if (!out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * The layout as the embedding pipeline's modality bindings (standard channel, preprocessing
     * and channel id per modality; its tokenizer; its first column).
     */
    public List<ModalityBinding> bindings() {
        List<ModalityBinding> out = new ArrayList<>();
        for (int i = 0; i < layout.size(); i++) {
            ShardModality m = layout.modality(i);
            Modality std = m.modality();
            out.add(new ModalityBinding(i, BundleModality.standard(std, m.tokenizer(), m.numQuantizers(), m.codebookSize()),
                    std, std.id(), tokenizer(m.tokenizer()), layout.columnOffset(i)));
        }
        return out;
    }

    /** The file each tokenizer came from (for bundling a trained model with its tokenizers). */
    public Map<String, Path> files() {
        return Map.copyOf(files);
    }

    /** The tokenizers by stem (for bundle assembly). */
    public Map<String, SignalTokenizer> tokenizers() {
        return java.util.Collections.unmodifiableMap(tokenizers);
    }

    @Override
    public void close() {
        tokenizers.values().forEach(SignalTokenizer::close);
    }
}
