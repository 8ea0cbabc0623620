package ai.hypnos.cli.train;

import ai.hypnos.embed.Devices;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.core.safetensors.SafetensorsDtype;
import ai.hypnos.tokenizer.TokenizerConfig;
import ai.hypnos.tokenizer.TokenizerPreset;
import ai.hypnos.tokenizer.train.SignalSet;
import ai.hypnos.tokenizer.train.TrainingConfig;
import ai.hypnos.tokenizer.train.TrainingRun;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnos train-tokenizer}: trains the RVQ tokenizer of one signal type on preprocessed
 * signals ({@code .npy} files in a folder or listed in a manifest) or, without {@code --data},
 * on freshly generated synthetic signals of that type. See docs/tokenizer.md.
 */
@Command(name = "train-tokenizer", mixinStandardHelpOptions = true,
        description = "Train a causal RVQ tokenizer for one signal type (writes OUT/tokenizer-<signal>.safetensors).")
public final class TrainTokenizerCommand implements Callable<Integer> {

    @Option(names = "--signal", required = true, description = "eeg, eog, emg, ecg or resp.")
    String signal;

    @Option(names = "--data", description = "Folder of preprocessed .npy signals (1-D, at the tokenizer's rate) or a manifest listing them; "
            + "without it, synthetic signals are generated.")
    Path data;

    @Option(names = "--preset", defaultValue = "small", description = "tiny, small or base (default ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--steps", defaultValue = "2000", description = "Training steps (default ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--out", required = true, description = "Output folder (tokenizer, checkpoints, metrics.jsonl).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its newest checkpoint.")
    boolean resume;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for initialisation, data order and codebooks (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", description = "Windows per step (default: the preset's).")
    Integer batch;

    @Option(names = "--window-seconds", description = "Window length in seconds (default: the preset's).")
    Integer windowSeconds;

    @Option(names = "--lr", description = "Peak learning rate (default: the preset's).")
    Double lr;

    @Option(names = "--levels", description = "RVQ levels K (default: the preset's for this signal type).")
    Integer levels;

    @Option(names = "--codebook-size", description = "Codes per level V (default: the preset's).")
    Integer codebookSize;

    @Option(names = "--log-every", defaultValue = "50", description = "Steps between metric lines (default ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--checkpoint-every", defaultValue = "500", description = "Steps between checkpoints, 0 = only at the end (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--synthetic-signals", defaultValue = "32", description = "Synthetic signals when --data is absent (default ${DEFAULT-VALUE}).")
    int syntheticSignals;

    @Option(names = "--synthetic-seconds", defaultValue = "600", description = "Length of each synthetic signal (default ${DEFAULT-VALUE}).")
    int syntheticSeconds;

    @Option(names = "--dtype", defaultValue = "f32", description = "Weights dtype of the final file: f32, f16 or bf16 (default ${DEFAULT-VALUE}).")
    String dtype;

    @Override
    public Integer call() throws Exception {
        SignalType type = SignalType.fromKey(signal);
        TokenizerPreset p = TokenizerPreset.fromKey(preset);
        TokenizerConfig.Builder tb = p.config(type).toBuilder();
        if (levels != null) {
            tb.numQuantizers(levels);
        }
        if (codebookSize != null) {
            tb.codebookSize(codebookSize);
        }
        TrainingConfig tc = p.training().withSeed(seed).withLogging(logEvery, checkpointEvery);
        if (batch != null || windowSeconds != null) {
            tc = tc.withBatch(batch != null ? batch : tc.batchSize(), windowSeconds != null ? windowSeconds : tc.windowSeconds());
        }
        if (lr != null) {
            tc = tc.withSchedule(lr, tc.warmupSteps());
        }
        SignalSet set = data != null
                ? SignalSet.open(data)
                : SignalSet.synthetic(type, TokenizerPreset.sampleRate(type), syntheticSignals, syntheticSeconds, seed + 1);
        TrainingRun.Result r = TrainingRun.run(tb.build(), type, set, tc, steps, Devices.parse(device), out, resume, parseDtype(dtype));
        System.out.printf(Locale.ROOT, "%s: %d steps; codebook use %s; SNR by levels %s dB%n", r.tokenizerFile(), r.steps(),
                Arrays.toString(round(r.metrics().codebookUse())), Arrays.toString(round(r.metrics().snrDb())));
        return 0;
    }

    private static double[] round(double[] v) {
        return Arrays.stream(v).map(x -> Math.round(x * 100) / 100.0).toArray();
    }

    static SafetensorsDtype parseDtype(String d) {
        return switch (d.trim().toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> SafetensorsDtype.F32;
            case "f16", "float16" -> SafetensorsDtype.F16;
            case "bf16", "bfloat16" -> SafetensorsDtype.BF16;
            default -> throw new IllegalArgumentException("--dtype must be f32, f16 or bf16, got '" + d + "'");
        };
    }
}
