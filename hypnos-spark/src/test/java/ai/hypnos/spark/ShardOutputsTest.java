package ai.hypnos.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.hypnos.core.synth.CohortManifest;
import ai.hypnos.train.cohort.CohortEntry;
import ai.hypnos.train.cohort.Split;
import ai.hypnos.train.shard.ShardBuilder;
import ai.hypnos.train.shard.ShardFiles;
import ai.hypnos.train.shard.TokenShard;
import ai.hypnos.train.shard.TokenizerIdentity;
import ai.hypnos.train.shard.TokenizerSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file-system side without Spark: a shard's "finished" verdict through the Hadoop API agrees
 * with the single-machine builder's {@link ShardFiles#isFinished} on intact and damaged shards,
 * and atomic writes replace, never leave temporary files, and write no checksum side files.
 */
class ShardOutputsTest {
    @TempDir
    static Path root;
    static TokenizerSet set;
    static TokenShard shard;
    static FileSystem fs;
    static CohortEntry entry;

    @BeforeAll
    static void oneShard() throws IOException {
        TestCohort cohort = TestCohort.shared();
        set = TokenizerSet.open(cohort.bundle(), Device.cpu());
        CohortManifest.Entry e = CohortManifest.read(cohort.manifest()).entries().get(1);
        Path rec = cohort.dir().resolve(e.recording());
        entry = new CohortEntry(ManifestReader.idOf(rec.getFileName().toString()), e.subject(), e.recording(), rec,
                null, e.site(), e.notch(), Split.TRAIN);
        shard = new ShardBuilder(set).buildOne(entry);
        fs = HadoopOutputs.fileSystem(new org.apache.hadoop.fs.Path(root.toUri()), new Configuration());
    }

    @AfterAll
    static void close() {
        set.close();
    }

    /** Writes the shard into a fresh folder through the Hadoop API, as the job does. */
    private static Path written(String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        for (var f : ShardFiles.encode(shard).entrySet()) {
            HadoopOutputs.write(fs, new org.apache.hadoop.fs.Path(dir.toUri().toString(), f.getKey()), f.getValue());
        }
        return dir;
    }

    private static void assertSameVerdict(Path dir, boolean expected, List<TokenizerIdentity> ids) {
        boolean single = ShardFiles.isFinished(dir, shard.id(), set.layout(), ids);
        boolean spark = ShardOutputs.isFinished(fs, new org.apache.hadoop.fs.Path(dir.toUri()), shard.id(), set.layout(),
                ids);
        assertEquals(expected, single, "single-machine verdict on " + dir.getFileName());
        assertEquals(single, spark, "Hadoop verdict on " + dir.getFileName());
    }

    @Test
    void finishedVerdictsAgreeWithTheSingleMachineBuilder() throws IOException {
        assertSameVerdict(written("intact"), true, set.identities());

        Path noMarker = written("no-marker");
        Files.delete(ShardFiles.metadataFile(noMarker, shard.id()));
        assertSameVerdict(noMarker, false, set.identities());

        Path truncated = written("truncated");
        Path tok = ShardFiles.tokensFile(truncated, shard.id());
        byte[] b = Files.readAllBytes(tok);
        Files.write(tok, Arrays.copyOf(b, b.length - 2));
        assertSameVerdict(truncated, false, set.identities());

        Path noPresence = written("no-presence");
        Files.delete(ShardFiles.presenceFile(noPresence, shard.id()));
        assertSameVerdict(noPresence, false, set.identities());

        List<TokenizerIdentity> other = new ArrayList<>(set.identities());
        TokenizerIdentity t = other.get(0);
        other.set(0, new TokenizerIdentity(t.stem(), t.signalType(), t.numQuantizers(), t.codebookSize(), t.sampleRate(),
                "0".repeat(64)));
        assertSameVerdict(written("other-tokenizers"), false, other);

        Path garbage = written("garbage-json");
        Files.writeString(ShardFiles.metadataFile(garbage, shard.id()), "{not json");
        assertSameVerdict(garbage, false, set.identities());
    }

