package ai.hypnos.core.preprocess;

import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.Modality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Preprocesses a recording's modalities the way the Hypnos reference does (DESIGN §4): one
 * float32 signal per present modality, at the modality's rate (128 Hz, respiration 32 Hz).
 *
 * <pre>{@code
 * try (Recording rec = Recordings.open(Path.of("night.edf"))) {
 *     ChannelResolution channels = ChannelResolver.defaults().resolve(rec);
 *     Map<Modality, float[]> signals = new Preprocessor(PreprocessOptions.defaults().withNotchHz(60))
 *             .process(channels);
 * }
 * }</pre>
 *
 * <p>Modalities are processed in parallel on up to {@link PreprocessOptions#threads()} threads;
 * channels are read one at a time on the calling thread (files are read sequentially), and at
 * most {@code threads + 1} raw channels are held in memory at once. Each modality's result
 * depends only on its own samples, so results are identical for any number of threads.
 *
 * <p>Thread-safe and reusable: the filters are designed once per instance.
 */
public final class Preprocessor {
    private static final Logger LOG = LoggerFactory.getLogger(Preprocessor.class);

    private final PreprocessOptions options;
    private final Map<Modality, ModalityPipeline> pipelines = new EnumMap<>(Modality.class);

    public Preprocessor(PreprocessOptions options) {
        this.options = options;
        for (Modality m : Modality.values()) {
            pipelines.put(m, new ModalityPipeline(m, options));
        }
    }

    public PreprocessOptions options() {
        return options;
    }

    /** The pipeline of one modality. */
    public ModalityPipeline pipeline(Modality modality) {
        return pipelines.get(modality);
    }

    /**
     * Preprocesses one signal (any modality, whatever the options' modality subset).
     *
     * @param samples    raw samples in physical units
     * @param sampleRate their rate in Hz
     * @return float32 samples at {@code modality.sampleRate()}
     * @throws IllegalArgumentException for a bad rate or a signal without any finite sample
     */
    public float[] process(Modality modality, double[] samples, double sampleRate) {
        return pipelines.get(modality).process(samples, sampleRate).samples();
    }

    /** As {@link #process(Modality, double[], double)}, with the filled gaps and notes. */
    public PreprocessedSignal processSignal(Modality modality, double[] samples, double sampleRate) {
        return pipelines.get(modality).process(samples, sampleRate);
    }

    /**
     * Preprocesses every present modality selected by the options.
     *
     * @return float32 signals in modality order; modalities that cannot be preprocessed (no finite
     *         sample, unusable rate) are left out and logged — use {@link #run} to see why
     */
    public Map<Modality, float[]> process(ChannelResolution resolution) throws IOException {
        return run(resolution).arrays();
    }

    /** A streaming pipeline for one modality's signal at {@code sampleRate}. */
    public StreamingPipeline stream(Modality modality, double sampleRate) {
        return pipelines.get(modality).stream(sampleRate);
    }

    /**
     * Preprocesses every present modality selected by the options, with provenance.
     *
     * @throws IOException if reading a channel fails (processing of the others is cancelled)
     */
    public PreprocessResult run(ChannelResolution resolution) throws IOException {
        Set<Modality> todo = resolution.present();
        todo.retainAll(options.modalities());
        Map<Modality, PreprocessedSignal> done = new EnumMap<>(Modality.class);
        Map<Modality, String> skipped = new EnumMap<>(Modality.class);
        int threads = Math.min(options.threads(), todo.size());
        if (threads <= 1) {
            for (Modality m : todo) {
                double[] raw = resolution.read(m);
                try {
                    done.put(m, timed(m, raw, resolution.sampleRate(m)));
                } catch (IllegalArgumentException e) {
                    skip(skipped, m, e);
                }
            }
            return new PreprocessResult(done, skipped);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, new WorkerFactory());
        Semaphore inFlight = new Semaphore(threads + 1);
        Map<Modality, Future<PreprocessedSignal>> futures = new LinkedHashMap<>();
        try {
            for (Modality m : todo) {
                inFlight.acquireUninterruptibly();
                double[] raw;
                try {
                    raw = resolution.read(m);
                } catch (IOException | RuntimeException e) {
                    inFlight.release();
                    throw e;
                }
                double fs = resolution.sampleRate(m);
                futures.put(m, pool.submit(() -> {
                    try {
                        return timed(m, raw, fs);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Map.Entry<Modality, Future<PreprocessedSignal>> f : futures.entrySet()) {
                try {
                    done.put(f.getKey(), f.getValue().get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IllegalArgumentException iae) {
                        skip(skipped, f.getKey(), iae);
                    } else if (cause instanceof RuntimeException re) {
                        throw re;
                    } else if (cause instanceof Error err) {
                        throw err;
                    } else {
                        throw new IllegalStateException(cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while preprocessing " + f.getKey().key());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new PreprocessResult(done, skipped);
    }

    private PreprocessedSignal timed(Modality m, double[] raw, double fs) {
        long t0 = System.nanoTime();
        PreprocessedSignal s = pipelines.get(m).process(raw, fs);
        LOG.info("preprocessed {}: {} samples at {} Hz -> {} at {} Hz in {} ms", m.key(), raw.length, fs,
                s.samples().length, s.sampleRate(), (System.nanoTime() - t0) / 1_000_000);
        for (String note : s.notes()) {
            LOG.warn(note);
        }
        return s;
    }

    private static void skip(Map<Modality, String> skipped, Modality m, IllegalArgumentException e) {
        LOG.warn("{}: not preprocessed: {}", m.key(), e.getMessage());
        skipped.put(m, e.getMessage());
    }

    /** Daemon workers with readable names, so a stuck job shows up clearly in a thread dump. */
    private static final class WorkerFactory implements java.util.concurrent.ThreadFactory {
        private static final AtomicInteger POOLS = new AtomicInteger();
        private final int pool = POOLS.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "hypnos-preprocess-" + pool + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
