package ai.hypnos.transformer;

import ai.djl.Device;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the input of the cross-check against the PyTorch peer ({@code bench/transformer/
 * peer_torch.py}): a small bundle with all 8 modalities (K 1–3, two vocabularies, untied narrower
 * depth, SwiGLU, QK-norm, local and global windows) and a token batch with absent modalities.
 * Run by {@code src/test/python/make_peer_golden.sh}; its outputs are test resources.
 */
public final class PeerFixture {
    private PeerFixture() {
    }

    static TransformerConfig config() {
        List<ModalitySpec> mods = new ArrayList<>();
        for (Modality m : Modality.values()) {
            int k = switch (m.signalType()) {
                case EEG, EOG -> 3;
                case EMG, ECG -> 2;
                case RESP -> 1;
            };
            mods.add(ModalitySpec.of(m, k, m.signalType() == ai.hypnos.core.modality.SignalType.EEG ? 12 : 8));
        }
        return TransformerConfig.builder(mods).embedDim(16).temporalDepth(2).temporalHeads(2).depthDim(8)
                .depthDepth(2).depthHeads(2).slidingWindow(4).globalEveryN(2).globalWindow(8).swiglu(true)
                .qkNorm(true).channelEmbeddings(true).dropout(0.0).maxSeqLen(32).layerScaleInit(0.5).build();
    }

    static TokenBatch batch(ModalityLayout layout) {
        TokenBatch b = TestModels.randomBatch(layout, 2, 13, 77);
        boolean[] presence = b.presence();
        presence[2] = false; // sample 0: eog_e1 absent
        presence[8 + 5] = false; // sample 1: ecg absent
        presence[8 + 6] = false; // sample 1: resp_abd absent
        return b.withPresence(presence);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        try (RqTransformer model = RqTransformer.initialize(config(), Device.cpu(), 2024)) {
            model.save(dir.resolve("peer_bundle.safetensors"));
            TokenBatch b = batch(model.layout());
            long[] tokens = new long[b.batch() * b.seconds() * b.totalK()];
            int i = 0;
            for (int s = 0; s < b.batch(); s++) {
                for (int t = 0; t < b.seconds(); t++) {
                    for (int c = 0; c < b.totalK(); c++) {
                        tokens[i++] = b.token(s, t, c);
                    }
                }
            }
            int[] ch = b.channelIds();
            long[] channels = new long[ch.length];
            for (int j = 0; j < ch.length; j++) {
                channels[j] = ch[j];
            }
            try (NpzWriter w = NpzWriter.begin(dir.resolve("peer_input.npz"), true)) {
                w.put("tokens", NpyArray.of(tokens, b.batch(), b.seconds(), b.totalK()));
                w.put("presence", NpyArray.of(b.presence(), b.batch(), 8));
                w.put("channels", NpyArray.of(channels, b.batch(), 8));
                w.commit();
            }
        }
    }
}
