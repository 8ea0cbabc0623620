package ai.hypnos.core.edf;

import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.InMemoryRecording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Random;

/** Test helpers: fixture files, golden JSON, small recordings, and byte-level header surgery. */
final class EdfTestSupport {
    /** Offsets of the fixed header fields. */
    static final int RECORD_COUNT = 236;
    static final int RECORD_DURATION = 244;
    static final int SIGNAL_COUNT = 252;
    static final int HEADER_BYTES = 184;
    static final int RESERVED = 192;
    static final int START_DATE = 168;
    static final int START_TIME = 176;

    private EdfTestSupport() {
    }

    /** A class-path resource next to this package ({@code /ai/hypnos/core/edf/<name>}) copied to {@code dir}. */
    static Path resource(String name, Path dir) {
        try (InputStream in = EdfTestSupport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode golden(String name) {
        try (InputStream in = EdfTestSupport.class.getResourceAsStream(name)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Offset of signal {@code i}'s per-signal field {@code field} (0 = label ... 9 = reserved). */
    static int signalField(int ns, int field, int i) {
        int pos = 256;
        for (int k = 0; k < field; k++) {
            pos += EdfHeaderParser.SIGNAL_FIELD_WIDTHS[k] * ns;
        }
        return pos + EdfHeaderParser.SIGNAL_FIELD_WIDTHS[field] * i;
    }

    /** A copy of {@code bytes} with a header field overwritten (space padded to {@code width}). */
    static byte[] withField(byte[] bytes, int offset, int width, String value) {
        byte[] out = bytes.clone();
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < width; i++) {
            out[offset + i] = i < v.length ? v[i] : (byte) ' ';
        }
        return out;
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /**
     * A small recording with mixed rates (256/128/32/1 Hz), values spanning a few hundred units
     * with fine detail, a sub-second start and UTF-8 annotations.
     */
    static InMemoryRecording mixedRates(int seconds, long seed) {
        Random rnd = new Random(seed);
        InMemoryRecording.Builder b = InMemoryRecording.builder()
                .start(LocalDateTime.of(2023, 11, 5, 22, 47, 13, 375_000_000));
        double[] rates = {256, 128, 32, 1};
        String[] labels = {"EEG C3-M2", "ECG", "Resp Abdomen", "SpO2"};
        String[] units = {"uV", "mV", "uV", "%"};
        double[] scales = {150, 2.5, 400, 3};
        for (int s = 0; s < rates.length; s++) {
            double[] x = new double[(int) (seconds * rates[s])];
            for (int i = 0; i < x.length; i++) {
                x[i] = scales[s] * (Math.sin(2 * Math.PI * (s + 1.3) * i / rates[s]) + 0.3 * rnd.nextGaussian());
            }
            if (s == 3) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = 95 + x[i] / 3;
                }
            }
            b.signal(labels[s], units[s], rates[s], x);
        }
        b.annotation(new Annotation(0, 30, "Sleep stage W"));
        b.annotation(new Annotation(1.25, 2.5, "Arousal (spontané)"));
        b.annotation(new Annotation(3.5, Double.NaN, "Lights off"));
        b.annotation(new Annotation(seconds - 0.5, 0, "Ende der Aufzeichnung · 記録終了"));
        return b.build();
    }

    static double maxAbs(double[] x) {
        return Arrays.stream(x).map(Math::abs).max().orElse(0);
    }
}
