package ai.hypnos.cli.export;

import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes exported channels as NPY (one channel, or equal-length channels stacked as
 * {@code [channels, samples]}), NPZ (one array per channel plus its rate as {@code <name>__fs})
 * or CSV (a {@code time_s} column, then one column per channel of a common rate). Every write is
 * atomic: the file appears complete or not at all.
 */
final class ExportWriter {
    /** The output formats, by file extension. */
    enum Format { NPY, NPZ, CSV }

    private ExportWriter() {
    }

    static Format formatOf(Path out) {
        String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".npy")) {
            return Format.NPY;
        }
        if (n.endsWith(".npz")) {
            return Format.NPZ;
        }
        if (n.endsWith(".csv")) {
            return Format.CSV;
        }
        throw new IllegalArgumentException("--out must end in .npy, .npz or .csv: " + out);
    }

    static void write(Path out, List<ExportedChannel> channels, boolean float32) throws IOException {
        switch (formatOf(out)) {
            case NPY -> writeNpy(out, channels, float32);
            case NPZ -> writeNpz(out, channels, float32);
            case CSV -> writeCsv(out, channels);
        }
    }

    private static void writeNpy(Path out, List<ExportedChannel> channels, boolean float32) throws IOException {
        requireCommonGrid(channels, ".npy", "stacked");
        int n = channels.get(0).samples().length;
        if (channels.size() == 1) {
            Npy.write(out, array(channels.get(0).samples(), float32, n));
            return;
        }
        double[] stacked = new double[Math.multiplyExact(channels.size(), n)];
        for (int c = 0; c < channels.size(); c++) {
            System.arraycopy(channels.get(c).samples(), 0, stacked, c * n, n);
        }
        Npy.write(out, array(stacked, float32, channels.size(), n));
    }

    private static void writeNpz(Path out, List<ExportedChannel> channels, boolean float32) throws IOException {
        try (NpzWriter z = NpzWriter.begin(out, true)) {
            for (ExportedChannel c : channels) {
                z.put(c.name(), array(c.samples(), float32, c.samples().length));
                z.put(c.name() + "__fs", NpyArray.scalar(c.sampleRate()));
            }
            z.commit();
        }
    }

    private static void writeCsv(Path out, List<ExportedChannel> channels) throws IOException {
        requireCommonGrid(channels, ".csv", "written side by side");
        ExportedChannel first = channels.get(0);
        try (AtomicFile f = AtomicFile.create(out)) {
            Writer w = new BufferedWriter(new OutputStreamWriter(f.stream(), StandardCharsets.UTF_8), 1 << 16);
            w.write("time_s");
            for (ExportedChannel c : channels) {
                w.write(',');
                w.write(csvField(c.name()));
            }
            w.write('\n');
            for (int i = 0; i < first.samples().length; i++) {
                w.write(Double.toString(first.startSeconds() + i / first.sampleRate()));
                for (ExportedChannel c : channels) {
                    w.write(',');
                    w.write(Double.toString(c.samples()[i]));
                }
                w.write('\n');
            }
            w.flush();
            f.commit();
        }
    }

    private static NpyArray array(double[] v, boolean float32, long... shape) {
        if (!float32) {
            return NpyArray.of(v, shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return NpyArray.of(f, shape);
    }

    private static void requireCommonGrid(List<ExportedChannel> channels, String ext, String how) {
        ExportedChannel first = channels.get(0);
        for (ExportedChannel c : channels) {
            if (c.sampleRate() != first.sampleRate() || c.samples().length != first.samples().length) {
                StringBuilder sb = new StringBuilder();
                for (ExportedChannel x : channels) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(x.name()).append(": ").append(x.samples().length)
                            .append(" samples at ").append(x.sampleRate()).append(" Hz");
                }
                throw new IllegalArgumentException("channels in a " + ext + " must share rate and length to be " + how
                        + " (" + sb + "); export to .npz instead");
            }
        }
    }

    private static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
