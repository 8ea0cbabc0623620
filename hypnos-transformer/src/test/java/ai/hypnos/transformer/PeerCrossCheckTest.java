package ai.hypnos.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.hypnos.core.npy.NpzReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Our model against an independent PyTorch implementation of the same architecture
 * ({@code bench/transformer/peer_torch.py}) on a bundle with all 8 modalities, K from 1 to 3, two
 * vocabularies, an untied narrower depth transformer, SwiGLU, QK-norm, local and global windows,
 * and absent modalities: embeddings z (inference path) and the next-token loss per modality and
 * level (training path), computed by the peer from the same bundle and tokens
 * ({@code src/test/python/make_peer_golden.sh}).
 */
class PeerCrossCheckTest {

    private static Path resource(String name) throws Exception {
        return Path.of(PeerCrossCheckTest.class.getResource("/peer/" + name).toURI());
    }

    @Test
    void embeddingsAndLossesMatchThePyTorchPeer() throws Exception {
        try (RqTransformer model = RqTransformer.load(resource("peer_bundle.safetensors"), Device.cpu());
                NpzReader in = NpzReader.open(resource("peer_input.npz"));
                NpzReader expected = NpzReader.open(resource("peer_expected.npz"))) {
            assertEquals(PeerFixture.config(), model.config());
            long[] shape = in.get("tokens").shape();
            long[] t = in.get("tokens").toLongArray();
            int[] tokens = new int[t.length];
            for (int i = 0; i < t.length; i++) {
                tokens[i] = (int) t[i];
            }
            long[] c = in.get("channels").toLongArray();
            int[] channels = new int[c.length];
            for (int i = 0; i < c.length; i++) {
                channels[i] = (int) c[i];
            }
            TokenBatch batch = TokenBatch.of((int) shape[0], (int) shape[1], (int) shape[2], tokens,
                    in.get("presence").toBooleanArray(), channels);

            float[] z = TestModels.embed(model, batch);
            double dz = TestModels.maxAbsDiff(expected.get("z").toFloatArray(), z);
            assertTrue(dz < 1e-5, "z differs from the peer by " + dz);

            try (NDManager m = model.parameters().manager().newSubManager()) {
                TrainingOutput out = model.evaluate(batch, m);
                assertEquals(expected.get("loss").toFloatArray()[0], out.lossValue(), 1e-5);
                float[] peer = expected.get("per_level").toFloatArray();
                float[][] ours = out.perLevelLoss();
                int width = (int) expected.get("per_level").shape()[1];
                for (int i = 0; i < ours.length; i++) {
                    for (int k = 0; k < ours[i].length; k++) {
                        assertEquals(peer[i * width + k], ours[i][k], 1e-5, "modality " + i + " level " + k);
                    }
                }
            }
        }
    }
}
