package ai.hypnos.cli.synth;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hypnos synth}: the built-in synthetic data (a PSG cohort, a labelled AF window set). */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Generate synthetic data: a PSG cohort with ground truth, or labelled ECG windows for AF.",
        subcommands = {SynthCohortCommand.class, SynthAfCommand.class})
public final class SynthCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
