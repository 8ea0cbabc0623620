package ai.hypnos.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EpochWindowsTest {
    private static final int[] LENGTHS = lengths();

    private static int[] lengths() {
        Random r = new Random(5);
        int[] l = new int[40];
        for (int i = 0; i < l.length; i++) {
            l[i] = r.nextInt(900); // some shorter than a window
        }
        return l;
    }

    private static List<Long> keys(EpochWindows w) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            out.add(((long) w.shard(i) << 32) | w.start(i));
        }
        return out;
    }

    @Test
    void everyWindowOfAnEpochExactlyOnceTilingEachRecording() {
        int s = 64;
        for (long seed : new long[] {0, 1, 99}) {
            for (long epoch = 0; epoch < 4; epoch++) {
                EpochWindows w = EpochWindows.of(LENGTHS, s, seed, epoch, true, true);
                List<Long> k = keys(w);
                assertEquals(k.size(), new HashSet<>(k).size(), "a window repeated");
                Map<Integer, List<Integer>> starts = new HashMap<>();
                for (int i = 0; i < w.size(); i++) {
                    starts.computeIfAbsent(w.shard(i), x -> new ArrayList<>()).add(w.start(i));
                }
                for (int shard = 0; shard < LENGTHS.length; shard++) {
                    List<Integer> st = starts.getOrDefault(shard, List.of()).stream().sorted().toList();
                    if (LENGTHS[shard] < s) {
                        assertTrue(st.isEmpty());
                        continue;
                    }
                    int offset = st.get(0);
                    assertTrue(offset >= 0 && offset < s && offset <= LENGTHS[shard] - s);
                    assertEquals((LENGTHS[shard] - offset) / s, st.size(), "shard " + shard + " not fully tiled");
                    for (int j = 0; j < st.size(); j++) {
                        assertEquals(offset + j * s, st.get(j));
                    }
                }
            }
        }
    }

    @Test
    void orderIsAFunctionOfSeedAndEpoch() {
        assertEquals(keys(EpochWindows.of(LENGTHS, 32, 4, 2, true, true)), keys(EpochWindows.of(LENGTHS, 32, 4, 2, true, true)));
        assertNotEquals(keys(EpochWindows.of(LENGTHS, 32, 4, 2, true, true)), keys(EpochWindows.of(LENGTHS, 32, 5, 2, true, true)));
        assertNotEquals(keys(EpochWindows.of(LENGTHS, 32, 4, 2, true, true)), keys(EpochWindows.of(LENGTHS, 32, 4, 3, true, true)));
        // Without random offsets the set is the same every epoch; only the order changes.
        Set<Long> a = new HashSet<>(keys(EpochWindows.of(LENGTHS, 32, 4, 0, false, true)));
        Set<Long> b = new HashSet<>(keys(EpochWindows.of(LENGTHS, 32, 4, 1, false, true)));
        assertEquals(a, b);
    }
}
