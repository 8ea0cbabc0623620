package ai.hypnos.tokenizer.train;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.tokenizer.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The signals a tokenizer trains on: preprocessed single-channel signals of one signal type at
 * the tokenizer's sample rate (the output of the preprocessing, DESIGN §4).
 *
 * <p>Sources: a directory of {@code .npy} files (1-D float32/float64, searched recursively), a
 * manifest (a text file listing such files, one per line, relative to the manifest; blank lines
 * and {@code #} comments ignored), or freshly generated {@link SyntheticSignals}. NPY files are
 * memory-mapped: a cohort larger than the heap costs only the pages the sampled windows touch.
 * Non-finite samples (gaps) are read as 0.
 */
public final class SignalSet {
    private final List<NpyArray> signals;
    private final String description;

    private SignalSet(List<NpyArray> signals, String description) {
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("no signals in " + description);
        }
        this.signals = List.copyOf(signals);
        this.description = description;
    }

    /** {@code count} synthetic signals of {@code seconds} each, deterministic in {@code seed}. */
    public static SignalSet synthetic(SignalType type, int sampleRate, int count, int seconds, long seed) {
        Rng rng = new Rng(seed);
        List<NpyArray> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] x = SyntheticSignals.generate(type, sampleRate, seconds, rng.split());
            out.add(NpyArray.of(x, x.length));
        }
        return new SignalSet(out, count + " synthetic " + type.key() + " signals of " + seconds + " s (seed " + seed + ")");
    }

    /** In-memory signals (tests, callers with their own loading). */
    public static SignalSet of(List<float[]> signals, String description) {
        List<NpyArray> out = new ArrayList<>();
        for (float[] s : signals) {
            out.add(NpyArray.of(s, s.length));
        }
        return new SignalSet(out, description);
    }

    /** A directory of {@code .npy} files or a manifest listing them. */
    public static SignalSet open(Path dirOrManifest) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dirOrManifest)) {
            try (Stream<Path> s = Files.walk(dirOrManifest)) {
                s.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().forEach(files::add);
            }
        } else if (Files.isRegularFile(dirOrManifest)) {
            Path base = dirOrManifest.toAbsolutePath().getParent();
            int lineNo = 0;
            for (String line : Files.readAllLines(dirOrManifest)) {
                lineNo++;
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                Path p = base.resolve(l);
                if (!Files.isRegularFile(p)) {
                    throw new HypnosFormatException(dirOrManifest, "line " + lineNo, l, "listed file does not exist");
                }
                files.add(p);
            }
        } else {
            throw new IOException("no such directory or manifest: " + dirOrManifest);
        }
        List<NpyArray> arrays = new ArrayList<>();
        for (Path f : files) {
            NpyArray a = Npy.map(f);
            if (a.ndim() != 1 || !a.dtype().isFloatingPoint()) {
                throw new HypnosFormatException(f, "shape/dtype", a.descr() + " " + java.util.Arrays.toString(a.shape()),
                        "expected a 1-D floating-point signal");
            }
            arrays.add(a);
        }
        return new SignalSet(arrays, files.size() + " signals from " + dirOrManifest);
    }

    public int size() {
        return signals.size();
    }

    /** Total samples over all signals. */
    public long totalSamples() {
        long n = 0;
        for (NpyArray a : signals) {
            n += a.size();
        }
        return n;
    }

    /** Length of signal i in samples. */
    public long length(int i) {
        return signals.get(i).size();
    }

    /** {@code count} samples of signal i from {@code from}, non-finite values as 0. */
    public float[] read(int i, long from, int count) {
        float[] v = signals.get(i).toFloatArray(from, count);
        for (int j = 0; j < v.length; j++) {
            if (!Float.isFinite(v[j])) {
                v[j] = 0f;
            }
        }
        return v;
    }

    /** Signals in this set (unmodifiable). */
    List<NpyArray> arrays() {
        return Collections.unmodifiableList(signals);
    }

    @Override
    public String toString() {
        return description;
    }
}
