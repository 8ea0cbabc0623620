package ai.hypnos.train.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.HypnosFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CohortTest {
    @TempDir
    Path dir;

    private static List<CohortEntry> nights(int subjects, long seed, SubjectSplitter splitter) {
        Random r = new Random(seed);
        List<CohortEntry> out = new ArrayList<>();
        for (int s = 0; s < subjects; s++) {
            String subject = "subj" + s;
            int visits = 1 + r.nextInt(3);
            for (int v = 0; v < visits; v++) {
                String id = "night-" + s + "-" + v;
                out.add(new CohortEntry(id, subject, id + ".edf", Path.of(id + ".edf"), null, "", 60,
                        splitter.splitOf(subject)));
            }
        }
        return out;
    }

    @Test
    void splitsNeverShareASubjectAndFollowTheFractions() {
        SubjectSplitter splitter = new SubjectSplitter(0.15, 0.15, 7);
        Cohort c = Cohort.of(nights(2000, 1, splitter));
        Map<String, Set<Split>> seen = new HashMap<>();
        for (CohortEntry e : c.entries()) {
            seen.computeIfAbsent(e.subject(), k -> new HashSet<>()).add(e.split());
        }
        for (Map.Entry<String, Set<Split>> e : seen.entrySet()) {
            assertEquals(1, e.getValue().size(), "subject " + e.getKey() + " in " + e.getValue());
        }
        Map<Split, Integer> subjects = new EnumMap<>(Split.class);
        seen.values().forEach(s -> subjects.merge(s.iterator().next(), 1, Integer::sum));
        // 2000 subjects: binomial standard deviation of a 15 % share is 0.8 %; allow 4 of them.
        assertEquals(0.15, subjects.get(Split.VAL) / 2000.0, 0.032);
        assertEquals(0.15, subjects.get(Split.TEST) / 2000.0, 0.032);
        assertEquals(0.70, subjects.get(Split.TRAIN) / 2000.0, 0.04);
    }

    @Test
    void addingSubjectsNeverMovesTheOnesAlreadyThere() {
        SubjectSplitter splitter = new SubjectSplitter(0.1, 0.1, 3);
        Map<String, Split> before = new HashMap<>();
        for (int s = 0; s < 300; s++) {
            before.put("p" + s, splitter.splitOf("p" + s));
        }
        for (int s = 0; s < 3000; s++) {
            splitter.splitOf("new" + s); // stateless: nothing to disturb, but prove it
        }
        before.forEach((subject, split) -> assertEquals(split, new SubjectSplitter(0.1, 0.1, 3).splitOf(subject)));
        long moved = before.keySet().stream().filter(s -> new SubjectSplitter(0.1, 0.1, 4).splitOf(s) != before.get(s)).count();
        assertTrue(moved > 30, "another seed draws another partition (" + moved + " of 300 moved)");
    }

    @Test
    void aSubjectInTwoSplitsIsRejected() {
        List<CohortEntry> e = List.of(
                new CohortEntry("a1", "A", "a1.edf", Path.of("a1.edf"), null, "", 50, Split.TRAIN),
                new CohortEntry("a2", "A", "a2.edf", Path.of("a2.edf"), null, "", 50, Split.TEST));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Cohort.of(e));
        assertTrue(ex.getMessage().contains("subject 'A'"), ex.getMessage());
    }

    @Test
    void manifestSplitsAreCheckedAndMissingOnesFilledPerSubject() throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, """
                subject,recording,annotations,site,notch,split
                A,edf/a1.edf,ann/a1.xml,s1,60,train
                A,edf/a2.edf,,s1,60,
                B,/abs/b1.edf,,s2,50,
                """);
        Cohort c = Cohort.fromManifest(csv, SubjectSplitter.defaults());
        assertEquals(3, c.size());
        assertEquals(Split.TRAIN, c.entries().get(1).split(), "the subject's named split wins over the hash");
        assertEquals(dir.resolve("edf/a1.edf"), c.entries().get(0).path());
        assertEquals("edf/a1.edf", c.entries().get(0).source());
        assertNull(c.entries().get(1).annotations());
        assertEquals(Path.of("/abs/b1.edf"), c.entries().get(2).path());
        assertEquals(SubjectSplitter.defaults().splitOf("B"), c.entries().get(2).split());
        // Round trip through the writer.
        Path again = dir.resolve("again.csv");
        c.writeManifest(again);
        Cohort d = Cohort.fromManifest(again, new SubjectSplitter(0.5, 0.4, 99));
        for (int i = 0; i < 3; i++) {
            assertEquals(c.entries().get(i).path().normalize(), d.entries().get(i).path().normalize());
            assertEquals(c.entries().get(i).split(), d.entries().get(i).split());
        }

        Files.writeString(csv, """
                subject,recording,annotations,site,notch,split
                A,a1.edf,,s1,60,train
                A,a2.edf,,s1,60,test
                """);
        HypnosFormatException ex = assertThrows(HypnosFormatException.class,
                () -> Cohort.fromManifest(csv, SubjectSplitter.defaults()));
        assertTrue(ex.getMessage().contains("row 3"), ex.getMessage());
        Files.writeString(csv, """
                subject,recording,annotations,site,notch,split
                A,x/n1.edf,,s1,60,train
                B,y/n1.edf,,s1,60,train
                """);
        ex = assertThrows(HypnosFormatException.class, () -> Cohort.fromManifest(csv, SubjectSplitter.defaults()));
        assertTrue(ex.getMessage().contains("'n1' is used twice"), ex.getMessage());
    }

    @Test
    void scanPairsNsrrRecordingsWithTheirScorings() throws IOException {
        Path edfs = Files.createDirectories(dir.resolve("polysomnography/edfs/shhs1"));
        Path anns = Files.createDirectories(dir.resolve("polysomnography/annotations-events-nsrr/shhs1"));
        Path edfs2 = Files.createDirectories(dir.resolve("polysomnography/edfs/shhs2"));
        Files.writeString(edfs.resolve("shhs1-200001.edf"), "x");
        Files.writeString(edfs.resolve("shhs1-200002.edf"), "x");
        Files.writeString(edfs2.resolve("shhs2-200001.edf"), "x");
        Files.writeString(anns.resolve("shhs1-200001-nsrr.xml"), "x");
        Files.writeString(anns.resolve("shhs1-200001-profusion.xml"), "x");
        Cohort c = Cohort.scan(dir, 60, SubjectSplitter.defaults());
        assertEquals(List.of("shhs1-200001", "shhs1-200002", "shhs2-200001"),
                c.entries().stream().map(CohortEntry::id).toList());
        assertEquals(anns.resolve("shhs1-200001-nsrr.xml"), c.entries().get(0).annotations());
        assertNull(c.entries().get(1).annotations());
        assertEquals("shhs-200001", c.entries().get(0).subject());
        assertEquals("shhs-200001", c.entries().get(2).subject(), "two visits of one subject");
        assertEquals(c.entries().get(0).split(), c.entries().get(2).split());
        assertEquals("polysomnography/edfs/shhs1/shhs1-200001.edf", c.entries().get(0).source());
    }

    @Test
    void subjectsOfNsrrNames() {
        assertEquals("shhs-200001", Cohort.subjectOf("shhs1-200001"));
        assertEquals("mesa-0001", Cohort.subjectOf("mesa-sleep-0001"));
        assertEquals("cfs-800002", Cohort.subjectOf("cfs-visit5-800002"));
        assertEquals("mros-aa0001", Cohort.subjectOf("mros-visit1-aa0001"));
        assertEquals("sub-0001", Cohort.subjectOf("sub-0001"));
        assertEquals("night7", Cohort.subjectOf("night7"));
    }
}
