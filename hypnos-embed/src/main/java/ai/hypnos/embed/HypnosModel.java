package ai.hypnos.embed;

import ai.djl.Device;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.embed.bundle.Bundle;
import ai.hypnos.embed.bundle.BundleConfig;
import ai.hypnos.embed.bundle.BundleWriter;
import ai.hypnos.embed.generate.Generated;
import ai.hypnos.embed.generate.SignalGenerator;
import ai.hypnos.embed.pipeline.ChunkedEmbedder;
import ai.hypnos.embed.pipeline.ModalityBinding;
import ai.hypnos.embed.pipeline.RecordingPipeline;
import ai.hypnos.embed.stream.EmbeddingStream;
import ai.hypnos.embed.stream.StreamOptions;
import ai.hypnos.transformer.generate.SamplingOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded Hypnos model: the RQ-Transformer and its tokenizers from one bundle, with the
 * pipeline that turns a recording into embeddings (DESIGN §3–§6):
 * <ol>
 *   <li>resolve the bundle's channels in the recording ({@code ChannelResolver}, with aliases);</li>
 *   <li>preprocess each present modality as its config says (resample, causal band filter,
 *       notch, rolling z-score, soft clip);</li>
 *   <li>tokenize it with its tokenizer, truncate every modality to the shortest;</li>
 *   <li>run the temporal transformer in chunks ({@link EmbedOptions#chunkTokens()}), one native
 *       memory scope per chunk, straight into the result.</li>
 * </ol>
 *
 * <p><b>Thread safety.</b> A {@code HypnosModel} is safe for concurrent use: {@code embed},
 * {@code tokenize}, {@code preprocess}, {@code synthesize}, {@code impute} and {@code stream} may
 * be called from many threads at once (the weights are only read; every call has its own
 * scopes), and give the same numbers as one thread. What they return ({@link Embeddings},
 * {@link TokenizedRecording}, {@link Generated}) is immutable. An {@link EmbeddingStream} is for
 * one thread. {@link #close()} must not overlap with calls in flight.
 */
public final class HypnosModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HypnosModel.class);

    private final Bundle bundle;
    private final LoadOptions options;
    private final List<ModalityBinding> bindings;
    private final RecordingPipeline pipeline;
    private volatile boolean closed;

    /** Wraps a loaded bundle (use {@link Hypnos#load}); the model owns and closes it. */
    public HypnosModel(Bundle bundle, LoadOptions options) {
        this.bundle = bundle;
        this.options = options;
        this.bindings = ModalityBinding.of(bundle);
        this.pipeline = new RecordingPipeline(bindings);
    }

    // ------------------------------------------------------------------ embedding

    /** Embeds a recording file (EDF/EDF+/BDF/BDF+, WFDB {@code .hea}) with the model's default options. */
    public Embeddings embed(Path recording) throws IOException {
        return embed(recording, options.embedDefaults());
    }

    /** Embeds a recording file. */
    public Embeddings embed(Path recording, EmbedOptions embedOptions) throws IOException {
        try (Recording r = Recordings.open(recording)) {
            return embed(r, embedOptions);
        }
    }

    /**
     * Embeds a recording file straight into an NPZ (the keys of {@link Embeddings#writeNpz}, the
     * same bytes): the rows of each array go to disk chunk by chunk, so memory holds the tokens
     * and one chunk, not the night's embeddings. What {@code hypnos embed} uses. The file appears
     * atomically; nothing is left behind on failure.
     */
    public EmbeddingSummary embedToNpz(Path recording, EmbedOptions embedOptions, Path target) throws IOException {
        requireOpen();
        long t0 = System.nanoTime();
        TokenizedRecording tokens;
        try (Recording r = Recordings.open(recording)) {
            tokens = tokenize(r, embedOptions);
        }
        long t1 = System.nanoTime();
        EmbeddingSummary out = ChunkedEmbedder.writeNpz(bundle.model(), tokens, embedOptions.chunkTokens(),
                embedOptions.outputType(), target);
        LOG.info("{}: {} s of {} embedded into {} (preprocess + tokenize {} ms, transformer and writing {} ms)",
                recording.getFileName(), out.seconds(), out.present(), target.getFileName(), (t1 - t0) / 1_000_000,
                (System.nanoTime() - t1) / 1_000_000);
        return out;
    }

    /** {@link #embedToNpz(Path, EmbedOptions, Path)} with the model's default options. */
    public EmbeddingSummary embedToNpz(Path recording, Path target) throws IOException {
        return embedToNpz(recording, options.embedDefaults(), target);
    }

    /** Embeds an open recording with the model's default options. */
    public Embeddings embed(Recording recording) throws IOException {
        return embed(recording, options.embedDefaults());
    }

    /**
     * Embeds an open recording: resolve → preprocess → tokenize → chunked transformer.
     *
     * @throws IllegalArgumentException when none of the bundle's modalities is present or the
     *                                  recording is shorter than one token
     */
    public Embeddings embed(Recording recording, EmbedOptions embedOptions) throws IOException {
        requireOpen();
        long t0 = System.nanoTime();
        TokenizedRecording tokens = tokenize(recording, embedOptions);
        long t1 = System.nanoTime();
        Embeddings e = embedTokens(tokens, embedOptions);
        LOG.info("{}: {} s of {} embedded (preprocess + tokenize {} ms, transformer {} ms)",
                recording.source() == null ? "recording" : recording.source().getFileName(), e.seconds(), e.present(),
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        return e;
    }

    /**
     * Embeds signals that are already preprocessed (float32 at each modality's rate), by bundle
     * modality name; no channel report. Only the modalities {@link EmbedOptions#modalities()}
     * selects are used, as in {@link #embed(Recording, EmbedOptions)}: the others are left out
     * before tokenizing, so they neither enter the mean nor shorten the recording.
     *
     * @throws IllegalArgumentException when a name is not a modality of the bundle, or none of the
     *                                  selected modalities is among the signals
     */
    public Embeddings embedSignals(Map<String, float[]> preprocessed, EmbedOptions embedOptions) {
        requireOpen();
        return embedTokens(tokenizeSignals(preprocessed, embedOptions), embedOptions);
    }

    /**
     * Embeds tokens (e.g. from a token shard). Modalities that {@link EmbedOptions#modalities()}
     * does not select are treated as absent (zero tokens, presence false, channel id 0, what a
     * recording without them gives). The tokens keep their length: if a left-out modality was the
     * shortest, the seconds it cut off are not recovered.
     *
     * @throws IllegalArgumentException when the tokens are for other modalities, or no selected
     *                                  modality is present in them
     */
    public Embeddings embedTokens(TokenizedRecording tokens, EmbedOptions embedOptions) {
        requireOpen();
        if (!tokens.modalities().equals(modalities())) {
            throw new IllegalArgumentException("tokens are for modalities " + tokens.modalities() + ", this model has "
                    + modalities());
        }
        TokenizedRecording chosen = keepSelected(tokens, embedOptions);
        return ChunkedEmbedder.embed(bundle.model(), chosen, embedOptions.chunkTokens(), embedOptions.outputType());
    }

    /** {@code tokens} with the modalities the options do not select marked absent. */
    private TokenizedRecording keepSelected(TokenizedRecording tokens, EmbedOptions embedOptions) {
        List<String> selected = pipeline.selected(embedOptions).stream().map(ModalityBinding::name).toList();
        List<String> names = tokens.modalities();
        boolean[] presence = tokens.presence().clone();
        List<String> dropped = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (presence[i] && !selected.contains(names.get(i))) {
                presence[i] = false;
                dropped.add(names.get(i));
            }
        }
        if (dropped.isEmpty()) {
            return tokens;
        }
        boolean any = false;
        for (boolean p : presence) {
            any |= p;
        }
        if (!any) {
            throw new IllegalArgumentException("none of the selected modalities " + selected
                    + " is present in the tokens (present: " + dropped + ")");
        }
        int[] ks = tokens.numQuantizers();
        int totalK = tokens.totalK();
        int[] data = tokens.tokens().clone();
        int[] channelIds = tokens.channelIds().clone();
        int offset = 0;
        for (int i = 0; i < names.size(); i++) {
            if (!presence[i] && tokens.presence()[i]) {
                channelIds[i] = 0;
                for (int s = 0; s < tokens.seconds(); s++) {
                    java.util.Arrays.fill(data, s * totalK + offset, s * totalK + offset + ks[i], 0);
                }
            }
            offset += ks[i];
        }
        List<String> notes = new ArrayList<>(tokens.notes());
        notes.add("left out (not among the selected modalities " + selected + "): " + dropped);
        return new TokenizedRecording(names, ks, data, tokens.seconds(), presence, channelIds, tokens.report(), notes);
    }

    /** The signals of the modalities the options select; every name must be one of the bundle's. */
    private Map<String, float[]> selectedSignals(Map<String, float[]> preprocessed, EmbedOptions embedOptions) {
        for (String n : preprocessed.keySet()) {
            if (!modalities().contains(n)) {
                throw new IllegalArgumentException("signal for '" + n + "', which is not a modality of this bundle "
                        + modalities());
            }
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ModalityBinding b : pipeline.selected(embedOptions)) {
            float[] x = preprocessed.get(b.name());
            if (x != null) {
                out.put(b.name(), x);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("none of the selected modalities " + embedOptions.modalities()
                    + " is among the signals given " + preprocessed.keySet());
        }
        return out;
    }

    /** Resolves and preprocesses a recording: float32 signals at each modality's rate, by modality name. */
    public RecordingPipeline.Preprocessed preprocess(Recording recording, EmbedOptions embedOptions) throws IOException {
        requireOpen();
        return pipeline.preprocess(recording, embedOptions);
    }

    /** Resolves, preprocesses and tokenizes a recording (the first three stages of {@link #embed}). */
    public TokenizedRecording tokenize(Recording recording, EmbedOptions embedOptions) throws IOException {
        requireOpen();
        RecordingPipeline.Preprocessed p = pipeline.preprocess(recording, embedOptions);
        return pipeline.tokenize(p.signals(), p.report(), p.notes(), embedOptions.threads());
    }

    /** Tokenizes preprocessed signals (by modality name) with the model's default options. */
    public TokenizedRecording tokenizeSignals(Map<String, float[]> preprocessed) {
        return tokenizeSignals(preprocessed, options.embedDefaults());
    }

    /**
     * Tokenizes preprocessed signals (by modality name), only those of the modalities
     * {@link EmbedOptions#modalities()} selects.
     *
     * @throws IllegalArgumentException when a name is not a modality of the bundle, or none of the
     *                                  selected modalities is among the signals
     */
    public TokenizedRecording tokenizeSignals(Map<String, float[]> preprocessed, EmbedOptions embedOptions) {
        requireOpen();
        return pipeline.tokenize(selectedSignals(preprocessed, embedOptions), null, List.of(), embedOptions.threads());
    }

    // ------------------------------------------------------------------ streaming and generation

    /** Opens a live stream (see {@link EmbeddingStream}); close it when done. */
    public EmbeddingStream stream(StreamOptions streamOptions) {
        requireOpen();
        return new EmbeddingStream(bundle.model(), bindings, streamOptions, options.embedDefaults());
    }

    /**
     * Synthesises modalities from a cold start: {@code seconds} seconds, decoded to waveforms.
     *
     * @param targets modality names to generate (the rest are masked out)
     */
    public Generated synthesize(List<String> targets, int seconds, SamplingOptions sampling) {
        requireOpen();
        return new SignalGenerator(bundle.model(), bindings).synthesize(targets, seconds, null, sampling);
    }

    /** Continues a recording's tokens by {@code seconds} seconds of the given modalities. */
    public Generated continueRecording(TokenizedRecording prompt, List<String> targets, int seconds,
            SamplingOptions sampling) {
        requireOpen();
        return new SignalGenerator(bundle.model(), bindings).synthesize(targets, seconds, prompt.rows(), sampling);
    }

    /**
     * Imputes modalities from the others: the recording is tokenized without the targets (even
     * if it has them), and the targets are sampled second by second conditioned on the rest.
     */
    public Generated impute(Recording recording, List<String> targets, EmbedOptions embedOptions,
            SamplingOptions sampling) throws IOException {
        requireOpen();
        List<String> keep = new ArrayList<>();
        List<String> selected = embedOptions.modalities().isEmpty() ? modalities()
                : new ArrayList<>(embedOptions.modalities());
        for (String m : selected) {
            if (!targets.contains(m)) {
                keep.add(m);
            }
        }
        if (keep.isEmpty()) {
            throw new IllegalArgumentException("nothing left to condition on once " + targets + " are left out");
        }
        TokenizedRecording given = tokenize(recording, embedOptions.withModalities(keep));
        return new SignalGenerator(bundle.model(), bindings).impute(given, targets, sampling);
    }

    // ------------------------------------------------------------------ accessors

    /** Modality names in token-column order. */
    public List<String> modalities() {
        return bundle.config().modalityNames();
    }

    /** Embedding width D. */
    public int embedDim() {
        return bundle.model().config().embedDim();
    }

    public BundleConfig config() {
        return bundle.config();
    }

    /** The loaded weights (model and tokenizers). */
    public Bundle bundle() {
        return bundle;
    }

    /** How each bundle modality meets a recording. */
    public List<ModalityBinding> bindings() {
        return bindings;
    }

    public LoadOptions options() {
        return options;
    }

    public Device device() {
        return bundle.model().device();
    }

    /** Saves the model and tokenizers as a bundle in the published layout. */
    public void save(Path target, SafetensorsDtype floatType) throws IOException {
        requireOpen();
        BundleWriter.write(target, bundle, floatType);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bundle.close();
        }
    }
}
