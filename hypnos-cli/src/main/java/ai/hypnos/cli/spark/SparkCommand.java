package ai.hypnos.cli.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code hypnos spark tokenize|embed …}: a whole cohort on Apache Spark ({@code local[*]} by
 * default, or {@code --master local[2]|yarn|k8s://…|spark://…}). Everything after {@code spark} is
 * the job's own command line ({@code hypnos spark tokenize --help} lists its options), handed over
 * by {@link SparkHandOff}; see {@code docs/spark.md}.
 */
@Command(name = "spark",
        description = "Tokenize or embed a whole cohort on Apache Spark: 'hypnos spark tokenize --help', "
                + "'hypnos spark embed --help' (docs/spark.md).")
public final class SparkCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return SparkHandOff.run(args.isEmpty() ? List.of("--help") : args);
    }
}
