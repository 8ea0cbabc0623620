package ai.hypnos.cli.export;

import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hypnos export FILE --channels C3-M2,ECG [--start S] [--duration S] --out X.npy|.npz|.csv}:
 * channels of a recording, in physical units, to files numpy, pandas or a spreadsheet read.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export channels of a recording (by label, or by modality key such as eeg_c3) to NPY, NPZ or CSV.",
            "NPY: one channel, or channels of equal rate and length stacked as [channels, samples].",
            "NPZ: one array per channel (key = the name given) plus <name>__fs, its sample rate.",
            "CSV: a time_s column, then one column per channel (equal rates)."})
public final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "EDF/EDF+/BDF file or WFDB header (.hea)")
    Path file;

    @Option(names = "--channels", required = true, split = ",", paramLabel = "NAME",
            description = "Channel labels or modality keys, comma-separated (e.g. C3-M2,ECG or eeg_c3,ecg).")
    List<String> channels;

    @Option(names = "--start", defaultValue = "0", paramLabel = "S", description = "Start, seconds from the recording start (default 0).")
    double start;

    @Option(names = "--duration", paramLabel = "S", description = "Seconds to export (default: to the end).")
    Double duration;

    @Option(names = "--out", required = true, paramLabel = "X.npy|X.npz|X.csv", description = "Output file; its extension picks the format.")
    Path out;

    @Option(names = "--dtype", defaultValue = "float64", paramLabel = "float64|float32",
            description = "Element type of NPY/NPZ arrays (default float64: physical values exactly as read).")
    String dtype;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean float32 = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "float32" -> true;
            case "float64" -> false;
            default -> throw new IllegalArgumentException("--dtype must be float32 or float64: " + dtype);
        };
        ExportWriter.formatOf(out); // fail on a bad extension before reading anything
        List<ExportedChannel> selected;
        try (Recording rec = Recordings.open(file)) {
            selected = ChannelSelection.read(rec, channels, start, duration);
        }
        ExportWriter.write(out, selected, float32);
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + out);
        for (ExportedChannel c : selected) {
            w.printf(Locale.ROOT, "  %-12s %s, %d samples at %s Hz from %s s%s%n", c.name(), c.source(), c.samples().length,
                    fmt(c.sampleRate()), fmt(c.startSeconds()), c.unit().isEmpty() ? "" : ", " + c.unit());
        }
        w.flush();
        return 0;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
