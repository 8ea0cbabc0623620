package ai.hypnos.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.train.cohort.Split;
import ai.hypnos.train.shard.SyntheticShards;
import ai.hypnos.transformer.TokenBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowDatasetTest {
    @TempDir
    Path dir;

    @Test
    void theStreamReadsEveryWindowOfEachEpochExactlyOnce() throws IOException {
        SyntheticShards.write(dir, 5, 2, 300, 1);
        ShardSet train = ShardSet.open(dir, List.of(Split.TRAIN));
        assertEquals(5, train.size());
        WindowDataset d = new WindowDataset(train, 32, 7, true);
        DataPosition p = DataPosition.start();
        for (long epoch = 0; epoch < 3; epoch++) {
            EpochWindows w = d.epoch(epoch);
            Map<Long, Integer> seen = new HashMap<>();
            assertEquals(epoch, p.epoch());
            // Batches of 7 do not divide the epoch: the last one spills into the next epoch.
            while (p.epoch() == epoch) {
                WindowDataset.Batch b = d.next(p, 7);
                long e = p.epoch();
                long i = p.index();
                for (int[] win : b.windows()) {
                    if (e == epoch) {
                        seen.merge(((long) win[0] << 32) | win[1], 1, Integer::sum);
                    }
                    i++;
                    if (i >= d.epoch(e).size()) {
                        e++;
                        i = 0;
                    }
                }
                p = b.next();
            }
            assertEquals(w.size(), seen.size(), "epoch " + epoch + " missed windows");
            assertTrue(seen.values().stream().allMatch(c -> c == 1), "epoch " + epoch + " repeated a window");
        }
    }

    @Test
    void samplesCarryTheirRecordingsTokensAndPresence() throws IOException {
        SyntheticShards.write(dir, 3, 0, 100, 2);
        ShardSet train = ShardSet.open(dir, List.of(Split.TRAIN));
        WindowDataset d = new WindowDataset(train, 16, 0, false);
        WindowDataset.Batch b = d.next(DataPosition.start(), 4);
        TokenBatch t = b.batch();
        int k = train.layout().totalK();
        for (int s = 0; s < 4; s++) {
            int shard = b.windows()[s][0];
            int start = b.windows()[s][1];
            short[] rows = train.read(shard, start, 16);
            for (int j = 0; j < rows.length; j++) {
                assertEquals(rows[j], t.token(s, j / k, j % k));
            }
            boolean[] p = java.util.Arrays.copyOfRange(t.presence(), s * 4, s * 4 + 4);
            assertArrayEquals(train.shard(shard).presence(), p);
        }
        assertFalse(train.shard(2).presence()[3], "the last training recording has no respiration");
        assertArrayEquals(new int[] {0, 1, 5, 6}, java.util.Arrays.copyOf(t.channelIds(), 4), "standard channel ids");
    }
}
