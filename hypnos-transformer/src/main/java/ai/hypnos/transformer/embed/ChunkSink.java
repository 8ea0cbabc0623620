package ai.hypnos.transformer.embed;

/** Receives the embeddings of one chunk at a time, in the order of the recording. */
@FunctionalInterface
public interface ChunkSink {
    /**
     * @param start  first second of the chunk
     * @param length seconds in the chunk
     * @param z      {@code [M, length, D]} float32, row-major (the array is reused: valid only during the call)
     */
    void accept(int start, int length, float[] z);
}
