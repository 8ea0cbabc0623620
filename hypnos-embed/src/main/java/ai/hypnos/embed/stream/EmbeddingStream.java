package ai.hypnos.embed.stream;

import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.modality.ResolutionReport;
import ai.hypnos.core.modality.ResolvedChannel;
import ai.hypnos.core.numeric.Float16;
import ai.hypnos.core.preprocess.PreprocessOptions;
import ai.hypnos.core.preprocess.Preprocessor;
import ai.hypnos.core.preprocess.StreamingPipeline;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.OutputType;
import ai.hypnos.embed.pipeline.ModalityBinding;
import ai.hypnos.embed.pipeline.RecordingPipeline;
import ai.hypnos.tokenizer.StreamingEncoder;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.stream.StreamingSession;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A live night: push raw samples per channel (or per modality) as they arrive, get one embedding
 * per second per present modality back. Each present modality runs the streaming preprocessing
 * (resampler, causal filters, rolling z-score, soft clip), the tokenizer's streaming encoder and
 * feeds the transformer's KV-cached session; memory stays flat however long the night.
 *
 * <pre>{@code
 * try (EmbeddingStream s = model.stream(StreamOptions.builder()
 *         .channel("C3-M2", "uV", 256).channel("ECG", "mV", 512).build())) {
 *     while (acquiring) {
 *         for (StreamedSecond sec : s.push("C3-M2", c3Block)) { use(sec.mean()); }
 *         for (StreamedSecond sec : s.push("ECG", ecgBlock)) { use(sec.mean()); }
 *     }
 *     s.finish().forEach(sec -> use(sec.mean()));
 * }
 * }</pre>
 *
 * <p><b>Equality with batch embedding.</b> Pushing a whole night (in blocks of any size) and
 * calling {@link #finish()} emits exactly the seconds {@code HypnosModel.embed} returns for the
 * same signals, with the same tokens and embeddings equal within float rounding (≤ 1e-4), when
 * (a) the normaliser starts {@code EXACT} (the default: the first minute is held until the
 * reference's look-ahead statistics are known, then everything is computed as in batch), and (b)
 * the stream's chunk ({@code embedOptions().chunkTokens()}) equals the batch chunk: the session
 * restarts its context (BOS, RoPE position 0, empty caches) every chunk, as batch chunks do.
 * With {@code IMMEDIATE} start-up the first minute of preprocessed signal differs; tokens agree
 * again once the tokenizer's receptive field has left that minute, and embeddings once the
 * transformer's (the sum of the temporal layers' windows) has too, or at the next chunk start.
 *
 * <p><b>Timing.</b> Second t's embedding is emitted once every present modality's token t is
 * final: a token needs its second's last sample (plus the resampler's ~20-sample look-ahead);
 * with {@code EXACT} start-up nothing comes out during the first minute, then its 60 seconds at
 * once. Row t summarises seconds before t (the model's one-second shift).
 *
 * <p>Not thread-safe: one thread pushes. Close it to free the caches.
 */
public final class EmbeddingStream implements AutoCloseable {
    private final List<ModalityBinding> bindings;
    private final List<String> names;
    private final OutputType outputType;
    private final ResolutionReport report;
    private final StreamingSession session;
    private final Feed[] feeds;
    private final Map<String, List<Route>> routes = new LinkedHashMap<>();
    private final Map<ChannelMixer, Feed> mixerTargets = new LinkedHashMap<>();
    private final java.util.Set<String> declared = new java.util.HashSet<>();
    private final int totalK;
    private long emitted;
    private boolean finished;

    /** A channel's samples go to a mixer's positive or reference side. */
    private record Route(ChannelMixer mixer, boolean reference) {
    }

    /** One present modality: mixer → preprocessing → tokenizer → queue of final tokens. */
    private static final class Feed {
        final ModalityBinding binding;
        final StreamingPipeline pipeline;
        final StreamingEncoder encoder;
        final ArrayDeque<int[]> tokens = new ArrayDeque<>();

        Feed(ModalityBinding binding, StreamingPipeline pipeline, StreamingEncoder encoder) {
            this.binding = binding;
            this.pipeline = pipeline;
            this.encoder = encoder;
        }

        void push(double[] raw) {
            if (raw.length == 0) {
                return;
            }
            float[] x = pipeline.push(raw);
            if (x.length > 0) {
                tokens.addAll(encoder.push(x));
            }
        }

        void finish() {
            float[] x = pipeline.finish();
            if (x.length > 0) {
                tokens.addAll(encoder.push(x));
            }
            tokens.addAll(encoder.finish());
        }
    }

    /**
     * Opens a stream (use {@code HypnosModel.stream}).
     *
     * @param defaults the model's embed options, used when the stream options give none
     */
    public EmbeddingStream(RqTransformer model, List<ModalityBinding> bindings, StreamOptions options,
            EmbedOptions defaults) {
        EmbedOptions eo = options.embedOptions() == null ? defaults : options.embedOptions();
        this.bindings = List.copyOf(bindings);
        this.names = bindings.stream().map(ModalityBinding::name).toList();
        this.outputType = eo.outputType();
        this.totalK = bindings.stream().mapToInt(ModalityBinding::numQuantizers).sum();
        for (String direct : options.modalities().keySet()) {
            if (!names.contains(direct)) {
                throw new IllegalArgumentException("stream modality '" + direct + "' is not in this bundle " + names);
            }
        }
        ChannelResolution resolution = null;
        options.channels().forEach(c -> declared.add(c.label()));
        if (!options.channels().isEmpty()) {
            InMemoryRecording.Builder header = InMemoryRecording.builder();
            for (StreamOptions.Channel c : options.channels()) {
                header.signal(c.label(), c.unit(), c.sampleRate(), new double[0]);
            }
            resolution = RecordingPipeline.resolver(eo).resolve(header.build());
        }
        this.report = resolution == null ? null : resolution.report();
        List<ModalityBinding> selected = new RecordingPipeline(bindings).selected(eo);
        PreprocessOptions po = PreprocessOptions.defaults().withNotchHz(eo.notchHz()).withThreads(1)
                .withStreamingStartup(options.startup());
        Preprocessor preprocessor = new Preprocessor(po);
        this.feeds = new Feed[bindings.size()];
        boolean[] presence = new boolean[bindings.size()];
        int[] channelIds = new int[bindings.size()];
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            for (ModalityBinding b : selected) {
                Modality m = b.requireStandard();
                Double directRate = options.modalities().get(b.name());
                double rate;
                ChannelMixer mixer;
                if (directRate != null) {
                    rate = directRate;
                    mixer = new ChannelMixer(rate, Double.NaN, 1);
                    route(b.name(), mixer, false);
                } else if (resolution != null && resolution.has(m)) {
                    ResolvedChannel c = resolution.channel(m).orElseThrow();
                    rate = c.sampleRate();
                    double refRate = c.hasReference()
                            ? options.channels().get(c.referenceSignal()).sampleRate() : Double.NaN;
                    mixer = new ChannelMixer(rate, refRate, c.referenceScale());
                    route(c.label(), mixer, false);
                    if (c.hasReference()) {
                        route(c.referenceLabel(), mixer, true);
                    }
                } else {
                    continue;
                }
                StreamingEncoder enc = b.tokenizer().streamingEncoder();
                opened.add(enc);
                Feed f = new Feed(b, preprocessor.stream(m, rate), enc);
                feeds[b.index()] = f;
                mixerTargets.put(mixer, f);
                presence[b.index()] = true;
                channelIds[b.index()] = b.channelId();
            }
            if (mixerTargets.isEmpty()) {
                throw new IllegalArgumentException("no modality of the bundle " + names + " is carried by this stream"
                        + (report == null ? "" : ":\n" + report));
            }
            this.session = model.stream(new ai.hypnos.transformer.stream.StreamOptions(presence, channelIds,
                    eo.chunkTokens()));
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // already failing
                }
            }
            throw e;
        }
    }

    private void route(String label, ChannelMixer mixer, boolean reference) {
        routes.computeIfAbsent(label, k -> new ArrayList<>()).add(new Route(mixer, reference));
    }

    /** Labels and modality names this stream accepts in {@link #push}. */
    public List<String> inputs() {
        return List.copyOf(routes.keySet());
    }

    /** Names of the present modalities. */
    public List<String> present() {
        List<String> out = new ArrayList<>();
        for (Feed f : feeds) {
            if (f != null) {
                out.add(f.binding.name());
            }
        }
        return out;
    }

    /** How the declared channels were resolved ({@code null} when only modalities are fed). */
    public ResolutionReport report() {
        return report;
    }

    /** Pushes a whole block of samples of one input (a declared channel label or a fed modality name). */
    public List<StreamedSecond> push(String input, double[] samples) {
        return push(input, samples, 0, samples.length);
    }

    /**
     * Pushes {@code length} samples of one input and returns the seconds that became complete.
     *
     * @throws IllegalArgumentException for an input the stream does not carry (a declared channel
     *                                  that feeds no modality is accepted and ignored)
     */
    public List<StreamedSecond> push(String input, double[] samples, int offset, int length) {
        if (finished) {
            throw new IllegalStateException("stream already finished");
        }
        List<Route> targets = routes.get(input);
        if (targets == null) {
            if (declared.contains(input)) {
                return List.of(); // a declared channel that feeds no modality (e.g. SpO2)
            }
            throw new IllegalArgumentException("'" + input + "' is neither a declared channel nor a fed modality "
                    + "(inputs: " + inputs() + ")");
        }
        for (Route r : targets) {
            double[] derived = r.reference() ? r.mixer().pushReference(samples, offset, length)
                    : r.mixer().pushPositive(samples, offset, length);
            mixerTargets.get(r.mixer()).push(derived);
        }
        return drain();
    }

    /** Ends every input and returns the remaining seconds (the stream then equals batch embedding). */
    public List<StreamedSecond> finish() {
        if (finished) {
            return List.of();
        }
        finished = true;
        for (Map.Entry<ChannelMixer, Feed> e : mixerTargets.entrySet()) {
            e.getValue().push(e.getKey().finish());
        }
        for (Feed f : feeds) {
            if (f != null) {
                f.finish();
            }
        }
        return drain();
    }

    /** Emits every second for which all present modalities have their token. */
    private List<StreamedSecond> drain() {
        List<StreamedSecond> out = new ArrayList<>();
        while (allHaveToken()) {
            int[] row = new int[totalK];
            for (Feed f : feeds) {
                if (f != null) {
                    int[] t = f.tokens.poll();
                    System.arraycopy(t, 0, row, f.binding.columnOffset(), f.binding.numQuantizers());
                }
            }
            float[][] z = session.push(row);
            out.add(second(row, z));
        }
        return out;
    }

    private boolean allHaveToken() {
        for (Feed f : feeds) {
            if (f != null && f.tokens.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private StreamedSecond second(int[] row, float[][] z) {
        int d = 0;
        int n = 0;
        for (float[] v : z) {
            if (v != null) {
                d = v.length;
                n++;
            }
        }
        float[] mean = new float[d];
        for (float[] v : z) {
            if (v != null) {
                for (int j = 0; j < d; j++) {
                    mean[j] += v[j];
                }
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        if (outputType == OutputType.FLOAT16) {
            for (float[] v : z) {
                if (v != null) {
                    round(v);
                }
            }
            round(mean);
        }
        return new StreamedSecond(emitted++, names, z, mean, row);
    }

    private static void round(float[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Float16.toFloat(Float16.fromFloat(v[i]));
        }
    }

    /** Seconds emitted so far. */
    public long seconds() {
        return emitted;
    }

    /** Samples and tokens held back (bounded when the inputs are pushed in step). */
    public long buffered() {
        long n = 0;
        for (ChannelMixer m : mixerTargets.keySet()) {
            n += m.buffered();
        }
        for (Feed f : feeds) {
            if (f != null) {
                n += f.tokens.size();
            }
        }
        return n;
    }

    /** NDArrays the transformer session holds (constant over a stream). */
    public int heldArrays() {
        return session.heldArrays();
    }

    @Override
    public void close() {
        for (Feed f : feeds) {
            if (f != null) {
                f.encoder.close();
            }
        }
        session.close();
    }
}
