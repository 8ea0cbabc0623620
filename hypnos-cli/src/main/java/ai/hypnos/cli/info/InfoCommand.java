package ai.hypnos.cli.info;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hypnos info FILE [--json]}: what a recording or annotation file holds.
 *
 * <p>EDF/EDF+/BDF and WFDB records: format, start, duration, records, every channel, the
 * annotations counted by text (WFDB: the {@code .atr} beat labels and rhythm episodes), the
 * hypnogram when the annotations score sleep stages (with lights off/on), the channel
 * resolution into modalities, and the reader's warnings. NSRR XML annotation files: scored events
 * by kind and name, and the hypnogram.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show what a recording (EDF, BDF, WFDB .hea) or annotation file (NSRR .xml, EDF+ scoring) holds.")
public final class InfoCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "EDF/EDF+/BDF file, WFDB header (.hea) or NSRR .xml")
    Path file;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> summary = FileSummary.of(file);
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            spec.commandLine().getOut().println(mapper.writeValueAsString(summary));
            spec.commandLine().getOut().flush();
        } else {
            TextReport.print(summary, spec.commandLine().getOut());
        }
        return 0;
    }
}
