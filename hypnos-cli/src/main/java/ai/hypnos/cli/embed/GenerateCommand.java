package ai.hypnos.cli.embed;

import ai.hypnos.core.edf.EdfWriter;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.generate.Generated;
import ai.hypnos.transformer.generate.SamplingOptions;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hypnos generate}: synthesise modalities from scratch, or impute a modality of a
 * recording from its other modalities, and write the decoded waveforms as EDF+ (one signal per
 * generated modality, at its tokenizer's rate, in the preprocessed z-score scale, labelled
 * {@code "<channel> (generated)"}).
 *
 * <pre>
 * hypnos generate --model B --modalities eeg_c3,ecg --seconds 60 --out synth.edf
 * hypnos generate --model B --impute ecg --from night.edf --out ecg-imputed.edf
 * </pre>
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Synthesise modalities, or impute one from the others, with a Hypnos bundle; write EDF+.")
public final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--out", required = true, paramLabel = "X.edf", description = "Output EDF+ file (atomic).")
    Path out;

    @Option(names = "--modalities", split = ",", paramLabel = "M",
            description = "Synthesis: modalities to generate (comma-separated names, default all).")
    List<String> modalities;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "N", description = "Synthesis: seconds (default 60).")
    int seconds;

    @Option(names = "--impute", split = ",", paramLabel = "M",
            description = "Imputation: modalities to generate from the others of --from.")
    List<String> impute;

    @Option(names = "--from", paramLabel = "REC", description = "Imputation: the recording to condition on.")
    Path from;

    @Option(names = "--temperature", defaultValue = "0.7", description = "Sampling temperature (0: greedy; default 0.7).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely codes (0: all).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Nucleus sampling mass (default 0.95).")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (same seed, same output).")
    long seed;

    @Override
    public Integer call() throws Exception {
        SamplingOptions sampling = new SamplingOptions(temperature, topK, topP, seed);
        try (HypnosModel m = model.load()) {
            Generated g;
            LocalDateTime start = LocalDateTime.of(2000, 1, 1, 0, 0);
            if (impute != null) {
                if (from == null) {
                    throw new IllegalArgumentException("--impute needs --from REC (the recording to condition on)");
                }
                try (Recording r = Recordings.open(from)) {
                    g = m.impute(r, impute, m.options().embedDefaults(), sampling);
                    if (r.startTime() != null) {
                        start = r.startTime();
                    }
                }
            } else {
                if (from != null) {
                    throw new IllegalArgumentException("--from is for --impute; synthesis starts from scratch");
                }
                g = m.synthesize(modalities == null ? m.modalities() : modalities, seconds, sampling);
            }
            EdfWriter.write(out, g.toRecording(start));
            System.out.printf(Locale.ROOT, "generated %s: %d s -> %s%n", g.modalities(), g.tokens().length, out);
            return 0;
        }
    }
}
