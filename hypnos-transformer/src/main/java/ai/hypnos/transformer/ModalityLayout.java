package ai.hypnos.transformer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Where each modality lives: its token columns in {@code [B, S, ΣK]} tensors, its weight group,
 * and the rows of its code tables in the fused table the model gathers from.
 *
 * <p>Weight groups follow the reference: modalities with the same (signal type, K, V) share
 * tables, BOS vector and heads; a group is named after its first modality (the "leader"), so the
 * published keys read {@code token_embeddings.eeg_c3.0.weight} for both EEG channels.
 */
public final class ModalityLayout {
    private final List<ModalitySpec> modalities;
    private final int[] columnOffset;
    private final int totalK;
    private final int maxK;
    private final int[] groupOf;
    private final List<String> leaders;
    private final List<ModalitySpec> leaderSpecs;
    private final int[][] tableRowOffset;
    private final int tableRows;

    public ModalityLayout(List<ModalitySpec> modalities) {
        this.modalities = List.copyOf(modalities);
        int m = modalities.size();
        columnOffset = new int[m];
        groupOf = new int[m];
        Map<String, Integer> groupByKey = new LinkedHashMap<>();
        List<String> leaderNames = new ArrayList<>();
        List<ModalitySpec> leaderSpec = new ArrayList<>();
        int offset = 0;
        int kMax = 0;
        for (int i = 0; i < m; i++) {
            ModalitySpec s = modalities.get(i);
            columnOffset[i] = offset;
            offset += s.numQuantizers();
            kMax = Math.max(kMax, s.numQuantizers());
            String key = s.signalType() + "|" + s.numQuantizers() + "|" + s.codebookSize();
            Integer g = groupByKey.get(key);
            if (g == null) {
                g = leaderNames.size();
                groupByKey.put(key, g);
                leaderNames.add(s.name());
                leaderSpec.add(s);
            }
            groupOf[i] = g;
        }
        totalK = offset;
        maxK = kMax;
        leaders = Collections.unmodifiableList(leaderNames);
        leaderSpecs = Collections.unmodifiableList(leaderSpec);
        tableRowOffset = new int[leaders.size()][];
        int rows = 0;
        for (int g = 0; g < leaders.size(); g++) {
            ModalitySpec s = leaderSpecs.get(g);
            tableRowOffset[g] = new int[s.numQuantizers()];
            for (int k = 0; k < s.numQuantizers(); k++) {
                tableRowOffset[g][k] = rows;
                rows += s.codebookSize();
            }
        }
        tableRows = rows;
    }

    public List<ModalitySpec> modalities() {
        return modalities;
    }

    public int numModalities() {
        return modalities.size();
    }

    public ModalitySpec modality(int i) {
        return modalities.get(i);
    }

    /** Index of the modality of this name, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < modalities.size(); i++) {
            if (modalities.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** First token column of modality {@code i}. */
    public int columnOffset(int i) {
        return columnOffset[i];
    }

    /** ΣK, the number of token columns. */
    public int totalK() {
        return totalK;
    }

    /** The largest K of any modality. */
    public int maxK() {
        return maxK;
    }

    /** Whether every modality has the same K. */
    public boolean uniformK() {
        for (ModalitySpec s : modalities) {
            if (s.numQuantizers() != maxK) {
                return false;
            }
        }
        return true;
    }

    /** Weight group of modality {@code i}. */
    public int groupOf(int i) {
        return groupOf[i];
    }

    /** Number of weight groups. */
    public int numGroups() {
        return leaders.size();
    }

    /** Name of the leader (first modality) of group {@code g}: the key of its tables. */
    public String leader(int g) {
        return leaders.get(g);
    }

    /** Spec of group {@code g}'s leader (its K and V hold for the whole group). */
    public ModalitySpec groupSpec(int g) {
        return leaderSpecs.get(g);
    }

    /** Modalities of group {@code g}, in order. */
    public int[] membersOf(int g) {
        return IntStream.range(0, groupOf.length).filter(i -> groupOf[i] == g).toArray();
    }

    /** First row of group {@code g}'s level-{@code k} table in the fused code table. */
    public int tableRowOffset(int g, int k) {
        return tableRowOffset[g][k];
    }

    /** Rows of the fused code table (Σ over groups and levels of V). */
    public int tableRows() {
        return tableRows;
    }

    /** For every token column, the fused-table row of code 0 of that column's table. */
    public long[] columnTableOffsets() {
        long[] out = new long[totalK];
        for (int i = 0; i < modalities.size(); i++) {
            for (int k = 0; k < modalities.get(i).numQuantizers(); k++) {
                out[columnOffset[i] + k] = tableRowOffset[groupOf[i]][k];
            }
        }
        return out;
    }
}
