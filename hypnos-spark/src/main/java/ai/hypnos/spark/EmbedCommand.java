package ai.hypnos.spark;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code embed}: the embeddings NPZ of every recording of a manifest, on Spark. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed every recording of a manifest on Spark into <out>/<id>.npz, byte-identical to "
                + "'hypnos embed REC --notch <row's notch> --out <id>.npz'. Existing NPZ files are skipped; a Parquet "
                + "status table lists every recording.")
final class EmbedCommand implements Callable<Integer> {
    @Mixin
    JobCommandOptions job;

    @Option(names = "--model", required = true, paramLabel = "URI",
            description = "Model bundle: a .safetensors file or a folder holding hypnos.safetensors (fetch published "
                    + "weights first with 'hypnos fetch-weights').")
    String model;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|tf32|fp16",
            description = "Transformer arithmetic (default fp32).")
    String precision;

    @Option(names = "--dtype", defaultValue = "float16", paramLabel = "float16|float32",
            description = "Embedding output type (default float16).")
    String dtype;

    @Option(names = "--chunk-tokens", defaultValue = "2048", paramLabel = "N",
            description = "Seconds per transformer chunk (default 2048).")
    int chunkTokens;

    @Override
    public Integer call() throws Exception {
        JobReport r = SparkJobs.embed(new EmbedJob(job.manifest, model, job.out, job.device, precision, dtype,
                chunkTokens, job.aliases), job.runOptions());
        return HypnosSparkJob.print(r, job.strict);
    }
}
