package ai.hypnos.embed.djl;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/** Makes {@link HypnosModelZoo} known to DJL's {@code ModelZoo} and {@code Criteria}. */
public final class HypnosZooProvider implements ZooProvider {
    @Override
    public ModelZoo getModelZoo() {
        return new HypnosModelZoo();
    }
}
