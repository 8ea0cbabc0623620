package ai.hypnos.eval.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.eval.SyntheticFeatures;
import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.data.Manifest;
import ai.hypnos.eval.metrics.Bootstrap;
import ai.hypnos.eval.probe.ProbeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invariants of the splitting protocols and an end-to-end cross-validation. */
class ProtocolsTest {

    static List<String> subjects(int n) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add("sub" + i);
        }
        return s;
    }

    @Test
    void kFoldNeverSharesASubjectAndTestsEachOnce() {
        for (int n : new int[] {5, 17, 40}) {
            for (int k : new int[] {2, 5}) {
                List<Split> splits = new SubjectKFold(k, 3).splits(subjects(n));
                assertEquals(k, splits.size());
                Set<String> tested = new HashSet<>();
                for (Split s : splits) {
                    Set<String> train = new HashSet<>(s.train());
                    for (String t : s.test()) {
                        assertTrue(!train.contains(t), "subject " + t + " in train and test");
                        assertTrue(tested.add(t), "subject " + t + " tested twice");
                    }
                    assertEquals(n, s.train().size() + s.test().size());
                    assertTrue(Math.abs(s.test().size() - n / (double) k) < 1, "balanced folds");
                }
                assertEquals(n, tested.size());
            }
        }
        assertEquals(new SubjectKFold(5, 1).splits(subjects(20)), new SubjectKFold(5, 1).splits(subjects(20)));
        assertNotEquals(new SubjectKFold(5, 1).splits(subjects(20)), new SubjectKFold(5, 2).splits(subjects(20)));
        assertThrows(IllegalArgumentException.class, () -> new SubjectKFold(5, 0).splits(subjects(4)));
        assertThrows(IllegalArgumentException.class, () -> new Split("x", List.of("a", "b"), List.of("b")));
    }

    @Test
    void fewShotSubsetsAreNestedSeededAndNeverEmpty() {
        FewShot fs = new FewShot(new double[] {1.0, 0.01, 0.1, 0.5}, new long[] {0, 1, 2});
        List<String> train = subjects(37);
        for (long seed : fs.seeds()) {
            List<String> previous = List.of();
            for (double f : fs.fractions()) {
                List<String> sub = fs.subset(train, f, seed, 4);
                assertEquals(FewShot.count(f, 37), sub.size());
                assertTrue(sub.size() >= 1);
                assertTrue(sub.containsAll(previous), "nested");
                assertTrue(train.containsAll(sub));
                assertEquals(sub, fs.subset(train, f, seed, 4), "repeatable");
                previous = sub;
            }
        }
        assertNotEquals(fs.subset(train, 0.1, 0, 0), fs.subset(train, 0.1, 1, 0));
        assertEquals(1, FewShot.count(0.01, 37));
        assertEquals(37, FewShot.count(1.0, 37));
        assertThrows(IllegalArgumentException.class, () -> new FewShot(new double[] {0}, new long[] {0}));
    }

    @Test
    void fixedSplitFromManifest(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("m.csv");
        Files.writeString(m, "subject,recording,split\na,a1.edf,train\na,a2.edf,train\nb,b.edf,val\nc,c.edf,test\n");
        Split s = FixedSplit.fromManifest(Manifest.read(m));
        assertEquals(List.of("a", "b"), s.train());
        assertEquals(List.of("c"), s.test());
        Files.writeString(m, "subject,recording,split\na,a1.edf,train\na,a2.edf,test\n");
        assertThrows(IllegalArgumentException.class, () -> FixedSplit.fromManifest(Manifest.read(m)));
    }

    @Test
    void crossValidationPoolsEveryTestRowOnce() {
        LabeledDataset ds = SyntheticFeatures.dataset(12, 60, 8, 5, 2.0, 1);
        ProbeEvaluation eval = new ProbeEvaluation(ProbeSpec.linear(1.0), new Bootstrap(200, 0.95, 0), true);
        EvaluationResult r = eval.crossValidate(ds, new SubjectKFold(4, 0).splits(ds.subjects()), 0, "4-fold");
        assertEquals(ds.size(), r.pooled().size());
        assertEquals(4, r.folds().size());
        assertTrue(r.overall().cohenKappa() > 0.8, "kappa " + r.overall().cohenKappa());
        assertTrue(r.kappaCi().contains(r.overall().cohenKappa()));
        assertEquals(12, r.pooled().metricsBySubject().size());
        for (FoldResult f : r.folds()) {
            for (String s : f.predictions().subjects()) {
                assertTrue(f.split().test().contains(s));
            }
        }
    }

    @Test
    void fewShotCurveAndModalitySubsets() throws Exception {
        LabeledDataset ds = SyntheticFeatures.dataset(10, 40, 6, 5, 1.5, 2);
        ProbeEvaluation eval = new ProbeEvaluation(ProbeSpec.linear(0.5), new Bootstrap(50, 0.95, 0), true);
        List<Split> splits = new SubjectKFold(2, 0).splits(ds.subjects());
        FewShotResult r = new FewShotEvaluation(eval, new FewShot(new double[] {0.2, 1.0}, new long[] {0, 1})).run(ds, splits);
        assertEquals(4, r.points().size());
        List<double[]> curve = r.curve(x -> x.overall().cohenKappa());
        assertEquals(2, curve.size());
        assertEquals(0.2, curve.get(0)[0]);
        assertEquals(2, (int) curve.get(0)[3]);
        assertTrue(curve.get(1)[1] >= curve.get(0)[1] - 0.05, "more labels do not hurt much");
        for (FewShotResult.Point p : r.points()) {
            assertEquals(ds.size(), p.result().pooled().size(), "test sets never shrink");
        }
        // Modality subsets: here the "restricted" dataset is the same features with noise added.
        LabeledDataset noisy = SyntheticFeatures.dataset(10, 40, 6, 5, 0.5, 2);
        List<ModalitySubsetEvaluation.Row> rows = new ModalitySubsetEvaluation(eval).run(
                sel -> sel.full() ? ds : noisy, List.of(ai.hypnos.eval.data.ModalitySelection.parse("eeg")), splits, 0);
        assertEquals(3, rows.size());
        assertEquals("all", rows.get(0).test().name());
        assertEquals("eeg_c3+eeg_c4", rows.get(1).test().name());
        assertEquals("all", rows.get(1).train().name());
        assertEquals("eeg_c3+eeg_c4", rows.get(2).train().name());
    }
}
