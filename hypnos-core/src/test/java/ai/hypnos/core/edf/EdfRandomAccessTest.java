package ai.hypnos.core.edf;

import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.testing.InterruptedThread;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads of any signal over any range equal the matching slice of the whole signal, however the records are read. */
class EdfRandomAccessTest {

    @Test
    void rangesMatchSlicesOfTheWholeSignal(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("ranges.edf");
        EdfWriter.write(p, EdfTestSupport.mixedRates(20, 9));
        // Default chunks (many records per read), and tiny chunks that force reading record slices piece by piece.
        for (int chunk : new int[] {DataRecords.CHUNK_BYTES, 64, 6}) {
            try (EdfRecording rec = EdfReader.open(p, chunk)) {
                Random rnd = new Random(chunk);
                for (int i = 0; i < rec.signals().size(); i++) {
                    double[] whole = rec.read(i);
                    float[] wholeF = rec.readFloats(i);
                    int[] digital = rec.readDigital(i, 0, whole.length);
                    for (int t = 0; t < 40; t++) {
                        int from = rnd.nextInt(whole.length);
                        int count = rnd.nextInt(whole.length - from + 1);
                        assertArrayEquals(Arrays.copyOfRange(whole, from, from + count), rec.read(i, from, count));
                        assertArrayEquals(Arrays.copyOfRange(wholeF, from, from + count), rec.readFloats(i, from, count));
                        assertArrayEquals(Arrays.copyOfRange(digital, from, from + count), rec.readDigital(i, from, count));
                    }
                    assertEquals(0, rec.read(i, whole.length, 10).length, "past the end: empty");
                    assertEquals(5, rec.read(i, whole.length - 5, 100).length, "clamped at the end");
                    assertEquals(3, rec.read(i, -7, 3).length, "negative start clamped to 0");
                    double fs = rec.signals().get(i).sampleRate();
                    int first = (int) Math.round(12.5 * fs);
                    assertArrayEquals(Arrays.copyOfRange(whole, first, first + (int) Math.round(fs)), rec.readSeconds(i, 12.5, 1.0));
                }
                float[][] all = rec.readAllFloats();
                for (int i = 0; i < all.length; i++) {
                    assertArrayEquals(rec.readFloats(i), all[i]);
                }
            }
        }
    }

    @Test
    void recordsLargerThanTheReadBufferAreReadInSlices(@TempDir Path dir) throws Exception {
        double[] x = new double[100 * 600];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i * 0.01) * 100 + i % 7;
        }
        InMemoryRecording src = InMemoryRecording.builder().signal("A", "uV", 100, x).signal("B", "uV", 10, Arrays.copyOf(x, 6000)).build();
        Path p = dir.resolve("long-records.edf");
        EdfWriter.write(p, src, new EdfWriter.Options().recordDuration(300)); // 2 records of 30000 + 3000 samples
        try (EdfRecording big = EdfReader.open(p); EdfRecording sliced = EdfReader.open(p, 1000)) {
            assertEquals(2, big.recordCount());
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(big.read(i), sliced.read(i));
                assertArrayEquals(big.read(i, 29_990, 20), sliced.read(i, 29_990, 20));
            }
            EdfRoundTripTest.assertQuantisedCopy(src, sliced);
        }
    }

    /** Reading one channel allocates its array plus one bounded read buffer, not the file. */
    @Test
    void oneChannelReadAllocatesLittleMoreThanItsArray(@TempDir Path dir) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Path p = dir.resolve("alloc.edf");
        InMemoryRecording.Builder b = InMemoryRecording.builder();
        int seconds = 600;
        for (int c = 0; c < 12; c++) {
            double fs = c < 4 ? 256 : c < 8 ? 128 : 32;
            double[] x = new double[(int) (seconds * fs)];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i * 31 + c * 17) % 200 - 100;
            }
            b.signal("ch" + c, "uV", fs, x);
        }
        EdfWriter.write(p, b.build());
        try (EdfRecording rec = EdfReader.open(p)) {
            rec.readFloats(0); // warm up
            long before = threads.getCurrentThreadAllocatedBytes();
            float[] x = rec.readFloats(0);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            long array = 4L * x.length;
            assertTrue(allocated < array + DataRecords.CHUNK_BYTES + (1 << 20),
                    "allocated " + allocated + " bytes for a " + array + "-byte array (file " + rec.header().recordBytes() * rec.recordCount() + " bytes)");
        }
    }

    @Test
    void anInterruptedReaderDoesNotCloseTheRecordingForTheOthers(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("shared.edf");
        EdfWriter.write(p, EdfTestSupport.mixedRates(20, 3));
        try (EdfRecording rec = EdfReader.open(p)) {
            double[] before = rec.read(0);
            Throwable seen = InterruptedThread.failureOf(() -> rec.read(1));
            assertTrue(seen instanceof java.io.InterruptedIOException, String.valueOf(seen));
            assertTrue(seen.getMessage().contains(p.toString()), seen.getMessage());
            assertArrayEquals(before, rec.read(0), "the recording stays readable for every other thread");
        }
    }

    @Test
    void misuseIsAnIllegalArgument(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("misuse.edf");
        EdfWriter.write(p, EdfTestSupport.mixedRates(2, 1));
        try (EdfRecording rec = EdfReader.open(p)) {
            assertThrows(IllegalArgumentException.class, () -> rec.read(4, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> rec.readFloats(-1, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> rec.recordOnset(2));
        }
    }
}
