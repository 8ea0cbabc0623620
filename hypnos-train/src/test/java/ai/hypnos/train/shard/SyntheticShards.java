package ai.hypnos.train.shard;

import ai.hypnos.core.modality.ResolutionReport;
import ai.hypnos.train.cohort.CohortEntry;
import ai.hypnos.train.cohort.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Token shards written straight from a known random process (no recordings, no tokenizers), for
 * training tests: 4 modalities (eeg_c3, eeg_c4, ecg, resp_abd), K = 2 levels of V = 16 codes.
 * A hidden phase walks h ← h + 1 (mod 16) with probability 0.9, else jumps anywhere; every
 * modality's codes are fixed functions of the phase plus a little noise. Every level's codes are
 * close to uniform (unigram entropy ≈ ln 16 = 2.77 nats) but the next second is predictable from
 * the past: a model that learns the walk gets far below the unigram entropy.
 */
public final class SyntheticShards {
    public static final int V = 16;

    private SyntheticShards() {
    }

    public static ShardLayout layout() {
        return new ShardLayout(List.of(
                new ShardModality("eeg_c3", "eeg", "eeg", 2, V),
                new ShardModality("eeg_c4", "eeg", "eeg", 2, V),
                new ShardModality("ecg", "ecg", "ecg", 2, V),
                new ShardModality("resp_abd", "resp", "resp", 2, V)));
    }

    public static List<TokenizerIdentity> identities() {
        return List.of(new TokenizerIdentity("eeg", "eeg", 2, V, 128, "e".repeat(64)),
                new TokenizerIdentity("ecg", "ecg", 2, V, 128, "c".repeat(64)),
                new TokenizerIdentity("resp", "resp", 2, V, 32, "b".repeat(64)));
    }

    /**
     * Writes {@code train} + {@code val} recordings of {@code seconds} each into {@code dir}; the
     * last training recording has no respiration (presence false, zero tokens).
     */
    public static Path write(Path dir, int train, int val, int seconds, long seed) throws IOException {
        Files.createDirectories(dir);
        ShardLayout layout = layout();
        new ShardSetInfo(layout, identities(), dir.resolve("no-tokenizers").toString()).write(dir);
        Random r = new Random(seed);
        List<String> written = new ArrayList<>();
        for (int n = 0; n < train + val; n++) {
            Split split = n < train ? Split.TRAIN : Split.VAL;
            String id = String.format("rec-%03d", n);
            boolean[] presence = {true, true, true, n != train - 1};
            short[] tokens = new short[seconds * layout.totalK()];
            int h = r.nextInt(V);
            for (int s = 0; s < seconds; s++) {
                h = r.nextDouble() < 0.9 ? (h + 1) % V : r.nextInt(V);
                int[] row = {h, (3 * h + 1) % V, noisy(h, r), noisy((3 * h + 1) % V, r), (h + 5) % V, (h * 7) % V,
                    presence[3] ? h / 2 + (s % 2) * 8 : 0, presence[3] ? (h + 2) % V : 0};
                for (int c = 0; c < row.length; c++) {
                    tokens[s * layout.totalK() + c] = (short) row[c];
                }
            }
            CohortEntry e = new CohortEntry(id, "subject-" + n, id + ".edf", dir.resolve(id + ".edf"), null, "", 50, split);
            ResolutionReport report = new ResolutionReport(id + ".edf", List.of(), List.of());
            TokenShard shard = new TokenShard(id, layout, seconds, tokens, presence,
                    ShardMetadata.of(e, layout, seconds, presence, identities(), report, List.of()));
            ShardFiles.write(dir, shard);
            written.add(id);
        }
        return dir;
    }

    private static int noisy(int v, Random r) {
        return r.nextDouble() < 0.9 ? v : r.nextInt(V);
    }
}
