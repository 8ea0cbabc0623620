package ai.hypnos.cli.embed;

import ai.hypnos.embed.Devices;
import ai.hypnos.embed.EmbedOptions;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.OutputType;
import ai.hypnos.embed.Precision;
import ai.hypnos.embed.hub.HubOptions;
import ai.hypnos.embed.hub.ProgressBarDownloadListener;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that loads a bundle shares ({@code embed}, {@code generate}). */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "BUNDLE",
            description = "Weight bundle: a .safetensors file, a folder holding hypnos.safetensors, or a Hub "
                    + "repository id (owner/name, fetched into the cache once).")
    String model;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu|gpu:N", description = "Device (default cpu).")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|tf32|fp16",
            description = "Transformer arithmetic (default fp32; bf16 is refused: DJL cannot run it).")
    String precision;

    @Option(names = "--notch", defaultValue = "50", paramLabel = "50|60",
            description = "Power-line frequency to notch out: 50 (default) or 60 (the Americas).")
    double notch;

    @Option(names = "--dtype", defaultValue = "float16", paramLabel = "float16|float32",
            description = "Embedding output type (default float16, as the reference).")
    String dtype;

    @Option(names = "--chunk-tokens", defaultValue = "2048", paramLabel = "N",
            description = "Seconds per transformer chunk (default 2048; context restarts at each chunk).")
    int chunkTokens;

    @Option(names = "--alias", paramLabel = "LABEL=MODALITY",
            description = "Extra channel label for a modality (repeatable), e.g. --alias 'EEG A1-A2=eeg_c3'.")
    Map<String, String> aliases = new LinkedHashMap<>();

    @Option(names = "--tokenizer-chunk", defaultValue = "64", paramLabel = "FRAMES",
            description = "Tokenizer encoding chunk in frames (default 64; 512 encodes a night faster).")
    int tokenizerChunk;

    @Option(names = "--offline", description = "Never download: a Hub repository must be in the cache.")
    boolean offline;

    /** The options as the library takes them. */
    LoadOptions loadOptions() {
        if (notch != 50 && notch != 60) {
            throw new IllegalArgumentException("--notch must be 50 or 60 (Hz), got " + notch);
        }
        EmbedOptions e = EmbedOptions.defaults().withNotchHz(notch).withOutputType(OutputType.parse(dtype))
                .withChunkTokens(chunkTokens).withChannelAliases(aliases);
        HubOptions hub = HubOptions.defaults().withListener(new ProgressBarDownloadListener());
        if (offline) {
            hub = hub.withOffline(true);
        }
        return LoadOptions.defaults().withDevice(Devices.parse(device)).withPrecision(Precision.parse(precision))
                .withEmbedDefaults(e).withHub(hub).withTokenizerChunkTokens(tokenizerChunk);
    }

    HypnosModel load() throws IOException {
        LoadOptions o = loadOptions();
        return Hypnos.load(model, o);
    }
}
