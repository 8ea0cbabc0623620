package ai.hypnos.eval.data;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The embeddings of one recording in an NPZ file (the layout {@code hypnos embed} writes,
 * DESIGN §7; numpy reads it with {@code np.load}):
 * <ul>
 *   <li>{@code <modality key>} ({@code eeg_c3}, …, {@code resp_thx}): {@code [S, D]} float16 or
 *       float32, one per modality that was embedded;</li>
 *   <li>{@code mean}: {@code [S, D]}, the model's mean over present modalities ({@code z_t});</li>
 *   <li>{@code presence} (optional): {@code [S, M]} or {@code [M]} bool/uint8. Its columns follow
 *       the {@code modalities} string array where the file has one (what {@code hypnos embed}
 *       writes: the bundle's modalities, which need not be all 8), else the standard order of
 *       the 8 modalities; without it, a modality is present wherever its array exists.</li>
 * </ul>
 * Arrays are read on demand, one modality at a time.
 */
public final class EmbeddingFile implements EmbeddingSource {
    private final Path file;
    private final int seconds;
    private final int dim;
    private final boolean[] available = new boolean[Modality.COUNT];
    private final boolean hasMean;
    private final boolean[][] presence;

    private EmbeddingFile(Path file, int seconds, int dim, boolean hasMean, boolean[][] presence) {
        this.file = file;
        this.seconds = seconds;
        this.dim = dim;
        this.hasMean = hasMean;
        this.presence = presence;
    }

    /**
     * Opens an embedding NPZ and checks its shapes (no embedding is read yet).
     *
     * @throws HypnosFormatException naming the file and array when the layout is wrong
     */
    public static EmbeddingFile open(Path file) throws IOException {
        try (NpzReader z = NpzReader.open(file)) {
            long[] shape = null;
            String shapeFrom = null;
            boolean[] avail = new boolean[Modality.COUNT];
            for (String key : z.keys()) {
                boolean isModality = Modality.fromKey(key).isPresent() && Modality.fromKey(key).get().key().equals(key);
                if (!isModality && !key.equals("mean")) {
                    continue;
                }
                long[] s = z.header(key).shape();
                if (s.length != 2) {
                    throw new HypnosFormatException(file, key + ".shape", Arrays.toString(s), "embeddings must be [S, D]");
                }
                if (shape != null && !Arrays.equals(shape, s)) {
                    throw new HypnosFormatException(file, key + ".shape", Arrays.toString(s),
                            "differs from " + shapeFrom + " " + Arrays.toString(shape));
                }
                shape = s;
                shapeFrom = key;
                if (isModality) {
                    avail[Modality.fromKey(key).get().id()] = true;
                }
            }
            if (shape == null) {
                throw new HypnosFormatException(file, "keys", z.keys(), "no embedding arrays (expected 'mean' and/or modality keys such as 'eeg_c3')");
            }
            int seconds = Math.toIntExact(shape[0]);
            int dim = Math.toIntExact(shape[1]);
            boolean[][] presence = null;
            if (z.contains("presence")) {
                presence = readPresence(file, z.get("presence"), seconds, columns(file, z));
            }
            EmbeddingFile ef = new EmbeddingFile(file, seconds, dim, z.contains("mean"), presence);
            System.arraycopy(avail, 0, ef.available, 0, avail.length);
            return ef;
        }
    }

    /**
     * The standard modality id of each presence column: from the {@code modalities} array when
     * the file has one, else the 8 modalities in standard order.
     */
    private static int[] columns(Path file, NpzReader z) throws IOException {
        if (!z.contains("modalities")) {
            int[] ids = new int[Modality.COUNT];
            Arrays.setAll(ids, i -> i);
            return ids;
        }
        String[] names = z.get("modalities").toStringArray();
        int[] ids = new int[names.length];
        boolean[] seen = new boolean[Modality.COUNT];
        for (int j = 0; j < names.length; j++) {
            String name = names[j];
            Modality m = Modality.fromKey(name).filter(x -> x.key().equals(name)).orElseThrow(() ->
                    new HypnosFormatException(file, "modalities", name, "not a modality key (eeg_c3, …, resp_thx)"));
            if (seen[m.id()]) {
                throw new HypnosFormatException(file, "modalities", name, "listed twice");
            }
            seen[m.id()] = true;
            ids[j] = m.id();
        }
        return ids;
    }

    private static boolean[][] readPresence(Path file, NpyArray p, int seconds, int[] columns) throws HypnosFormatException {
        long[] s = p.shape();
        int m = columns.length;
        boolean perSecond = s.length == 2 && s[0] == seconds && s[1] == m;
        boolean constant = s.length == 1 && s[0] == m;
        if (!perSecond && !constant) {
            throw new HypnosFormatException(file, "presence.shape", Arrays.toString(s),
                    "expected [" + seconds + ", " + m + "] or [" + m + "] (one column per entry of "
                            + (m == Modality.COUNT ? "the 8 modalities" : "'modalities'") + ")");
        }
        long[] v = p.dtype().isFloatingPoint() ? toLongs(p.toDoubleArray()) : p.dtype().kind() == 'b' ? toLongs(p.toBooleanArray()) : p.toLongArray();
        boolean[][] out = new boolean[seconds][Modality.COUNT];
        for (int t = 0; t < seconds; t++) {
            for (int j = 0; j < m; j++) {
                out[t][columns[j]] = v[perSecond ? t * m + j : j] != 0;
            }
        }
        return out;
    }

    private static long[] toLongs(double[] d) {
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = d[i] != 0 ? 1 : 0;
        }
        return l;
    }

    private static long[] toLongs(boolean[] b) {
        long[] l = new long[b.length];
        for (int i = 0; i < b.length; i++) {
            l[i] = b[i] ? 1 : 0;
        }
        return l;
    }

    public Path file() {
        return file;
    }

    @Override
    public int seconds() {
        return seconds;
    }

    @Override
    public int dim() {
        return dim;
    }

    /** Whether the file holds this modality's embeddings. */
    public boolean has(Modality m) {
        return available[m.id()];
    }

    @Override
    public PerSecondEmbeddings select(ModalitySelection selection) throws IOException {
        boolean anyModality = false;
        for (boolean a : available) {
            anyModality |= a;
        }
        try (NpzReader z = NpzReader.open(file)) {
            if (selection.full() && hasMean) {
                float[] mean = z.get("mean").toFloatArray();
                boolean[] defined;
                if (presence != null) {
                    boolean[] every = new boolean[Modality.COUNT];
                    Arrays.fill(every, true);
                    defined = ModalityAverager.anyPresent(seconds, every, presence);
                } else {
                    defined = new boolean[seconds];
                    Arrays.fill(defined, true);
                }
                return new PerSecondEmbeddings(mean, defined, seconds, dim);
            }
            if (!anyModality) {
                throw new HypnosFormatException(file, "keys", z.keys(),
                        "selection '" + selection + "' needs per-modality arrays, but the file only has 'mean'");
            }
            return ModalityAverager.average(seconds, dim, available, presence, selection,
                    m -> z.get(m.key()).toFloatArray());
        }
    }

    @Override
    public String toString() {
        return "EmbeddingFile[" + file + ": " + seconds + " s x " + dim + "]";
    }
}
