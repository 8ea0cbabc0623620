package ai.hypnos.embed.djl;

import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.OutputType;
import ai.hypnos.embed.Precision;
import java.util.Map;

/**
 * Options given the DJL way ({@code Criteria.optArgument}/{@code optOption}, or
 * {@code serving.properties}): {@code notch} (Hz), {@code chunkTokens}, {@code outputType}
 * ({@code float16}/{@code float32}), {@code precision} ({@code fp32}/{@code tf32}/{@code fp16}),
 * {@code tokenizerChunkTokens}. Unknown keys are left to DJL.
 */
final class DjlArguments {
    private DjlArguments() {
    }

    static LoadOptions loadOptions(Map<String, ?> args) {
        LoadOptions o = LoadOptions.defaults();
        if (args == null) {
            return o;
        }
        Object p = args.get("precision");
        if (p != null) {
            o = o.withPrecision(Precision.parse(p.toString()));
        }
        Object t = args.get("tokenizerChunkTokens");
        if (t != null) {
            o = o.withTokenizerChunkTokens(Integer.parseInt(t.toString().trim()));
        }
        return o.withEmbedDefaults(embedOptions(args, o.embedDefaults()));
    }

    static EmbedOptions embedOptions(Map<String, ?> args, EmbedOptions base) {
        EmbedOptions e = base;
        if (args == null) {
            return e;
        }
        Object n = args.containsKey("notch") ? args.get("notch") : args.get("notchHz");
        if (n != null) {
            e = e.withNotchHz(Double.parseDouble(n.toString().trim()));
        }
        Object c = args.get("chunkTokens");
        if (c != null) {
            e = e.withChunkTokens(Integer.parseInt(c.toString().trim()));
        }
        Object d = args.containsKey("outputType") ? args.get("outputType") : args.get("dtype");
        if (d != null) {
            e = e.withOutputType(OutputType.parse(d.toString()));
        }
        return e;
    }
}
