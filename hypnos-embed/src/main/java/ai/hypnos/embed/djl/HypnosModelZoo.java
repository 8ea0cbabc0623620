package ai.hypnos.embed.djl;

import ai.djl.repository.zoo.ModelZoo;
import java.util.Set;

/**
 * The Hypnos model zoo, group id {@value #GROUP_ID}, one model {@value HypnosModelLoader#ARTIFACT_ID}:
 *
 * <pre>{@code
 * Criteria<Recording, Embeddings> c = Criteria.builder()
 *         .setTypes(Recording.class, Embeddings.class)
 *         .optGroupId("ai.hypnos").optArtifactId("hypnos")
 *         .optArgument("bundle", "joncarter/hypnos")      // or a local path; default: the published weights
 *         .optArgument("notch", 60)
 *         .build();
 * }</pre>
 *
 * Registered through {@link HypnosZooProvider} ({@code META-INF/services/ai.djl.repository.zoo.ZooProvider}).
 */
public final class HypnosModelZoo extends ModelZoo {
    /** The zoo's group id. */
    public static final String GROUP_ID = "ai.hypnos";

    public HypnosModelZoo() {
        addModel(new HypnosModelLoader());
    }

    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    @Override
    public Set<String> getSupportedEngines() {
        return Set.of(HypnosEngine.ENGINE_NAME);
    }
}
