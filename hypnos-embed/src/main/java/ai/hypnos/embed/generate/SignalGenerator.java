package ai.hypnos.embed.generate;

import ai.hypnos.embed.TokenizedRecording;
import ai.hypnos.embed.pipeline.ModalityBinding;
import ai.hypnos.transformer.RqTransformer;
import ai.hypnos.transformer.generate.SamplingOptions;
import ai.hypnos.transformer.generate.TokenGenerator;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generation front-end (the reference's {@code synthesize}): samples tokens with the
 * transformer's {@link TokenGenerator} (KV-cached, level by level through the depth transformer)
 * and decodes the generated modalities with their tokenizers' decoders. Channel conditioning is
 * each modality's registered channel, as in the reference. Thread-safe (no state).
 */
public final class SignalGenerator {
    private final RqTransformer model;
    private final List<ModalityBinding> bindings;

    public SignalGenerator(RqTransformer model, List<ModalityBinding> bindings) {
        this.model = model;
        this.bindings = List.copyOf(bindings);
    }

    /**
     * Synthesises modalities from scratch (BOS) or continuing a prompt.
     *
     * @param targets modalities to generate (the others are masked out, as in the reference)
     * @param seconds seconds to generate after the prompt
     * @param prompt  {@code [S0][ΣK]} seconds to continue, or {@code null} for a cold start
     */
    public Generated synthesize(List<String> targets, int seconds, int[][] prompt, SamplingOptions sampling) {
        if (seconds < 1) {
            throw new IllegalArgumentException("generate at least one second, got " + seconds);
        }
        boolean[] presence = mask(targets);
        int[][] p = prompt == null ? new int[0][] : prompt;
        int[][] rows = model.generator().continuePrompt(p, presence, channelIds(), seconds, sampling);
        return decode(rows, presence);
    }

    /**
     * Imputes modalities a recording lacks from the ones it has: at every second the known
     * modalities' tokens are given and the targets' are sampled.
     *
     * @param recording the recording's tokens (the targets must be absent from it)
     */
    public Generated impute(TokenizedRecording recording, List<String> targets, SamplingOptions sampling) {
        boolean[] generate = mask(targets);
        boolean[] known = recording.presence();
        for (int i = 0; i < known.length; i++) {
            if (known[i] && generate[i]) {
                throw new IllegalArgumentException("modality " + bindings.get(i).name() + " is present in the "
                        + "recording; leave it out of the conditioning to impute it");
            }
        }
        if (!anyTrue(known)) {
            throw new IllegalArgumentException("the recording has no modality to condition on");
        }
        int[][] rows = model.generator().impute(recording.rows(), known, generate, channelIds(), sampling);
        return decode(rows, generate);
    }

    private boolean[] mask(List<String> targets) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("name at least one modality to generate");
        }
        List<String> names = bindings.stream().map(ModalityBinding::name).toList();
        boolean[] m = new boolean[bindings.size()];
        for (String t : targets) {
            int i = names.indexOf(t);
            if (i < 0) {
                throw new IllegalArgumentException("unknown modality '" + t + "'; choose from " + names);
            }
            m[i] = true;
        }
        return m;
    }

    private int[] channelIds() {
        return bindings.stream().mapToInt(ModalityBinding::channelId).toArray();
    }

    private Generated decode(int[][] rows, boolean[] which) {
        Map<String, float[]> waves = new LinkedHashMap<>();
        Map<String, Integer> rates = new LinkedHashMap<>();
        Map<String, String> channels = new LinkedHashMap<>();
        for (ModalityBinding b : bindings) {
            if (!which[b.index()]) {
                continue;
            }
            int[][] codes = new int[rows.length][];
            for (int t = 0; t < rows.length; t++) {
                codes[t] = Arrays.copyOfRange(rows[t], b.columnOffset(), b.columnOffset() + b.numQuantizers());
            }
            waves.put(b.name(), b.tokenizer().decode(codes));
            rates.put(b.name(), b.spec().sampleRate());
            channels.put(b.name(), b.spec().channels().get(0));
        }
        return new Generated(rows, waves, rates, channels);
    }

    private static boolean anyTrue(boolean[] b) {
        for (boolean x : b) {
            if (x) {
                return true;
            }
        }
        return false;
    }
}
