package ai.hypnos.tokenizer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.tokenizer.SignalTokenizer;
import ai.hypnos.tokenizer.TokenizerConfig;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.rvq.VectorQuantizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The FLOP model against a count from the built tokenizer itself: every conv and projection
 * weight's elements × the positions per second at which it runs (outputs for a conv, inputs for
 * a transposed conv), plus the distances to every code of every RVQ level.
 */
class TokenizerFlopsTest {
    private static final Pattern STAGE = Pattern.compile("(encoder|decoder)\\.stages\\.(\\d+)\\.(\\d+)\\..*");

    @Test
    void encodeAndDecodeFlopsMatchTheModelsWeights() {
        for (TokenizerPreset preset : new TokenizerPreset[] {TokenizerPreset.TINY, TokenizerPreset.SMALL}) {
            for (SignalType type : new SignalType[] {SignalType.EEG, SignalType.RESP}) {
                TokenizerConfig c = preset.config(type);
                assertEquals(0, c.attentionDepth, "this count covers attention-free tokenizers");
                double[] counted = countFromWeights(c);
                String what = preset + " " + type;
                assertEquals(counted[0], TokenizerFlops.encodePerSecond(c), 1e-9 * counted[0], what + " encode");
                assertEquals(counted[1], TokenizerFlops.decodePerSecond(c), 1e-9 * counted[1], what + " decode");
                assertEquals(3.0 * 4 * 10 * (counted[0] + counted[1]), TokenizerFlops.trainingStep(c, 4, 10),
                        1e-9 * counted[0], what + " training step");
            }
        }
    }

    /** {encode, decode} FLOPs per second counted from the tokenizer's weights. */
    private static double[] countFromWeights(TokenizerConfig c) {
        int[] ratios = c.ratios;
        int n = c.nResidualLayers;
        double encode = 0;
        double decode = 0;
        try (SignalTokenizer tok = SignalTokenizer.create(c, Device.cpu(), 1)) {
            for (var e : tok.namedParameters().entrySet()) {
                String name = e.getKey();
                Shape shape = e.getValue().getArray().getShape();
                boolean weight = name.endsWith("weight.original1") || name.endsWith("conv.weight")
                        || name.equals("project_in.weight") || name.equals("project_out.weight");
                if (!weight) {
                    continue;
                }
                double positions;
                Matcher m = STAGE.matcher(name);
                if (name.startsWith("encoder.initial_conv") || name.startsWith("decoder.final_conv")) {
                    positions = c.hopLength();
                } else if (name.startsWith("encoder.final_conv") || name.startsWith("decoder.initial_conv")
                        || name.startsWith("project_")) {
                    positions = 1;
                } else if (m.matches() && m.group(1).equals("encoder")) {
                    int stage = Integer.parseInt(m.group(2));
                    int unit = Integer.parseInt(m.group(3));
                    // residual units run at the stage's input rate, the strided conv at its output rate
                    positions = (double) c.hopLength() / product(ratios, 0, unit < n ? stage : stage + 1);
                } else if (m.matches()) {
                    int stage = Integer.parseInt(m.group(2));
                    int unit = Integer.parseInt(m.group(3));
                    int[] reversed = reverse(ratios);
                    // the transposed conv (unit 1) meets every input; the residual units run at its output rate
                    positions = product(reversed, 0, unit == 1 ? stage : stage + 1);
                } else {
                    throw new AssertionError("weight not placed: " + name);
                }
                double flops = 2.0 * shape.size() * positions;
                if (name.startsWith("encoder") || name.startsWith("project_in")) {
                    encode += flops;
                } else {
                    decode += flops;
                }
            }
            for (VectorQuantizer level : tok.quantizer().levels()) {
                encode += 2.0 * level.embedding().getShape().size(); // distance of one vector to every code
            }
        }
        return new double[] {encode, decode};
    }

    private static double product(int[] r, int from, int to) {
        double p = 1;
        for (int i = from; i < to; i++) {
            p *= r[i];
        }
        return p;
    }

    private static int[] reverse(int[] r) {
        int[] out = new int[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = r[r.length - 1 - i];
        }
        return out;
    }
}
