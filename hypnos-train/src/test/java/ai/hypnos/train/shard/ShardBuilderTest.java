package ai.hypnos.train.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.core.npy.Npy;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.testing.TestData;
import ai.hypnos.train.cohort.Cohort;
import ai.hypnos.train.cohort.CohortEntry;
import ai.hypnos.train.cohort.Split;
import ai.hypnos.train.testing.TestCohorts;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardBuilderTest {
    @TempDir
    static Path root;
    static Cohort cohort;
    static Path tokenizers;

    @BeforeAll
    static void cohortWithABrokenFile() throws IOException {
        Cohort clean = TestCohorts.synthetic(root.resolve("cohort"), 3, 0.05, 11, false);
        tokenizers = TestCohorts.untrainedTokenizers(Files.createDirectories(root.resolve("tok")), 1);
        // A recording cut off in the middle of its header, and a text file posing as EDF.
        Path cut = root.resolve("cohort/edf/cut.edf");
        byte[] head = Files.readAllBytes(clean.entries().get(0).path());
        Files.write(cut, java.util.Arrays.copyOf(head, 300));
        Path text = root.resolve("cohort/edf/text.edf");
        Files.writeString(text, "this is not an EDF file\n");
        List<CohortEntry> all = new ArrayList<>(clean.entries());
        all.add(new CohortEntry("cut", "sub-9998", "edf/cut.edf", cut, null, "", 50, Split.TRAIN));
        all.add(new CohortEntry("text", "sub-9999", "edf/text.edf", text, null, "", 50, Split.TRAIN));
        cohort = Cohort.of(all);
    }

    @Test
    void tokensEqualTheReferencePipelineOnTheGoldenRecording() throws IOException {
        Path bundle = TestData.path("golden/bundle.safetensors");
        Path edf = TestData.path("golden/rec.edf");
        try (TokenizerSet set = TokenizerSet.open(bundle, Device.cpu());
                NpzReader golden = NpzReader.open(TestData.path("golden/golden.npz"))) {
            assertEquals(List.of(golden.get("modalities").toStringArray()),
                    set.layout().modalities().stream().map(ShardModality::name).toList(), "layout = bundle modalities");
            TokenShard shard = new ShardBuilder(set).buildOne(
                    new CohortEntry("rec", "golden", "rec.edf", edf, null, "", 60, Split.TRAIN));
            NpyArray want = golden.get("tokens");
            assertEquals(want.shape(1), shard.seconds());
            assertEquals(want.shape(2), set.layout().totalK());
            long[] w = want.toLongArray();
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], shard.tokens()[i], "token " + i);
            }
            assertArrayEquals(golden.get("modality_mask").toBooleanArray(), shard.presence());
        }
    }

    @Test
    void buildsSkipsBrokenFilesWithAReasonAndIsIdempotent() throws IOException {
        Path out = root.resolve("shards");
        BuildSummary first;
        try (TokenizerSet set = TokenizerSet.open(tokenizers, Device.cpu())) {
            first = new ShardBuilder(set).buildAll(cohort, out, 2);
        }
        assertEquals(3, first.count(BuildSummary.Status.BUILT), first.outcomes().toString());
        assertEquals(2, first.count(BuildSummary.Status.FAILED));
        for (BuildSummary.Outcome o : first.failures()) {
            assertFalse(o.reason().isBlank(), o.id() + " has no reason");
        }
        String summaryCsv = Files.readString(out.resolve(ShardFiles.SUMMARY_CSV));
        assertTrue(summaryCsv.contains("cut,edf/cut.edf,failed"), summaryCsv);
        assertTrue(summaryCsv.contains("text,edf/text.edf,failed"), summaryCsv);

        Map<String, byte[]> bytes = contents(out);
        Map<String, FileTime> times = mtimes(out);
        // A killed run leaves a temporary file and a shard without its marker.
        String victim = cohort.entries().get(1).id();
        Files.writeString(out.resolve("." + victim + ".tokens.npy.12345.tmp"), "partial");
        Files.delete(ShardFiles.metadataFile(out, victim));
        BuildSummary second;
        try (TokenizerSet set = TokenizerSet.open(tokenizers, Device.cpu())) {
            second = new ShardBuilder(set).buildAll(cohort, out, 1);
        }
        assertEquals(1, second.count(BuildSummary.Status.BUILT), "only the unfinished shard is rebuilt");
        assertEquals(2, second.count(BuildSummary.Status.FINISHED_BEFORE));
        assertEquals(2, second.count(BuildSummary.Status.FAILED));
        assertFalse(Files.exists(out.resolve("." + victim + ".tokens.npy.12345.tmp")), "temporary file removed");
        Map<String, byte[]> again = contents(out);
        assertEquals(bytes.keySet(), again.keySet());
        for (String f : bytes.keySet()) {
            assertArrayEquals(bytes.get(f), again.get(f), f + " changed (built with 2 threads, rebuilt with 1)");
        }
        Map<String, FileTime> timesAgain = mtimes(out);
        for (CohortEntry e : cohort.entries()) {
            if (!e.id().equals(victim) && times.containsKey(e.id() + ShardFiles.TOKENS)) {
                assertEquals(times.get(e.id() + ShardFiles.TOKENS), timesAgain.get(e.id() + ShardFiles.TOKENS),
                        e.id() + " was rewritten although finished");
            }
        }
    }

    @Test
    void aShardRecordedWithAnotherSplitIsRebuiltWithTheNewSplit() throws IOException {
        // A rerun with another --val-fraction/--split-seed (or an edited manifest) moves a subject
        // to another split; keeping its old shard would leave the old split in the metadata that
        // the training loader reads, i.e. the subject would leak across splits.
        Path out = root.resolve("resplit");
        List<CohortEntry> clean = cohort.entries().subList(0, 3);
        try (TokenizerSet set = TokenizerSet.open(tokenizers, Device.cpu())) {
            BuildSummary first = new ShardBuilder(set).buildAll(Cohort.of(clean), out, 1);
            assertEquals(3, first.count(BuildSummary.Status.BUILT), first.outcomes().toString());
            String subject = clean.get(0).subject();
            Split moved = clean.get(0).split() == Split.TEST ? Split.VAL : Split.TEST;
            List<CohortEntry> changed = new ArrayList<>();
            int movedCount = 0;
            for (CohortEntry e : clean) {
                if (e.subject().equals(subject)) {
                    changed.add(new CohortEntry(e.id(), e.subject(), e.source(), e.path(), e.annotations(), e.site(),
                            e.notch(), moved));
                    movedCount++;
                } else {
                    changed.add(e);
                }
            }
            assertFalse(ShardFiles.isFinished(out, set.layout(), set.identities(), changed.get(0)),
                    "a shard recorded as another split must not count as finished");
            BuildSummary second = new ShardBuilder(set).buildAll(Cohort.of(changed), out, 1);
            assertEquals(movedCount, second.count(BuildSummary.Status.BUILT), second.outcomes().toString());
            assertEquals(3 - movedCount, second.count(BuildSummary.Status.FINISHED_BEFORE));
            for (CohortEntry e : changed) {
                assertEquals(e.split().key(), ShardFiles.readMetadata(out, e.id()).get("split").asText(), e.id());
                assertTrue(ShardFiles.isFinished(out, set.layout(), set.identities(), e), e.id());
            }
            // Another notch or source is a different entry too.
            CohortEntry e = changed.get(0);
            assertFalse(ShardFiles.isFinished(out, set.layout(), set.identities(),
                    new CohortEntry(e.id(), e.subject(), e.source(), e.path(), e.annotations(), e.site(),
                            e.notch() == 50 ? 60 : 50, e.split())));
            assertFalse(ShardFiles.isFinished(out, set.layout(), set.identities(),
                    new CohortEntry(e.id(), e.subject(), "elsewhere/" + e.source(), e.path(), e.annotations(),
                            e.site(), e.notch(), e.split())));
        }
    }

    @Test
    void shardFilesAreNumpyArraysWithPortableMetadata() throws IOException {
        Path out = root.resolve("single");
        CohortEntry e = cohort.entries().get(0);
        try (TokenizerSet set = TokenizerSet.open(tokenizers, Device.cpu())) {
            TokenShard shard = new ShardBuilder(set).buildOne(e);
            ShardFiles.write(out, shard);
            assertTrue(ShardFiles.isFinished(out, e.id(), set.layout(), set.identities()));
            NpyArray tokens = Npy.map(ShardFiles.tokensFile(out, e.id()));
            assertEquals("<i2", tokens.descr());
            assertArrayEquals(new long[] {shard.seconds(), set.layout().totalK()}, tokens.shape());
            assertEquals(180, shard.seconds(), "0.05 h");
            assertArrayEquals(shard.presence(), Npy.read(ShardFiles.presenceFile(out, e.id())).toBooleanArray());
            JsonNode meta = ShardFiles.readMetadata(out, e.id());
            assertEquals(e.subject(), meta.get("subject").asText());
            assertEquals(e.split().key(), meta.get("split").asText());
            assertEquals(e.notch(), meta.get("notch_hz").asInt());
            assertEquals(8, meta.get("channel_resolution").get("entries").size());
            assertEquals(5, meta.get("tokenizers").size());
            String text = Files.readString(ShardFiles.metadataFile(out, e.id()));
            assertFalse(text.contains(root.toString()), "metadata names a local path: " + text);
            // Stale: other tokenizers → not finished.
            List<TokenizerIdentity> other = new ArrayList<>(set.identities());
            TokenizerIdentity t0 = other.get(0);
            other.set(0, new TokenizerIdentity(t0.stem(), t0.signalType(), t0.numQuantizers(), t0.codebookSize(),
                    t0.sampleRate(), "0".repeat(64)));
            assertFalse(ShardFiles.isFinished(out, e.id(), set.layout(), other));
            // Truncated token file → not finished.
            Path tok = ShardFiles.tokensFile(out, e.id());
            byte[] b = Files.readAllBytes(tok);
            Files.write(tok, java.util.Arrays.copyOf(b, b.length - 2));
            assertFalse(ShardFiles.isFinished(out, e.id(), set.layout(), set.identities()));
        }
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(ShardFiles.TOKENS) || n.endsWith(ShardFiles.PRESENCE)
                        || (n.endsWith(ShardFiles.METADATA) && !n.startsWith("shards-"))) {
                    out.put(n, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    private static Map<String, FileTime> mtimes(Path dir) throws IOException {
        Map<String, FileTime> out = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), Files.getLastModifiedTime(p));
            }
        }
        return out;
    }
}
