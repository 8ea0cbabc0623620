package ai.hypnos.cli.export;

import ai.hypnos.cli.info.CliRun;
import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpyDtype;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hypnos export}: the files hold exactly what the EDF reader reads over the requested
 * range (checked with our own NPY/NPZ readers and by parsing the CSV), and refusals leave no file.
 */
class ExportCommandTest {
    @TempDir
    Path dir;

    static final Path EDF = TestData.path("golden/rec.edf");

    static int run(StringBuilder err, String... args) {
        CliRun r = CliRun.of(args);
        err.append(r.err());
        return r.code();
    }

    static double[] edf(String label, double start, double seconds) throws Exception {
        try (EdfRecording r = EdfReader.open(EDF)) {
            return r.readSeconds(r.indexOf(label).orElseThrow(), start, seconds);
        }
    }

    @Test
    void singleChannelNpy() throws Exception {
        Path out = dir.resolve("c3.npy");
        StringBuilder err = new StringBuilder();
        assertEquals(0, run(err, "export", EDF.toString(), "--channels", "C3-M2", "--start", "10", "--duration", "5",
                "--out", out.toString()), err.toString());
        NpyArray a = Npy.read(out);
        assertEquals(NpyDtype.FLOAT64, a.dtype());
        assertArrayEquals(new long[] {640}, a.shape());
        assertArrayEquals(edf("C3-M2", 10, 5), a.toDoubleArray());
    }

    @Test
    void equalChannelsStackInNpyAsFloat32() throws Exception {
        Path out = dir.resolve("two.npy");
        StringBuilder err = new StringBuilder();
        assertEquals(0, run(err, "export", EDF.toString(), "--channels", "C3-M2,ecg", "--duration", "3", "--dtype", "float32",
                "--out", out.toString()), err.toString());
        NpyArray a = Npy.read(out);
        assertEquals(NpyDtype.FLOAT32, a.dtype());
        assertArrayEquals(new long[] {2, 384}, a.shape());
        float[] v = a.toFloatArray();
        double[] c3 = edf("C3-M2", 0, 3);
        double[] ecg = edf("ECG", 0, 3);
        for (int i = 0; i < 384; i++) {
            assertEquals((float) c3[i], v[i]);
            assertEquals((float) ecg[i], v[384 + i], "the label matched ignoring case");
        }
    }

    @Test
    void npzByLabelAndModalityKey() throws Exception {
        Path out = dir.resolve("x.npz");
        StringBuilder err = new StringBuilder();
        assertEquals(0, run(err, "export", EDF.toString(), "--channels", "ABD,eeg_c3", "--start", "60", "--out", out.toString()),
                err.toString());
        try (NpzReader z = NpzReader.open(out)) {
            assertEquals(List.of("ABD", "ABD__fs", "eeg_c3", "eeg_c3__fs"), z.keys());
            assertArrayEquals(edf("ABD", 60, 60), z.get("ABD").toDoubleArray());
            assertEquals(32.0, z.get("ABD__fs").doubleValue());
            assertEquals(128.0, z.get("eeg_c3__fs").doubleValue());
            try (EdfRecording r = EdfReader.open(EDF)) {
                double[] all = ChannelResolver.defaults().resolve(r).read(Modality.EEG_C3);
                assertArrayEquals(Arrays.copyOfRange(all, 60 * 128, all.length), z.get("eeg_c3").toDoubleArray());
            }
        }
    }

    @Test
    void csvHasATimeColumn() throws Exception {
        Path out = dir.resolve("x.csv");
        StringBuilder err = new StringBuilder();
        assertEquals(0, run(err, "export", EDF.toString(), "--channels", "C3-M2,C4-M1", "--start", "1", "--duration", "0.5",
                "--out", out.toString()), err.toString());
        List<String> lines = Files.readAllLines(out);
        assertEquals("time_s,C3-M2,C4-M1", lines.get(0));
        assertEquals(1 + 64, lines.size());
        double[] c3 = edf("C3-M2", 1, 0.5);
        double[] c4 = edf("C4-M1", 1, 0.5);
        for (int i = 0; i < 64; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(1 + i / 128.0, Double.parseDouble(f[0]), 1e-12);
            assertEquals(c3[i], Double.parseDouble(f[1]));
            assertEquals(c4[i], Double.parseDouble(f[2]));
        }
    }

    @Test
    void refusalsLeaveNoFile() {
        Path csv = dir.resolve("mixed.csv");
        StringBuilder err = new StringBuilder();
        assertEquals(2, run(err, "export", EDF.toString(), "--channels", "C3-M2,ABD", "--out", csv.toString()));
        assertTrue(err.toString().contains("export to .npz instead"), err.toString());
        assertFalse(Files.exists(csv));

        err.setLength(0);
        assertEquals(2, run(err, "export", EDF.toString(), "--channels", "C3-M2,ABD", "--out", dir.resolve("m.npy").toString()));
        assertFalse(Files.exists(dir.resolve("m.npy")));

        err.setLength(0);
        assertEquals(2, run(err, "export", EDF.toString(), "--channels", "Fz", "--out", dir.resolve("f.npy").toString()));
        assertTrue(err.toString().contains("labels: [C3-M2, C4-M1, ECG, ABD]"), err.toString());

        err.setLength(0);
        assertEquals(2, run(err, "export", EDF.toString(), "--channels", "eog_e1", "--out", dir.resolve("e.npy").toString()));
        assertTrue(err.toString().contains("modality eog_e1 is absent"), err.toString());

        err.setLength(0);
        assertEquals(2, run(err, "export", EDF.toString(), "--channels", "ECG", "--out", dir.resolve("x.mat").toString()));
        assertTrue(err.toString().contains(".npy, .npz or .csv"), err.toString());

        err.setLength(0);
        assertEquals(2, run(err, "export", EDF.toString(), "--channels", "ECG", "--start", "500", "--out", dir.resolve("late.npy").toString()));
        assertTrue(err.toString().contains("no samples from 500"), err.toString());
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(0, files.count(), "nothing written, no temporary files left");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
