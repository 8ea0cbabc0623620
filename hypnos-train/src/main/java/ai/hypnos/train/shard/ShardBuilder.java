package ai.hypnos.train.shard;

import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.TokenizedRecording;
import ai.hypnos.embed.pipeline.RecordingPipeline;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.cohort.CohortEntry;
import ai.hypnos.train.metrics.Progress;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns recordings into token shards: read → resolve channels → preprocess (DESIGN §4) →
 * tokenize with the trained tokenizers → {@link TokenShard} → {@link ShardFiles}.
 *
 * <p>{@link #buildOne} is the per-recording function (Spark executors call it, one recording per
 * task); it is a pure function of the recording, its manifest row and the tokenizers, so the
 * files are byte-identical wherever it runs. {@link #buildAll} runs it over a cohort on a
 * bounded pool: finished shards are skipped, a recording that cannot be read or tokenized is
 * logged and listed as failed in the summary, and the run goes on.
 *
 * <p>Token rows: the tokenizer gives ⌈T/hop⌉ tokens per modality; a shard has
 * S = the fewest over its present modalities (as the reference's pipeline truncates), so every
 * row holds all of them.
 */
public final class ShardBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ShardBuilder.class);

    private final TokenizerSet tokenizers;
    private final RecordingPipeline pipeline;
    private final Map<String, String> channelAliases;
    private final int preprocessThreads;

    /**
     * @param channelAliases    extra file label → modality key ({@code "EEG Left" → "eeg_c3"})
     * @param preprocessThreads threads per recording for preprocessing and tokenizing its
     *                          modalities (1 when recordings themselves run in parallel)
     */
    public ShardBuilder(TokenizerSet tokenizers, Map<String, String> channelAliases, int preprocessThreads) {
        this.tokenizers = tokenizers;
        this.pipeline = new RecordingPipeline(tokenizers.bindings());
        this.channelAliases = Map.copyOf(channelAliases);
        this.preprocessThreads = Math.max(1, preprocessThreads);
    }

    /** A builder with the built-in channel aliases and single-threaded preprocessing. */
    public ShardBuilder(TokenizerSet tokenizers) {
        this(tokenizers, Map.of(), 1);
    }

    public ShardLayout layout() {
        return tokenizers.layout();
    }

    /** Reads, preprocesses and tokenizes one recording (opened from {@code entry.path()}). */
    public TokenShard buildOne(CohortEntry entry) throws IOException {
        try (Recording rec = Recordings.open(entry.path())) {
            return buildOne(entry, rec);
        }
    }

    /**
     * Tokenizes an open recording described by {@code entry} (its path is not read; its
     * {@code source} goes into the metadata). Preprocessing and tokenization are the embedding
     * pipeline's ({@link RecordingPipeline}), so training data and embeddings see the same tokens.
     *
     * @throws IOException              if reading fails
     * @throws IllegalArgumentException if no modality of the layout can be read and preprocessed,
     *                                  or the recording is shorter than one token
     */
    public TokenShard buildOne(CohortEntry entry, Recording recording) throws IOException {
        EmbedOptions options = EmbedOptions.defaults().withNotchHz(entry.notch()).withChannelAliases(channelAliases)
                .withThreads(preprocessThreads);
        RecordingPipeline.Preprocessed pre = pipeline.preprocess(recording, options);
        TokenizedRecording t = pipeline.tokenize(pre.signals(), pre.report(), pre.notes(), preprocessThreads);
        ShardLayout layout = tokenizers.layout();
        int[] source = t.tokens();
        short[] tokens = new short[source.length];
        for (int i = 0; i < source.length; i++) {
            tokens[i] = (short) source[i];
        }
        ObjectNode meta = ShardMetadata.of(entry, layout, t.seconds(), t.presence(), tokenizers.identities(),
                t.report(), t.notes());
        return new TokenShard(entry.id(), layout, t.seconds(), tokens, t.presence(), meta);
    }

    /**
     * Builds the shards of a cohort into {@code outDir} on {@code threads} workers. Writes
     * {@code shards-layout.json}, {@code shards-manifest.csv} and the summary files; never throws
     * for a bad recording (see {@link BuildSummary}).
     */
    public BuildSummary buildAll(Cohort cohort, Path outDir, int threads) throws IOException {
        Files.createDirectories(outDir);
        int stale = ShardFiles.removeTemporaryFiles(outDir);
        if (stale > 0) {
            LOG.info("removed {} partial file(s) left in {} by an interrupted run", stale, outDir);
        }
        ShardSetInfo.of(tokenizers).write(outDir);
        cohort.writeManifest(outDir.resolve(ShardFiles.MANIFEST));
        List<CohortEntry> entries = cohort.entries();
        BuildSummary.Outcome[] outcomes = new BuildSummary.Outcome[entries.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            CohortEntry e = entries.get(i);
            if (ShardFiles.isReservedId(e.id())) {
                outcomes[i] = new BuildSummary.Outcome(e.id(), e.source(), BuildSummary.Status.FAILED, 0,
                        "recording id '" + e.id() + "' is reserved for the shard folder's own files; rename the file", 0);
            } else if (ShardFiles.isFinished(outDir, layout(), tokenizers.identities(), e)) {
                int seconds = ShardFiles.readMetadata(outDir, e.id()).path("seconds").asInt();
                outcomes[i] = new BuildSummary.Outcome(e.id(), e.source(), BuildSummary.Status.FINISHED_BEFORE, seconds, "", 0);
            } else {
                todo.add(i);
            }
        }
        LOG.info("tokenizing {} recordings into {} ({} finished before) with {} worker(s); layout {}", todo.size(),
                outDir, entries.size() - todo.size(), threads, layout());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), new Workers());
        CompletionService<BuildSummary.Outcome> done = new ExecutorCompletionService<>(pool);
        try (Progress progress = Progress.start("tokenize", 0, todo.size(), "recordings", LOG)) {
            Map<Future<BuildSummary.Outcome>, Integer> index = new java.util.HashMap<>();
            for (int i : todo) {
                CohortEntry e = entries.get(i);
                index.put(done.submit(() -> buildAndWrite(e, outDir)), i);
            }
            int failed = 0;
            for (int n = 1; n <= todo.size(); n++) {
                Future<BuildSummary.Outcome> f = done.take();
                BuildSummary.Outcome o = f.get();
                outcomes[index.get(f)] = o;
                failed += o.status() == BuildSummary.Status.FAILED ? 1 : 0;
                progress.update(n, failed > 0 ? failed + " failed" : "");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building shards", e);
        } catch (ExecutionException e) {
            // buildAndWrite catches every Exception; what arrives here is an Error (out of memory…).
            Throwable cause = e.getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
        BuildSummary summary = new BuildSummary(List.of(outcomes));
        summary.write(outDir);
        LOG.info("shards in {}: {}", outDir, summary.headline());
        for (BuildSummary.Outcome o : summary.failures()) {
            LOG.warn("failed: {} ({}): {}", o.id(), o.source(), o.reason());
        }
        return summary;
    }

    private BuildSummary.Outcome buildAndWrite(CohortEntry e, Path outDir) {
        long t0 = System.nanoTime();
        try {
            TokenShard shard = buildOne(e);
            ShardFiles.write(outDir, shard);
            double wall = (System.nanoTime() - t0) / 1e9;
            LOG.info("{}: {} s of {} modalities in {} s", e.id(), shard.seconds(), countPresent(shard.presence()),
                    String.format(Locale.ROOT, "%.1f", wall));
            return new BuildSummary.Outcome(e.id(), e.source(), BuildSummary.Status.BUILT, shard.seconds(), "", wall);
        } catch (Exception ex) {
            String reason = ex.getMessage() == null ? ex.getClass().getSimpleName()
                    : ex.getClass().getSimpleName() + ": " + ex.getMessage();
            LOG.warn("{} ({}): skipped: {}", e.id(), e.source(), reason);
            LOG.debug("failure of " + e.id(), ex);
            return new BuildSummary.Outcome(e.id(), e.source(), BuildSummary.Status.FAILED, 0, reason,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    private static int countPresent(boolean[] p) {
        int n = 0;
        for (boolean b : p) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** Daemon threads with readable names. */
    private static final class Workers implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "hypnos-shards-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
