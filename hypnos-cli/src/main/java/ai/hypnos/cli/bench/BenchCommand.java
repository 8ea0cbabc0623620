package ai.hypnos.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hypnos bench}: the benchmark group. Each benchmark is a subcommand in its own class
 * (this class only lists them), runs our implementation and, where asked, its peers on the same
 * input, and prints one table.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks: our implementation and its peers side by side on the same input.",
        subcommands = {
            BenchIoCommand.class,
            BenchPreprocessCommand.class,
            BenchSynthCommand.class,
            BenchTransformerCommand.class,
            BenchTokenizerCommand.class,
            BenchEmbedCommand.class,
            BenchTrainCommand.class,
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
