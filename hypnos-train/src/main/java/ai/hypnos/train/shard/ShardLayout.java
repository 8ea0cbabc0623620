package ai.hypnos.train.shard;

import ai.hypnos.transformer.ModalitySpec;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The column layout of token shards: modality blocks in order, each of its tokenizer's K
 * columns, so that a shard row is {@code [m0 level 0..K0-1, m1 level 0..K1-1, …]} — the
 * RQ-Transformer's {@code [S, ΣK]} input layout (DESIGN §6). Every shard of a set has every
 * modality of the layout; absent ones hold zero tokens and a false presence flag.
 */
public final class ShardLayout {
    private final List<ShardModality> modalities;
    private final int[] offsets;
    private final int totalK;

    @JsonCreator
    public ShardLayout(@JsonProperty("modalities") List<ShardModality> modalities) {
        if (modalities == null || modalities.isEmpty()) {
            throw new IllegalArgumentException("a shard layout needs at least one modality");
        }
        Set<String> names = new HashSet<>();
        for (ShardModality m : modalities) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("modality '" + m.name() + "' appears twice in the layout");
            }
        }
        this.modalities = List.copyOf(modalities);
        this.offsets = new int[modalities.size()];
        int k = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = k;
            k += modalities.get(i).numQuantizers();
        }
        this.totalK = k;
    }

    @JsonProperty("modalities")
    public List<ShardModality> modalities() {
        return modalities;
    }

    /** Number of modalities M. */
    public int size() {
        return modalities.size();
    }

    public ShardModality modality(int i) {
        return modalities.get(i);
    }

    /** First column of modality i. */
    public int columnOffset(int i) {
        return offsets[i];
    }

    /** Columns per second, ΣK. */
    public int totalK() {
        return totalK;
    }

    /** The modalities as the RQ-Transformer's configuration lists them. */
    public List<ModalitySpec> modalitySpecs() {
        List<ModalitySpec> out = new ArrayList<>();
        for (ShardModality m : modalities) {
            out.add(new ModalitySpec(m.name(), m.signalType(), m.numQuantizers(), m.codebookSize()));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardLayout l && l.modalities.equals(modalities);
    }

    @Override
    public int hashCode() {
        return modalities.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("ShardLayout[");
        for (int i = 0; i < modalities.size(); i++) {
            ShardModality m = modalities.get(i);
            b.append(i == 0 ? "" : ", ").append(m.name()).append(" K").append(m.numQuantizers()).append(" V")
                    .append(m.codebookSize());
        }
        return b.append(", ΣK=").append(totalK).append(']').toString();
    }
}
