package ai.hypnos.eval.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzWriter;
import ai.hypnos.core.testing.TestData;
import ai.hypnos.core.wfdb.RhythmInterval;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature directories, manifests and label files. */
class FilesTest {

    static void writeSubject(Path f, float[] x, int n, int d, long[] y) throws Exception {
        try (NpzWriter w = NpzWriter.begin(f, false)) {
            w.put("X", NpyArray.of(x, n, d));
            w.put("y", NpyArray.of(y, y.length));
            w.commit();
        }
    }

    @Test
    void featureDirectoryDropsUnscoredAndInfersClasses(@TempDir Path dir) throws Exception {
        writeSubject(dir.resolve("b.npz"), new float[] {1, 2, 3, 4, 5, 6}, 3, 2, new long[] {0, -1, 2});
        writeSubject(dir.resolve("a.npz"), new float[] {7, 8, 9, 10}, 2, 2, new long[] {1, 1});
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        LabeledDataset ds = FeatureDirectory.read(dir);
        assertEquals(List.of("a", "b"), ds.subjects());
        assertEquals(4, ds.size());
        assertEquals(3, ds.numClasses());
        assertArrayEquals(new int[] {1, 1, 0, 2}, ds.y());
        assertEquals(2, ds.indexOf(3), "row index within the subject's file counts unscored rows");
        assertEquals(5f, ds.x().get(3, 0));
    }

