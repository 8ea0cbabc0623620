package ai.hypnos.core.edf;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.testing.TestData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded mutation fuzzing of the reader: valid files (EDFlib's, PhysioNet's, the numpy-crafted
 * BDF+C and EDF+D, our writer's) get bit flips, byte replacements biased towards the header's
 * ASCII fields and the TAL control bytes, whole-field rewrites with hostile numbers, and
 * truncations. Every mutant must either open and read completely or fail with a
 * {@link HypnosFormatException}; anything else (index errors, arithmetic errors, out-of-memory)
 * fails the test with the seed and iteration to replay it.
 */
class EdfFuzzTest {
    private static final long SEED = 0x5EED_EDF0L;
    private static final int MAX_ITERATIONS = 6000;
    private static final long TIME_BUDGET_NANOS = 15_000_000_000L;
    private static final byte[] INTERESTING = "0123456789 +-.eE\u0000\u0014\u0015\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    private static final String[] HOSTILE_NUMBERS = {
        "-1", "0", "1", "-0", "99999999", "-9999999", "2147483648", "1e308", "0.0000001", " ", "", "+5", "3.", ".5",
        "65535", "-32769", "8388608", "NaN", "1,5"};
    private static final int[][] NUMERIC_FIELDS = {{184, 8}, {236, 8}, {244, 8}, {252, 4}, {168, 8}, {176, 8}};

    @Test
    void mutantsOpenOrFailWithAFormatError(@TempDir Path dir) throws Exception {
        List<byte[]> bases = bases(dir);
        Random rnd = new Random(SEED);
        Path p = dir.resolve("mutant.edf");
        long start = System.nanoTime();
        int iterations = 0;
        int opened = 0;
        int rejected = 0;
        for (; iterations < MAX_ITERATIONS && System.nanoTime() - start < TIME_BUDGET_NANOS; iterations++) {
            byte[] base = bases.get(rnd.nextInt(bases.size()));
            StringBuilder how = new StringBuilder();
            byte[] mutant = mutate(base, rnd, how);
            Files.write(p, mutant);
            try {
                readEverything(p, rnd);
                opened++;
            } catch (HypnosFormatException expected) {
                rejected++;
                assertTrue(expected.getMessage().startsWith(p.toString()), expected.getMessage());
            } catch (Throwable t) {
                Path keep = dir.resolve("failing-" + iterations + ".edf");
                Files.copy(p, keep);
                throw new AssertionError("iteration " + iterations + " (seed " + SEED + ", mutations: " + how
                        + ") threw " + t, t);
            }
        }
        assertTrue(iterations >= 300, "only " + iterations + " iterations ran");
        assertTrue(opened > 0 && rejected > 0, "opened " + opened + ", rejected " + rejected);
        System.out.printf("fuzz: %d mutants, %d opened, %d rejected with HypnosFormatException%n", iterations, opened, rejected);
    }

    private static void readEverything(Path p, Random rnd) throws IOException {
        try (EdfRecording rec = EdfReader.open(p)) {
            rec.readAllFloats();
            for (int i = 0; i < rec.signals().size(); i++) {
                long n = rec.signals().get(i).sampleCount();
                long from = n == 0 ? 0 : (long) (rnd.nextDouble() * n);
                rec.read(i, from, rnd.nextInt(1000));
                rec.readDigital(i, from - 3, 7);
            }
            for (Annotation a : rec.annotations()) {
                a.text().length();
            }
            rec.segments();
            rec.startTime();
            if (rec.recordCount() > 0) {
                rec.recordOnset(rec.recordCount() - 1);
            }
        }
    }

    private static byte[] mutate(byte[] base, Random rnd, StringBuilder how) {
        byte[] b = base.clone();
        int header = Math.min(b.length, 256 * (1 + Math.max(1, Math.min(64, parseSignals(b)))));
        int count = 1 + rnd.nextInt(4);
        for (int m = 0; m < count; m++) {
            int kind = rnd.nextInt(10);
            boolean inHeader = rnd.nextInt(10) < 6;
            int pos = inHeader ? rnd.nextInt(header) : rnd.nextInt(b.length);
            switch (kind) {
                case 0, 1 -> {
                    b[pos] ^= (byte) (1 << rnd.nextInt(8));
                    how.append("flip@").append(pos).append(' ');
                }
                case 2, 3, 4 -> {
                    b[pos] = INTERESTING[rnd.nextInt(INTERESTING.length)];
                    how.append("set@").append(pos).append(' ');
                }
                case 5 -> {
                    b[pos] = (byte) rnd.nextInt(256);
                    how.append("rand@").append(pos).append(' ');
                }
                case 6, 7 -> {
                    int[] f = fieldFor(b, rnd);
                    String v = HOSTILE_NUMBERS[rnd.nextInt(HOSTILE_NUMBERS.length)];
                    if (f[0] + f[1] <= b.length) {
                        b = EdfTestSupport.withField(b, f[0], f[1], v.length() > f[1] ? v.substring(0, f[1]) : v);
                        how.append("field@").append(f[0]).append('=').append(v).append(' ');
                    }
                }
                case 8 -> {
                    int len = rnd.nextBoolean() ? rnd.nextInt(b.length + 1) : Math.max(0, b.length - 1 - rnd.nextInt(64));
                    b = Arrays.copyOf(b, len);
                    how.append("truncate@").append(len).append(' ');
                    if (b.length == 0) {
                        return b;
                    }
                }
                default -> {
                    int extra = 1 + rnd.nextInt(600);
                    b = Arrays.copyOf(b, b.length + extra);
                    for (int i = b.length - extra; i < b.length; i++) {
                        b[i] = (byte) rnd.nextInt(256);
                    }
                    how.append("append ").append(extra).append(' ');
                }
            }
            if (b.length == 0) {
                return b;
            }
            header = Math.min(header, b.length);
        }
        return b;
    }

    /** A fixed numeric field, or a per-signal numeric field (physical/digital range, samples per record). */
    private static int[] fieldFor(byte[] b, Random rnd) {
        int ns = parseSignals(b);
        if (ns < 1 || rnd.nextBoolean()) {
            return NUMERIC_FIELDS[rnd.nextInt(NUMERIC_FIELDS.length)];
        }
        int[] perSignal = {3, 4, 5, 6, 8};
        int field = perSignal[rnd.nextInt(perSignal.length)];
        int off = EdfTestSupport.signalField(ns, field, rnd.nextInt(ns));
        return new int[] {off, 8};
    }

    private static int parseSignals(byte[] b) {
        if (b.length < 256) {
            return 0;
        }
        try {
            return Integer.parseInt(new String(b, 252, 4, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<byte[]> bases(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        Path w = dir.resolve("writer.edf");
        EdfWriter.write(w, EdfTestSupport.mixedRates(4, 11));
        out.add(Files.readAllBytes(w));
        Path bdf = dir.resolve("writer.bdf");
        EdfWriter.write(bdf, EdfTestSupport.mixedRates(3, 12), new EdfWriter.Options().bdf(true));
        out.add(Files.readAllBytes(bdf));
        out.add(Files.readAllBytes(EdfTestSupport.resource("bdf_plus_c.bdf", dir)));
        out.add(Files.readAllBytes(EdfTestSupport.resource("edf_plus_d.edf", dir)));
        out.add(Files.readAllBytes(TestData.path("edf/hmc_sn001_scoring.edf")));
        // EDFlib's file, cut to its first 4 records (and the header count set to match).
        byte[] gen = Files.readAllBytes(TestData.path("edf/test_generator_2.edf"));
        int recordBytes = (11 * 200 + 51) * 2;
        out.add(EdfTestSupport.withField(Arrays.copyOf(gen, 256 * 13 + 4 * recordBytes), EdfTestSupport.RECORD_COUNT, 8, "4"));
        return out;
    }
}
