package ai.hypnos.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hypnos} command: one subcommand per job (DESIGN §2). Each subcommand lives in its
 * own class in this package; this class only wires them together.
 */
@Command(
        name = "hypnos",
        mixinStandardHelpOptions = true,
        versionProvider = HypnosCommand.Version.class,
        description = "Foundation models of sleep physiology: read, preprocess, tokenize, train, embed, probe.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ai.hypnos.cli.synth.SynthCommand.class,
            ai.hypnos.cli.probe.ProbeCommand.class,
            ai.hypnos.cli.info.InfoCommand.class,
            ai.hypnos.cli.export.ExportCommand.class,
            ai.hypnos.cli.bench.BenchCommand.class,
            PreprocessCommand.class,
            ai.hypnos.cli.embed.EmbedCommand.class,
            ai.hypnos.cli.embed.GenerateCommand.class,
            ai.hypnos.cli.embed.FetchWeightsCommand.class,
            ai.hypnos.cli.spark.SparkCommand.class,
            ai.hypnos.cli.train.TokenizeCommand.class,
            ai.hypnos.cli.train.TrainTokenizerCommand.class,
            ai.hypnos.cli.train.PretrainCommand.class,
            ai.hypnos.cli.quickstart.QuickstartCommand.class,
            ai.hypnos.cli.doctor.DoctorCommand.class,
            ai.hypnos.cli.experiment.ExperimentCommand.class,
        })
public final class HypnosCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        return new CommandLine(new HypnosCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new ErrorHandler())
                .execute(args);
    }

    public static void main(String[] args) {
        try {
            System.exit(execute(args));
        } catch (OutOfMemoryError e) {
            // The launcher sizes the heap for one night (docs/embedding.md); say what to raise.
            boolean direct = String.valueOf(e.getMessage()).contains("direct buffer");
            System.err.println("hypnos: out of memory (" + e.getMessage() + "): raise the limit with JAVA_OPTS, e.g. "
                    + (direct ? "JAVA_OPTS='-XX:MaxDirectMemorySize=32g' (DJL holds weights in direct buffers)"
                            : "JAVA_OPTS=-Xmx4g (the heap was " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB)"));
            System.exit(1);
        }
    }

    /** Prints the library version from the jar manifest (or "development" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HypnosCommand.class.getPackage().getImplementationVersion();
            return new String[] {"hypnos " + (v == null ? "development" : v)};
        }
    }
}
