package ai.hypnos.eval.data;

import java.io.IOException;

/**
 * Per-second embeddings of one recording (1 Hz, dimension D), per modality and as the model's
 * mean over present modalities. Implementations: {@link EmbeddingFile} (an NPZ written by the
 * embedding pipeline) and {@link InMemoryEmbeddings}.
 */
public interface EmbeddingSource {

    /** Number of seconds S. */
    int seconds();

    /** Embedding dimension D. */
    int dim();

    /**
     * The per-second embedding averaged over the chosen modalities that are present at each
     * second; seconds where none is present are marked undefined.
     */
    PerSecondEmbeddings select(ModalitySelection selection) throws IOException;
}
