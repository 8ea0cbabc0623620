package ai.hypnos.embed.pipeline;

import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.modality.ResolutionReport;
import ai.hypnos.core.preprocess.PreprocessOptions;
import ai.hypnos.core.preprocess.PreprocessResult;
import ai.hypnos.core.preprocess.Preprocessor;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.TokenizedRecording;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first two stages of embedding a recording, as the reference's {@code preprocess_edf} and
 * {@code tokenize} do them: resolve the bundle's channels in the recording, preprocess each
 * present modality with its configuration (resample, causal filters, notch, rolling z-score, soft
 * clip), encode it with its tokenizer, and assemble the token matrix truncated to the shortest
 * present modality. Stateless and thread-safe.
 */
public final class RecordingPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingPipeline.class);

    private final List<ModalityBinding> bindings;

    public RecordingPipeline(List<ModalityBinding> bindings) {
        this.bindings = List.copyOf(bindings);
    }

    public List<ModalityBinding> bindings() {
        return bindings;
    }

    /** Preprocessed signals plus where they came from. */
    public record Preprocessed(Map<String, float[]> signals, ResolutionReport report, List<String> notes) {
    }

    /** The bindings an options object selects (all when it names none). */
    public List<ModalityBinding> selected(EmbedOptions options) {
        if (options.modalities().isEmpty()) {
            return bindings;
        }
        List<String> names = bindings.stream().map(ModalityBinding::name).toList();
        for (String want : options.modalities()) {
            if (!names.contains(want)) {
                throw new IllegalArgumentException("modality '" + want + "' is not in this bundle " + names);
            }
        }
        return bindings.stream().filter(b -> options.modalities().contains(b.name())).toList();
    }

    /** A channel resolver with the options' aliases. */
    public static ChannelResolver resolver(EmbedOptions options) {
        return options.channelAliases().isEmpty() ? ChannelResolver.defaults()
                : ChannelResolver.defaults().withAliases(options.channelAliases());
    }

    /**
     * Resolves and preprocesses every selected modality the recording has.
     *
     * @return float32 signals at each modality's rate, by bundle modality name, in column order
     * @throws IllegalArgumentException when no selected modality is present (the message holds the report)
     */
    public Preprocessed preprocess(Recording recording, EmbedOptions options) throws IOException {
        ChannelResolution resolution = resolver(options).resolve(recording);
        List<ModalityBinding> wanted = selected(options);
        Set<Modality> needed = EnumSet.noneOf(Modality.class);
        for (ModalityBinding b : wanted) {
            Modality m = b.requireStandard();
            if (resolution.has(m)) {
                needed.add(m);
            }
        }
        String source = recording.source() == null ? "<in-memory recording>" : recording.source().toString();
        if (needed.isEmpty()) {
            throw new IllegalArgumentException(source + ": none of the bundle's modalities "
                    + wanted.stream().map(ModalityBinding::name).toList() + " was found:\n" + resolution.report());
        }
        PreprocessOptions po = PreprocessOptions.defaults().withNotchHz(options.notchHz()).withModalities(needed)
                .withThreads(options.threads());
        PreprocessResult result = new Preprocessor(po).run(resolution);
        Map<Modality, float[]> arrays = result.arrays();
        List<String> notes = new ArrayList<>();
        result.skipped().forEach((m, why) -> notes.add(m.key() + ": left out by preprocessing: " + why));
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ModalityBinding b : wanted) {
            float[] s = arrays.get(b.modality());
            if (s != null) {
                out.put(b.name(), s);
            }
        }
        return new Preprocessed(out, resolution.report(), notes);
    }

    /** {@link #tokenize(Map, ResolutionReport, List, int)} on one thread. */
    public TokenizedRecording tokenize(Map<String, float[]> signals, ResolutionReport report, List<String> notes) {
        return tokenize(signals, report, notes, 1);
    }

    /** Each present modality's tokens {@code [n][K]} by binding index, encoded on up to {@code threads} threads. */
    private int[][][] encodeAll(Map<String, float[]> signals, int threads) {
        int[][][] out = new int[bindings.size()][][];
        List<ModalityBinding> todo = bindings.stream().filter(b -> signals.containsKey(b.name())).toList();
        int n = Math.max(1, Math.min(threads, todo.size()));
        if (n == 1) {
            for (ModalityBinding b : todo) {
                out[b.index()] = encode(b, signals.get(b.name()));
            }
            return out;
        }
        // A chunk is many small ops. With libtorch's default of one OpenMP thread per core in
        // every worker, n workers would run n × cores threads that spin against each other, so
        // on the CPU each worker gets its share of the cores. libtorch keeps that count per
        // calling thread, but new threads start from the last value set anywhere: the caller's
        // own count is set again at the end, which puts that back.
        boolean cpu = todo.stream().noneMatch(b -> b.tokenizer().device().isGpu());
        int callerThreads = cpu ? ai.djl.pytorch.jni.JniUtils.getNumThreads() : 0;
        int workerThreads = Math.max(1, callerThreads / n);
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "hypnos-tokenize");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<int[][]>> futures = new ArrayList<>();
            for (ModalityBinding b : todo) {
                futures.add(pool.submit(() -> {
                    if (cpu) {
                        ai.djl.pytorch.jni.JniUtils.setNumThreads(workerThreads);
                    }
                    return encode(b, signals.get(b.name()));
                }));
            }
            for (int i = 0; i < todo.size(); i++) {
                out[todo.get(i).index()] = futures.get(i).get();
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while tokenizing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            if (cpu) {
                ai.djl.pytorch.jni.JniUtils.setNumThreads(callerThreads);
            }
        }
    }

    private static int[][] encode(ModalityBinding b, float[] x) {
        long t0 = System.nanoTime();
        int[][] codes = b.tokenizer().encode(x);
        LOG.debug("tokenized {}: {} samples -> {} tokens in {} ms", b.name(), x.length, codes.length,
                (System.nanoTime() - t0) / 1_000_000);
        return codes;
    }

    /**
     * Encodes preprocessed signals and assembles the token matrix (absent modalities: zero
     * columns, presence false, channel id 0).
     *
     * @param signals float32 signals at each modality's rate by bundle modality name
     * @param threads modalities encoded in parallel (the tokenizers are thread-safe; encoding a
     *                chunk is many small ops, so a second thread nearly doubles throughput)
     * @throws IllegalArgumentException when no signal is given, a name is unknown, or a modality yields no token
     */
    public TokenizedRecording tokenize(Map<String, float[]> signals, ResolutionReport report, List<String> notes,
            int threads) {
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("no modality present; cannot tokenize");
        }
        List<String> names = bindings.stream().map(ModalityBinding::name).toList();
        for (String n : signals.keySet()) {
            if (!names.contains(n)) {
                throw new IllegalArgumentException("signal for '" + n + "', which is not a modality of this bundle "
                        + names);
            }
        }
        int m = bindings.size();
        int[][][] perModality = encodeAll(signals, threads);
        int seconds = Integer.MAX_VALUE;
        int longest = 0;
        for (int[][] codes : perModality) {
            if (codes != null) {
                seconds = Math.min(seconds, codes.length);
                longest = Math.max(longest, codes.length);
            }
        }
        if (seconds == 0) {
            throw new IllegalArgumentException("recording too short: a present modality produced 0 tokens");
        }
        List<String> allNotes = new ArrayList<>(notes);
        if (longest > seconds) {
            allNotes.add("tokens truncated to the shortest present modality: " + seconds + " s (longest " + longest + " s)");
        }
        int totalK = bindings.stream().mapToInt(ModalityBinding::numQuantizers).sum();
        int[] tokens = new int[Math.multiplyExact(seconds, totalK)];
        boolean[] presence = new boolean[m];
        int[] channelIds = new int[m];
        int[] ks = new int[m];
        for (ModalityBinding b : bindings) {
            ks[b.index()] = b.numQuantizers();
            int[][] codes = perModality[b.index()];
            if (codes == null) {
                continue;
            }
            presence[b.index()] = true;
            channelIds[b.index()] = b.channelId();
            for (int s = 0; s < seconds; s++) {
                System.arraycopy(codes[s], 0, tokens, s * totalK + b.columnOffset(), b.numQuantizers());
            }
        }
        return new TokenizedRecording(names, ks, tokens, seconds, presence, channelIds, report, allNotes);
    }
}
