package ai.hypnos.cli;

import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.npy.NpyArray;
import ai.hypnos.core.npy.NpzWriter;
import ai.hypnos.core.preprocess.PreprocessOptions;
import ai.hypnos.core.preprocess.PreprocessResult;
import ai.hypnos.core.preprocess.PreprocessedSignal;
import ai.hypnos.core.preprocess.Preprocessor;
import ai.hypnos.core.preprocess.SampleGap;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hypnos preprocess REC --out X.npz}: resolves a recording's channels into the eight
 * modalities and writes each present one, preprocessed exactly as the reference does, as a
 * float32 array in an NPZ file that {@code numpy.load} reads.
 *
 * <p>NPZ keys: one array per present modality under its key ({@code eeg_c3}, …, at 128 Hz;
 * {@code resp_abd}, {@code resp_thx} at 32 Hz); {@code modalities} (the keys present, in order);
 * {@code fs__<m>} (int64 output rate); {@code gaps__<m>} (int64 {@code [k, 2]} start and length,
 * in source samples, of filled non-finite runs; only when there were some); {@code notch_freq}
 * (float64, 0 when off); {@code resolution_report} (the channel resolution report as a JSON
 * string, 0-d unicode: {@code json.loads(str(z["resolution_report"]))}); {@code notes}
 * (remarks such as filled gaps, flat channels, skipped modalities).
 */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = "Resolve channels and preprocess every present modality to an NPZ of float32 arrays.")
final class PreprocessCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "REC", description = "Recording: EDF/EDF+/BDF file or WFDB record (.hea).")
    Path recording;

    @Option(names = "--out", required = true, paramLabel = "X.npz", description = "Output NPZ file (written atomically).")
    Path out;

    @Option(names = "--notch", defaultValue = "50", paramLabel = "HZ",
            description = "Power-line notch frequency: 50 (default) or 60 for US cohorts.")
    double notch;

    @Option(names = "--no-notch", description = "Skip the notch (data already notched).")
    boolean noNotch;

    @Option(names = "--modalities", split = ",", paramLabel = "M",
            description = "Only these modalities (comma-separated keys, e.g. eeg_c3,ecg). Default: all present.")
    List<String> modalities;

    @Option(names = "--alias", paramLabel = "LABEL=MODALITY",
            description = "Extra channel label for a modality (repeatable), e.g. --alias 'EEG A1-A2=eeg_c3'.")
    Map<String, String> aliases = new LinkedHashMap<>();

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core, at most 8).")
    Integer threads;

    @Option(names = "--compress", description = "Deflate the NPZ entries (np.savez_compressed); smaller, slower.")
    boolean compress;

    @Override
    public Integer call() throws Exception {
        PreprocessOptions options = PreprocessOptions.defaults();
        if (noNotch) {
            options = options.withoutNotch();
        } else {
            if (notch != 50 && notch != 60) {
                throw new IllegalArgumentException("--notch must be 50 or 60 (Hz), got " + notch);
            }
            options = options.withNotchHz(notch);
        }
        if (modalities != null && !modalities.isEmpty()) {
            List<Modality> selected = new ArrayList<>();
            for (String key : modalities) {
                selected.add(Modality.fromKey(key).orElseThrow(() -> new IllegalArgumentException(
                        "unknown modality '" + key + "' (expected keys like eeg_c3, eog_e1, emg_chin, ecg, resp_abd)")));
            }
            options = options.withModalities(selected);
        }
        if (threads != null) {
            options = options.withThreads(threads);
        }
        long t0 = System.nanoTime();
        try (Recording rec = Recordings.open(recording)) {
            ChannelResolver resolver = aliases.isEmpty() ? ChannelResolver.defaults() : ChannelResolver.defaults().withAliases(aliases);
            ChannelResolution channels = resolver.resolve(rec);
            System.err.print(channels.report());
            PreprocessResult result = new Preprocessor(options).run(channels);
            write(result, channels, options);
            for (String note : result.notes()) {
                System.err.println("note: " + note);
            }
            for (PreprocessedSignal s : result.signals().values()) {
                System.out.printf(Locale.ROOT, "%-9s %9d samples at %3d Hz (%.1f s) from %s Hz%n", s.modality().key(),
                        s.samples().length, s.sampleRate(), s.durationSeconds(), fmt(s.sourceRate()));
            }
            System.out.printf(Locale.ROOT, "wrote %s: %d modalities in %.2f s%n", out, result.signals().size(),
                    (System.nanoTime() - t0) / 1e9);
            return result.signals().isEmpty() ? 1 : 0;
        }
    }

    private void write(PreprocessResult result, ChannelResolution channels, PreprocessOptions options) throws Exception {
        try (NpzWriter npz = NpzWriter.begin(out, compress)) {
            List<String> present = new ArrayList<>();
            for (PreprocessedSignal s : result.signals().values()) {
                String key = s.modality().key();
                present.add(key);
                npz.put(key, NpyArray.of(s.samples(), s.samples().length));
                npz.put("fs__" + key, NpyArray.scalar((long) s.sampleRate()));
                if (!s.gaps().isEmpty()) {
                    long[] g = new long[2 * s.gaps().size()];
                    for (int i = 0; i < s.gaps().size(); i++) {
                        SampleGap gap = s.gaps().get(i);
                        g[2 * i] = gap.start();
                        g[2 * i + 1] = gap.length();
                    }
                    npz.put("gaps__" + key, NpyArray.of(g, s.gaps().size(), 2));
                }
            }
            npz.put("modalities", NpyArray.ofStrings(present.toArray(new String[0]), present.size()));
            npz.put("notch_freq", NpyArray.scalar(options.notchHz().orElse(0)));
            npz.put("resolution_report", NpyArray.ofStrings(new String[] {channels.report().toJson()}).reshape());
            List<String> notes = result.notes();
            npz.put("notes", NpyArray.ofStrings(notes.toArray(new String[0]), notes.size()));
            npz.commit();
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
