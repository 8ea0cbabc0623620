package ai.hypnos.cli.export;

import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.modality.ResolutionReport;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.SignalInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the channels a user names and reads them over a time range. A name is matched, in this
 * order, to a signal label exactly, to a label ignoring case and surrounding spaces, then to a
 * modality key ({@code eeg_c3}, {@code ecg}...: the channel resolution's derivation, referenced as
 * DESIGN §3 says). Unknown names fail with the list of what the file offers.
 */
final class ChannelSelection {
    private ChannelSelection() {
    }

    /**
     * Reads the named channels.
     *
     * @param start    seconds from the recording start (≥ 0)
     * @param duration seconds to read, or {@code null} for the rest of the recording
     */
    static List<ExportedChannel> read(Recording rec, List<String> names, double start, Double duration) throws IOException {
        if (!(start >= 0) || Double.isInfinite(start)) {
            throw new IllegalArgumentException("--start must be a non-negative number of seconds: " + start);
        }
        if (duration != null && !(duration > 0)) {
            throw new IllegalArgumentException("--duration must be positive: " + duration);
        }
        Set<String> unique = new LinkedHashSet<>(names);
        if (unique.size() != names.size()) {
            throw new IllegalArgumentException("a channel is named twice in " + names);
        }
        ChannelResolution resolution = null;
        List<ExportedChannel> out = new ArrayList<>();
        for (String name : names) {
            Optional<Integer> signal = findLabel(rec, name);
            if (signal.isPresent()) {
                SignalInfo info = rec.signals().get(signal.get());
                double fs = info.sampleRate();
                long from = Math.round(start * fs);
                long available = Math.max(0, info.sampleCount() - from);
                long count = duration == null ? available : Math.min(available, Math.round(duration * fs));
                checkRange(name, start, count, rec);
                double[] x = rec.read(signal.get(), from, (int) Math.min(count, Integer.MAX_VALUE - 8));
                out.add(new ExportedChannel(name, info.label(), info.unit(), fs, from / fs, x));
                continue;
            }
            Optional<Modality> modality = Modality.fromKey(name.strip().toLowerCase(Locale.ROOT));
            if (modality.isEmpty()) {
                throw new IllegalArgumentException("no channel '" + name + "' in " + rec.source() + "; labels: "
                        + labels(rec) + "; modality keys: " + Arrays.stream(Modality.values()).map(Modality::key).toList());
            }
            if (resolution == null) {
                resolution = ChannelResolver.defaults().resolve(rec);
            }
            Modality m = modality.get();
            ResolutionReport.Entry entry = resolution.report().entry(m);
            if (!resolution.has(m)) {
                throw new IllegalArgumentException("modality " + m.key() + " is absent from " + rec.source() + ": " + entry.detail());
            }
            double fs = resolution.sampleRate(m);
            double[] all = resolution.read(m);
            int from = (int) Math.min(all.length, Math.round(start * fs));
            int count = duration == null ? all.length - from : (int) Math.min(all.length - from, Math.round(duration * fs));
            checkRange(name, start, count, rec);
            String unit = rec.signals().get(resolution.channel(m).orElseThrow().signal()).unit();
            out.add(new ExportedChannel(name, m.key() + " = " + String.join(" - ", entry.labels()), unit, fs, from / fs,
                    Arrays.copyOfRange(all, from, from + count)));
        }
        return out;
    }

    private static Optional<Integer> findLabel(Recording rec, String name) {
        Optional<Integer> exact = rec.indexOf(name);
        if (exact.isPresent()) {
            return exact;
        }
        List<SignalInfo> s = rec.signals();
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).label().strip().equalsIgnoreCase(name.strip())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private static void checkRange(String name, double start, long count, Recording rec) {
        if (count <= 0) {
            throw new IllegalArgumentException("channel '" + name + "' has no samples from " + start + " s (the recording lasts "
                    + rec.durationSeconds() + " s)");
        }
    }

    private static List<String> labels(Recording rec) {
        return rec.signals().stream().map(SignalInfo::label).toList();
    }
}
