package ai.hypnos.embed.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.pipeline.ChunkedEmbedder;
import ai.hypnos.transformer.TokenBatch;

/**
 * The DJL block of a Hypnos model: tokens → per-modality embeddings, the chunked temporal
 * transformer ({@link ChunkedEmbedder}: one native scope per chunk, as {@code HypnosModel.embed}).
 *
 * <p>Inputs: tokens {@code [1, S, ΣK]} int64, presence {@code [1, M]} bool, channel ids
 * {@code [1, M]} int64, chunk length {@code [1]} int64. Output: {@code [M, S, D]} float32
 * (zeros for absent modalities), in the inputs' manager. Inference only; no trainable parameters
 * (the weights belong to the bundle).
 */
public final class HypnosBlock extends AbstractBlock {
    private final HypnosModel model;

    public HypnosBlock(HypnosModel model) {
        this.model = model;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (training) {
            throw new UnsupportedOperationException("the Hypnos block is for inference; train with hypnos-train");
        }
        NDArray tokens = inputs.get(0);
        Shape ts = tokens.getShape();
        int s = (int) ts.get(1);
        int k = (int) ts.get(2);
        long[] flat = tokens.toType(DataType.INT64, false).toLongArray();
        int[] t = new int[flat.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.toIntExact(flat[i]);
        }
        boolean[] presence = inputs.get(1).toBooleanArray();
        long[] ids = inputs.get(2).toLongArray();
        int[] channelIds = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            channelIds[i] = (int) ids[i];
        }
        int chunk = (int) inputs.get(3).toLongArray()[0];
        int m = presence.length;
        int d = model.embedDim();
        float[] out = new float[Math.multiplyExact(m, Math.multiplyExact(s, d))];
        ChunkedEmbedder.forEachChunk(model.bundle().model(), TokenBatch.of(1, s, k, t, presence, channelIds), chunk,
                (start, length, z) -> {
                    for (int i = 0; i < m; i++) {
                        System.arraycopy(z, i * length * d, out, (i * s + start) * d, length * d);
                    }
                });
        NDManager manager = tokens.getManager();
        return new NDList(manager.create(out, new Shape(m, s, d)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long s = inputShapes[0].get(1);
        return new Shape[] {new Shape(model.modalities().size(), s, model.embedDim())};
    }
}
