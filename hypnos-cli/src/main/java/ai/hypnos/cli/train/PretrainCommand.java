package ai.hypnos.cli.train;

import ai.hypnos.train.pretrain.ConfigLoader;
import ai.hypnos.train.pretrain.PretrainConfig;
import ai.hypnos.train.pretrain.Pretrainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hypnos pretrain}: trains an RQ-Transformer on token shards. See docs/training.md. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pretrain an RQ-Transformer on token shards (next-token prediction with CRP modality masking).",
            "Writes checkpoints, metrics.jsonl/.csv, loss.png and, at the end, model.safetensors (model + tokenizers) "
                + "into the run folder."})
public final class PretrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML or JSON run configuration (keys: docs/training.md; unset keys keep their defaults).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Change one key (repeatable), e.g. --set optim.lr=1.0e-4 --set data.batch_size=16.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", description = "Continue the run in run_dir from its newest checkpoint (exactly).")
    boolean resume;

    @Option(names = "--device", paramLabel = "cpu|gpu|gpu:N",
            description = "Device(s) to train on, repeatable for data parallelism (shorthand for --set devices=[...]).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--precision", paramLabel = "fp32|tf32|fp16",
            description = "Arithmetic (shorthand for --set precision=...): fp32, tf32 (TF32 matmuls on CUDA; the "
                    + "hypnos launcher sets TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1) or fp16 (fp16 model, fp32 master "
                    + "weights, dynamic loss scaling). bf16 is refused: docs/gpu.md.")
    String precision;

    @Override
    public Integer call() throws Exception {
        List<String> sets = new ArrayList<>(overrides);
        if (!devices.isEmpty()) {
            sets.add("devices=[" + String.join(", ", devices) + "]");
        }
        if (precision != null) {
            sets.add("precision=" + precision);
        }
        PretrainConfig c = ConfigLoader.load(config, sets);
        Pretrainer.Result r;
        try (Pretrainer p = Pretrainer.open(c, resume)) {
            r = p.run();
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%d steps, %.0f tokens/s, peak memory %.0f MiB%n", r.steps(), r.tokensPerSecond(),
                r.peakRssMiB());
        if (r.validation() != null) {
            o.printf(Locale.ROOT, "validation loss %.4f nats (unigram entropy of the tokens %.4f)%n",
                    r.validation().loss(), r.unigram().loss());
            for (String m : r.validation().perModality().keySet()) {
                o.printf(Locale.ROOT, "  %-9s %.4f (unigram %.4f)%n", m, r.validation().perModality().get(m),
                        r.unigram().perModality().get(m));
            }
        }
        o.println("run: " + r.runDir().toAbsolutePath());
        if (r.bundle() != null) {
            o.println("model: " + r.bundle().toAbsolutePath() + "  (hypnos embed --model " + r.bundle() + " ...)");
        }
        if (r.lossCurve() != null) {
            o.println("loss curve: " + r.lossCurve().toAbsolutePath());
        }
        o.flush();
        return 0;
    }
}
