package ai.hypnos.eval.report;

import ai.hypnos.core.io.AtomicFile;
import ai.hypnos.eval.protocol.Predictions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes {@code predictions.csv}: one row per test epoch/window with the columns
 * {@code subject,recording,index,true,predicted,p_<class>...} (labels as integers, class
 * probabilities with 6 significant digits). pandas reads it with {@code pd.read_csv}.
 */
public final class PredictionsCsv {
    private PredictionsCsv() {
    }

    /** Writes the file atomically. */
    public static void write(Path file, Predictions p) throws IOException {
        try (AtomicFile f = AtomicFile.create(file)) {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(f.stream(), StandardCharsets.UTF_8), 1 << 16);
            w.write("subject,recording,index,true,predicted");
            for (String c : p.classNames()) {
                w.write(",p_" + c);
            }
            w.write('\n');
            StringBuilder sb = new StringBuilder(128);
            for (int i = 0; i < p.size(); i++) {
                sb.setLength(0);
                sb.append(quote(p.subject()[i])).append(',').append(quote(p.recording()[i])).append(',')
                        .append(p.index()[i]).append(',').append(p.yTrue()[i]).append(',').append(p.yPred()[i]);
                for (double v : p.proba()[i]) {
                    sb.append(',').append(format(v));
                }
                sb.append('\n');
                w.write(sb.toString());
            }
            w.flush();
            f.commit();
        }
    }

    private static String format(double v) {
        if (v == 0 || v == 1) {
            return v == 0 ? "0" : "1";
        }
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