    /** The verdict of both checks for the shard in {@code dir} against a manifest entry. */
    private static void assertSameEntryVerdict(Path dir, boolean expected, String subject, String split, String source,
            int notch) {
        CohortEntry asked = new CohortEntry(entry.id(), subject, source, entry.path(), null, entry.site(), notch,
                Split.parse(split));
        boolean single = ShardFiles.isFinished(dir, set.layout(), set.identities(), asked);
        RecordingTask task = new RecordingTask(entry.id(), subject, source, entry.path().toString(), null,
                entry.site(), notch, split);
        boolean spark = ShardOutputs.isFinished(fs, new org.apache.hadoop.fs.Path(dir.toUri()), set.layout(),
                set.identities(), task);
        assertEquals(expected, single, "single-machine verdict for " + split + "/" + source + "/" + notch);
        assertEquals(single, spark, "Hadoop verdict for " + split + "/" + source + "/" + notch);
    }

    @Test
    void aShardRecordedForAnotherSplitNotchOrSourceIsNotFinished() throws IOException {
        // A rerun with another --val-fraction/--split-seed must not keep shards with the old split.
        Path dir = written("entry");
        int notch = entry.notch();
        int otherNotch = notch == 50 ? 60 : 50;
        assertSameEntryVerdict(dir, true, entry.subject(), "train", entry.source(), notch);
        assertSameEntryVerdict(dir, true, entry.subject(), "TRAIN", entry.source(), notch);
        assertSameEntryVerdict(dir, false, entry.subject(), "val", entry.source(), notch);
        assertSameEntryVerdict(dir, false, entry.subject(), "test", entry.source(), notch);
        assertSameEntryVerdict(dir, false, entry.subject(), "train", entry.source(), otherNotch);
        assertSameEntryVerdict(dir, false, entry.subject(), "train", "moved/" + entry.source(), notch);
        assertSameEntryVerdict(dir, false, entry.subject() + "-x", "train", entry.source(), notch);
    }

    @Test
    void atomicWritesReplaceAndLeaveNothingElse() throws IOException {
        Path dir = Files.createDirectories(root.resolve("atomic"));
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir.toUri().toString(), "x.npy");
        HadoopOutputs.write(fs, target, new byte[] {1, 2, 3});
        HadoopOutputs.write(fs, target, new byte[] {4, 5});
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(dir.resolve("x.npy")));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("x.npy"), s.map(p -> p.getFileName().toString()).toList(), "no .crc, no .tmp");
        }
        // A failing body leaves the old file and no temporary file.
        assertThrowsIo(() -> HadoopOutputs.write(fs, target, out -> {
            out.write(9);
            throw new IOException("disk full");
        }));
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(dir.resolve("x.npy")));
        // Leftovers of a killed writer are removed before a run, once older than the cutoff.
        Files.write(dir.resolve(".x.npy.abc.tmp"), new byte[] {1});
        long written = Files.getLastModifiedTime(dir.resolve(".x.npy.abc.tmp")).toMillis();
        assertEquals(0, HadoopOutputs.removeTemporaryFiles(fs, new org.apache.hadoop.fs.Path(dir.toUri()), written),
                "a file modified at the cutoff may belong to a running writer");
        assertEquals(1, HadoopOutputs.removeTemporaryFiles(fs, new org.apache.hadoop.fs.Path(dir.toUri()),
                written + 1));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
        assertTrue(HadoopOutputs.isTemporary(".a.tokens.npy.1x2.tmp"));
        assertFalse(HadoopOutputs.isTemporary("a.tokens.npy"));
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void assertThrowsIo(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            assertEquals("disk full", e.getMessage());
            try (var s = Files.list(root.resolve("atomic"))) {
                assertEquals(1, s.count(), "temporary file left after a failed write");
            } catch (IOException io) {
                throw new AssertionError(io);
            }
            return;
        }
        throw new AssertionError("the failing write did not fail");
    }
}
