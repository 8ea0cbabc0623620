package ai.hypnos.spark;

import ai.hypnos.embed.Devices;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.Precision;
import ai.hypnos.train.shard.TokenizerSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokenizers and models of this JVM, loaded once per executor and shared by all its tasks
 * (and task threads: {@link TokenizerSet} encoding and {@link HypnosModel} are thread-safe).
 * Keyed by bundle URI, device and precision. Loading is lazy and happens once per key even when
 * several task threads ask at the same moment (the others wait for it); a failed load is not
 * remembered, so a retried task tries again.
 *
 * <p>Models stay loaded for the executor's lifetime, which is what makes one recording per task
 * cheap; {@link #closeAll()} frees them (the embedded local mode calls it when its job ends).
 */
final class ExecutorCache {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorCache.class);
    private static final ConcurrentHashMap<String, Slot> SLOTS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorCache() {
    }

    /** Loads something that holds native memory. */
    @FunctionalInterface
    private interface Loader {
        AutoCloseable load() throws IOException;
    }

    /** One key's value, loaded at most once. */
    private static final class Slot {
        private AutoCloseable value;

        synchronized AutoCloseable get(String key, Loader loader) throws IOException {
            if (value == null) {
                long t0 = System.nanoTime();
                value = loader.load();
                LOADS.incrementAndGet();
                LOG.info("loaded {} in {} ms (once per executor JVM)", key, (System.nanoTime() - t0) / 1_000_000);
            }
            return value;
        }

        synchronized void close() throws Exception {
            if (value != null) {
                value.close();
                value = null;
            }
        }
    }

    /** The tokenizers of a bundle file or tokenizer folder, on a device ({@code cpu}, {@code gpu}, {@code gpu:1}). */
    static TokenizerSet tokenizers(String uri, String device, Configuration conf) throws IOException {
        String key = "tokenizers " + uri + " on " + device;
        return (TokenizerSet) get(key, () -> TokenizerSet.open(LocalCopies.bundle(uri, conf), Devices.parse(device)));
    }

    /** A model bundle, on a device, at a precision ({@code fp32}, {@code tf32}, {@code fp16}). */
    static HypnosModel model(String uri, String device, String precision, Configuration conf) throws IOException {
        String key = "model " + uri + " on " + device + " in " + precision;
        return (HypnosModel) get(key, () -> Hypnos.load(LocalCopies.bundle(uri, conf),
                LoadOptions.defaults().withDevice(Devices.parse(device)).withPrecision(Precision.parse(precision))));
    }

    private static AutoCloseable get(String key, Loader loader) throws IOException {
        return SLOTS.computeIfAbsent(key, k -> new Slot()).get(key, loader);
    }

    /** How many loads this JVM has done (tests check that tasks reuse them). */
    static int loads() {
        return LOADS.get();
    }

    /** Closes every cached tokenizer set and model (none may be in use). */
    static void closeAll() {
        List<String> keys = new ArrayList<>(SLOTS.keySet());
        for (String k : keys) {
            Slot s = SLOTS.remove(k);
            if (s != null) {
                try {
                    s.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed: {}", k, e.toString());
                }
            }
        }
    }
}
