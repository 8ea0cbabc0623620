package ai.hypnos.eval.data;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.eval.linalg.FloatMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a generic feature set: a directory with one NPZ per subject, each holding {@code X}
 * ({@code (N, D)}, any float dtype, read as float32) and {@code y} ({@code (N,)}, integer, −1 =
 * unscored). The subject id is the file name without {@code .npz}; files are read in name order.
 * Row {@code i} of a file keeps index {@code i} (unscored rows included in the count).
 *
 * <p>The number of classes is the largest label + 1 over all files unless given.
 */
public final class FeatureDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureDirectory.class);

    private FeatureDirectory() {
    }

    /** Reads every {@code *.npz} in {@code dir}; class names are {@code "0".."K-1"}. */
    public static LabeledDataset read(Path dir) throws IOException {
        return read(dir, null);
    }

    /**
     * Reads every {@code *.npz} in {@code dir}.
     *
     * @param classNames names of labels 0..K-1, or {@code null} to infer K and use the numbers
     * @throws HypnosFormatException naming the file and array when shapes or labels are wrong
     */
    public static LabeledDataset read(Path dir, List<String> classNames) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("feature directory does not exist: " + dir);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".npz")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .npz files in " + dir);
        }
        record Subject(String id, FloatMatrix x, int[] y) {
        }
        List<Subject> subjects = new ArrayList<>();
        int dim = -1;
        int maxLabel = -1;
        for (Path f : files) {
            String name = f.getFileName().toString();
            String id = name.substring(0, name.length() - ".npz".length());
            FloatMatrix x;
            int[] y;
            try (NpzReader z = NpzReader.open(f)) {
                if (!z.contains("X")) {
                    throw new HypnosFormatException(f, "X", z.keys(), "feature file has no array 'X' (N, D)");
                }
                if (!z.contains("y")) {
                    throw new HypnosFormatException(f, "y", z.keys(), "feature file has no array 'y' (N,)");
                }
                NpyArray ax = z.get("X");
                NpyArray ay = z.get("y");
                long[] sx = ax.shape();
                if (sx.length != 2) {
                    throw new HypnosFormatException(f, "X.shape", java.util.Arrays.toString(sx), "expected 2 dimensions (N, D)");
                }
                if (ay.ndim() != 1 || ay.shape(0) != sx[0]) {
                    throw new HypnosFormatException(f, "y.shape", java.util.Arrays.toString(ay.shape()),
                            "expected (" + sx[0] + ",) to match X");
                }
                if (!isInteger(ay)) {
                    throw new HypnosFormatException(f, "y.dtype", ay.descr(), "labels must be integers");
                }
                if (!isFloat(ax)) {
                    throw new HypnosFormatException(f, "X.dtype", ax.descr(), "features must be floating point");
                }
                x = new FloatMatrix(Math.toIntExact(sx[0]), Math.toIntExact(sx[1]), ax.toFloatArray());
                long[] ly = ay.toLongArray();
                y = new int[ly.length];
                for (int i = 0; i < ly.length; i++) {
                    if (ly[i] < -1 || ly[i] > 10_000) {
                        throw new HypnosFormatException(f, "y[" + i + "]", ly[i], "labels must be -1 (unscored) or a class index >= 0");
                    }
                    y[i] = (int) ly[i];
                    maxLabel = Math.max(maxLabel, y[i]);
                }
            }
            if (dim >= 0 && x.cols() != dim) {
                throw new HypnosFormatException(f, "X.shape[1]", x.cols(), "other files have " + dim + " features");
            }
            dim = x.cols();
            subjects.add(new Subject(id, x, y));
        }
        List<String> names = classNames;
        if (names == null) {
            int k = Math.max(2, maxLabel + 1);
            names = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                names.add(Integer.toString(c));
            }
        } else if (maxLabel >= names.size()) {
            throw new IllegalArgumentException("labels go up to " + maxLabel + " but only " + names.size() + " class names were given");
        }
        LabeledDataset.Builder b = LabeledDataset.builder(names);
        for (Subject s : subjects) {
            b.add(s.id(), s.id(), s.x(), s.y());
        }
        LabeledDataset ds = b.build();
        LOG.info("read {} subjects from {}: {}", ds.subjects().size(), dir, ds);
        return ds;
    }

    private static boolean isInteger(NpyArray a) {
        return a.dtype().isInteger();
    }

    private static boolean isFloat(NpyArray a) {
        return a.dtype().isFloatingPoint();
    }
}