    @Test
    void featureDirectoryErrorsNameFileAndArray(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("s.npz");
        try (NpzWriter w = NpzWriter.begin(bad, false)) {
            w.put("X", NpyArray.of(new float[4], 2, 2));
            w.commit();
        }
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> FeatureDirectory.read(dir));
        assertEquals("y", e.field());
        assertEquals(bad, e.file());
        writeSubject(bad, new float[4], 2, 2, new long[] {0, 1, 1});
        assertEquals("y.shape", assertThrows(HypnosFormatException.class, () -> FeatureDirectory.read(dir)).field());
        writeSubject(bad, new float[4], 2, 2, new long[] {0, -3});
        assertEquals("y[1]", assertThrows(HypnosFormatException.class, () -> FeatureDirectory.read(dir)).field());
        writeSubject(bad, new float[4], 2, 2, new long[] {0, 1});
        writeSubject(dir.resolve("t.npz"), new float[3], 1, 3, new long[] {0});
        assertEquals("X.shape[1]", assertThrows(HypnosFormatException.class, () -> FeatureDirectory.read(dir)).field());
    }

    @Test
    void manifestResolvesPathsAndParsesQuotes(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("cohort.csv");
        Files.writeString(m, "subject,recording,annotations,site,notch,split\n"
                + "s1,edf/s1.edf,labels/s1.npy,\"Site, A\",50,train\n"
                + "# comment\n"
                + "s2,/data/s2.edf,,B,,test\n");
        Manifest man = Manifest.read(m);
        assertEquals(2, man.entries().size());
        Manifest.Entry e = man.entries().get(0);
        assertEquals(dir.resolve("edf/s1.edf"), e.recording());
        assertEquals(dir.resolve("labels/s1.npy"), e.annotations());
        assertEquals("Site, A", e.site());
        assertEquals(50, e.notch());
        assertEquals("s1", e.recordingId());
        assertNull(man.entries().get(1).annotations());
        assertEquals(0, man.entries().get(1).notch());
        Files.writeString(m, "subject,annotations\ns1,a.npy\n");
        assertThrows(HypnosFormatException.class, () -> Manifest.read(m));
        Files.writeString(m, "subject,recording,notch\ns1,a.edf,fifty\n");
        assertThrows(HypnosFormatException.class, () -> Manifest.read(m));
    }

    @Test
    void labelFiles(@TempDir Path dir) throws Exception {
        Path npy = dir.resolve("l.npy");
        Npy.write(npy, NpyArray.of(new long[] {0, 4, -1, 2}, 4));
        assertArrayEquals(new int[] {0, 4, -1, 2}, LabelFiles.read(npy, LabelFiles.Task.STAGING, 120, 30));
        assertThrows(HypnosFormatException.class, () -> LabelFiles.read(npy, LabelFiles.Task.AF, 120, 30));
        Path txt = dir.resolve("h.txt");
        Files.writeString(txt, "W\nN1\nN2\nN3\nR\n?\n");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, -1}, LabelFiles.read(txt, LabelFiles.Task.STAGING, 180, 30));
        Path af = dir.resolve("af.csv");
        Files.writeString(af, "window,label\n0,0\n1,1\n2,-1\n".replace("window,label\n", "# window,label\n"));
        assertArrayEquals(new int[] {0, 1, -1}, LabelFiles.read(af, LabelFiles.Task.AF, 90, 30));
        // A real 6-hour expert hypnogram (YASA) and an EDF+ scoring file (HMC).
        int[] yasa = LabelFiles.read(TestData.path("eeg/yasa_hypnogram_6h_30s.txt"), LabelFiles.Task.STAGING, 6 * 3600, 30);
        assertEquals(720, yasa.length);
        int[] hmc = LabelFiles.read(TestData.path("edf/hmc_sn001_scoring.edf"), LabelFiles.Task.STAGING, 8 * 3600, 30);
        assertTrue(java.util.Arrays.stream(hmc).filter(v -> v >= 0).count() > 500);
    }

    @Test
    void npyLabelsBelowMinusOneAreRejectedNotMadeUnscored(@TempDir Path dir) throws Exception {
        // −2 and −9 are not "unscored" (−1): they must fail like too-large labels do, naming the
        // file, the index and the stored value, for both tasks.
        for (long bad : new long[] {-2, -9, Long.MIN_VALUE}) {
            Path npy = dir.resolve("neg" + (bad == Long.MIN_VALUE ? "min" : -bad) + ".npy");
            Npy.write(npy, NpyArray.of(new long[] {0, -1, 1, bad, 0}, 5));
            for (LabelFiles.Task task : LabelFiles.Task.values()) {
                HypnosFormatException e = assertThrows(HypnosFormatException.class,
                        () -> LabelFiles.read(npy, task, 150, 30));
                assertEquals(npy, e.file());
                assertEquals("label[3]", e.field());
                assertEquals(Long.toString(bad), e.value());
                assertTrue(e.getMessage().contains(npy.toString()) && e.getMessage().contains("label[3]")
                        && e.getMessage().contains("'" + bad + "'"), e.getMessage());
            }
        }
        // A label above the int range is reported as stored, not as a clamped Integer.MAX_VALUE.
        Path huge = dir.resolve("huge.npy");
        Npy.write(huge, NpyArray.of(new long[] {0, 1L << 40}, 2));
        HypnosFormatException e = assertThrows(HypnosFormatException.class,
                () -> LabelFiles.read(huge, LabelFiles.Task.STAGING, 60, 30));
        assertEquals("label[1]", e.field());
        assertEquals(Long.toString(1L << 40), e.value());
        // The boundary values stay accepted.
        Path ok = dir.resolve("ok.npy");
        Npy.write(ok, NpyArray.of(new long[] {-1, 0, 1}, 3));
        assertArrayEquals(new int[] {-1, 0, 1}, LabelFiles.read(ok, LabelFiles.Task.AF, 90, 30));
    }

    @Test
    void rhythmAnnotationsBecomeWindowLabels() throws Exception {
        List<RhythmInterval> r = List.of(
                new RhythmInterval("N", 0, 0, 0, 40),
                new RhythmInterval("AFIB", 0, 0, 40, 100),
                new RhythmInterval("AFL", 0, 0, 100, 130));
        // windows: [0,30) N; [30,60) 10 s N + 20 s AF → AF; [60,90) AF; [90,120) AF+AFL; [120,150) 10 s AFL only → unscored
        assertArrayEquals(new int[] {0, 1, 1, 1, -1}, RhythmLabels.fromIntervals(r, 30, 5, 0.5, true));
        assertArrayEquals(new int[] {0, 1, 1, 0, -1}, RhythmLabels.fromIntervals(r, 30, 5, 0.5, false));
        // MIT-BIH record 100 is normal sinus rhythm throughout its 30 minutes.
        TestData.path("wfdb/100.hea"); // the annotation reader takes the frame rate from the header beside it
        int[] labels = LabelFiles.read(TestData.path("wfdb/100.atr"), LabelFiles.Task.AF, 1805, 30);
        assertEquals(60, labels.length);
        assertTrue(java.util.Arrays.stream(labels).allMatch(v -> v == 0));
    }
}
