package ai.hypnos.core.modality;

import ai.hypnos.core.modality.ChannelAliases.Alias;
import ai.hypnos.core.modality.ChannelAliases.Kind;
import ai.hypnos.core.modality.ChannelAliases.Pair;
import ai.hypnos.core.preprocess.RateRatio;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Segment;
import ai.hypnos.core.recording.SignalInfo;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the eight Hypnos modalities among a recording's channels (DESIGN §3).
 *
 * <p><b>Matching</b>, per modality, first hit wins: the canonical label exactly ({@code C3},
 * {@code C4}, {@code E1}, {@code E2}, {@code Chin1-Chin2}, {@code ECG}, {@code ABD}, {@code THX}),
 * then the canonical label normalised ({@link ChannelAliases#normalise}), then the user's aliases,
 * then the built-in aliases ({@link ChannelAliases}), all compared normalised.
 *
 * <p><b>Referencing</b> (AASM: C3→M2, C4→M1, E1→M2, E2→M1; M1 ≈ A1/TP9, M2 ≈ A2/TP10): a label
 * that names a reference ({@code C3-M2}) or a known derivation (SHHS {@code EEG(sec)}) is used as
 * is; a bare electrode is re-referenced when its mastoid is in the file (the mastoid resampled to
 * the electrode's rate, subtracted, the shorter length kept); a bare electrode in a file with no
 * reference electrode at all is taken as referenced at acquisition; a bare electrode whose mastoid
 * is missing while the other one is present is dropped with a warning. <b>Chin</b>: a bipolar
 * label is used as is, else the difference of a known electrode pair (ChinR/ChinL, Chin1/Chin2,
 * EMG2/EMG1...), else a single chin channel ({@code EMG}, {@code Chin}). ECG and belts are used as
 * found. A modality with no match is absent. Every decision is logged and reported.
 *
 * <pre>{@code
 * ChannelResolution res = ChannelResolver.defaults()
 *         .withAliases(Map.of("EEG Left", "eeg_c3"))
 *         .resolve(recording);
 * System.out.println(res.report());
 * double[] c3 = res.read(Modality.EEG_C3);   // physical units, res.sampleRate(Modality.EEG_C3) Hz
 * }</pre>
 *
 * <p>Instances are immutable; {@code withAliases} returns a new resolver.
 */
public final class ChannelResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelResolver.class);

    private final Map<Modality, List<String>> userAliases;

    private ChannelResolver(Map<Modality, List<String>> userAliases) {
        Map<Modality, List<String>> copy = new EnumMap<>(Modality.class);
        userAliases.forEach((m, l) -> copy.put(m, List.copyOf(l)));
        this.userAliases = copy;
    }

    /** A resolver with the built-in alias table only. */
    public static ChannelResolver defaults() {
        return new ChannelResolver(new EnumMap<>(Modality.class));
    }

    /**
     * A resolver that also matches these labels, before the built-in aliases; for each modality
     * the labels are tried in the map's iteration order.
     *
     * @param labelToModality file label → modality key ({@code "eeg_c3"}) or enum name ({@code "EEG_C3"})
     * @throws IllegalArgumentException for an unknown modality key
     */
    public ChannelResolver withAliases(Map<String, String> labelToModality) {
        Map<Modality, List<String>> next = new EnumMap<>(Modality.class);
        userAliases.forEach((m, l) -> next.put(m, new ArrayList<>(l)));
        for (Map.Entry<String, String> e : new LinkedHashMap<>(labelToModality).entrySet()) {
            Modality m = Modality.fromKey(e.getValue())
                    .or(() -> byName(e.getValue()))
                    .orElseThrow(() -> new IllegalArgumentException("unknown modality '" + e.getValue()
                            + "' for alias '" + e.getKey() + "' (expected one of eeg_c3, eeg_c4, eog_e1, eog_e2, emg_chin, ecg, resp_abd, resp_thx)"));
            next.computeIfAbsent(m, k -> new ArrayList<>()).add(e.getKey());
        }
        return new ChannelResolver(next);
    }

    private static Optional<Modality> byName(String name) {
        for (Modality m : Modality.values()) {
            if (m.name().equalsIgnoreCase(name.strip())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The user aliases per modality, in the order they are tried. */
    public Map<Modality, List<String>> userAliases() {
        return java.util.Collections.unmodifiableMap(userAliases);
    }

    /** A label match: the signal index, how the label relates to referencing, and how it was found. */
    private record Match(int signal, Kind kind, String matchedBy, int negative) {
    }

    /** Resolves every modality of a recording; reads no samples. */
    public ChannelResolution resolve(Recording recording) {
        List<String> labels = recording.signals().stream().map(SignalInfo::label).toList();
        List<String> warnings = new ArrayList<>();
        Map<String, Integer> references = new LinkedHashMap<>();
        for (String ref : List.of(ChannelAliases.M1, ChannelAliases.M2)) {
            for (String candidate : ChannelAliases.referenceLabels(ref)) {
                int i = find(labels, candidate);
                if (i >= 0) {
                    references.put(ref, i);
                    break;
                }
            }
        }
        Map<Modality, ResolvedChannel> channels = new EnumMap<>(Modality.class);
        List<ResolutionReport.Entry> entries = new ArrayList<>();
        for (Modality m : Modality.values()) {
            ResolutionReport.Entry entry = decide(recording, labels, references, m, channels, warnings);
            entries.add(entry);
            if (entry.present()) {
                LOG.info("{}: {} <- {} ({}; {})", name(recording), m.key(), String.join(" - ", entry.labels()),
                        entry.derivation(), entry.detail());
            } else {
                LOG.debug("{}: {} absent: {}", name(recording), m.key(), entry.detail());
            }
        }
        discontinuity(recording).ifPresent(warnings::add);
        for (String w : warnings) {
            LOG.warn("{}: {}", name(recording), w);
        }
        ResolutionReport report = new ResolutionReport(
                recording.source() == null ? "" : recording.source().toString(), entries, warnings);
        return new ChannelResolution(recording, channels, report);
    }

    /** A warning for a recording with gaps (EDF+D): reads put NaN there (see {@link ChannelResolution#read}). */
    private static Optional<String> discontinuity(Recording recording) {
        List<Segment> segments = recording.segments();
        if (segments.size() <= 1) {
            return Optional.empty();
        }
        double stored = 0;
        for (Segment s : segments) {
            stored += s.duration();
        }
        double span = segments.get(segments.size() - 1).end();
        return Optional.of(String.format(Locale.ROOT, "discontinuous recording: %d segments over %.3f s, %.3f s of it gaps;"
                + " each modality is read on the recording's time line with NaN in the gaps (filled and reported as gaps"
                + " by preprocessing)", segments.size(), span, span - stored));
    }

    private static String name(Recording r) {
        return r.source() == null ? "<memory>" : r.source().getFileName().toString();
    }

    private ResolutionReport.Entry decide(Recording rec, List<String> labels, Map<String, Integer> references,
            Modality m, Map<Modality, ResolvedChannel> out, List<String> warnings) {
        Optional<Match> found = match(labels, m);
        if (found.isEmpty()) {
            return absent(m, "no channel matches " + describeCandidates(m));
        }
        Match match = found.get();
        String label = labels.get(match.signal());
        Optional<String> reference = ChannelAliases.reference(m);
        Derivation derivation;
        int negative = -1;
        String detail;
        if (match.negative() >= 0) {
            derivation = Derivation.BIPOLAR_DERIVED;
            negative = match.negative();
            detail = "difference of the electrode pair " + label + " and " + labels.get(negative);
        } else if (reference.isPresent()) {
            String ref = reference.get();
            if (match.kind() == Kind.DERIVATION || ChannelAliases.namesReference(label)) {
                derivation = Derivation.PRE_REFERENCED;
                detail = match.kind() == Kind.DERIVATION && !ChannelAliases.namesReference(label)
                        ? "known derivation, used as is" : "label names its reference, used as is";
            } else if (references.containsKey(ref)) {
                derivation = Derivation.RE_REFERENCED;
                negative = references.get(ref);
                detail = "bare electrode minus " + ref + " ('" + labels.get(negative) + "')";
            } else if (references.isEmpty()) {
                derivation = Derivation.ACQUISITION_REFERENCED;
                detail = "bare electrode; no reference electrode in the file, taken as referenced at acquisition";
            } else {
                String others = references.entrySet().stream()
                        .map(e -> e.getKey() + " ('" + labels.get(e.getValue()) + "')").toList().toString();
                String why = "bare electrode '" + label + "' needs " + ref + " but the file only has " + others;
                warnings.add(m.key() + ": " + why + "; dropped");
                return absent(m, why + "; dropped");
            }
        } else if (m == Modality.EMG_CHIN && match.kind() == Kind.DERIVATION) {
            derivation = Derivation.BIPOLAR_PRE_COMPUTED;
            detail = "bipolar chin label, used as is";
        } else {
            derivation = Derivation.DIRECT;
            detail = "used as is";
        }

        SignalInfo info = rec.signals().get(match.signal());
        double scale = 1;
        if (negative >= 0) {
            SignalInfo ni = rec.signals().get(negative);
            if (ni.sampleRate() != info.sampleRate()) {
                Optional<RateRatio> ratio = ChannelResolution.ratio(ni.sampleRate(), info.sampleRate());
                if (ratio.isEmpty()) {
                    String why = "'" + ni.label() + "' at " + ni.sampleRate() + " Hz cannot be resampled to the "
                            + info.sampleRate() + " Hz of '" + label + "'";
                    warnings.add(m.key() + ": " + why + "; dropped");
                    return absent(m, why);
                }
                detail += String.format(Locale.ROOT, ", resampled %s -> %s Hz", rate(ni.sampleRate()), rate(info.sampleRate()));
            }
            scale = Units.scale(ni.unit(), info.unit());
            if (Double.isNaN(scale)) {
                scale = 1;
                warnings.add(m.key() + ": units differ ('" + info.unit() + "' and '" + ni.unit()
                        + "') and are not both known; subtracted without conversion");
            } else if (scale != 1) {
                detail += String.format(Locale.ROOT, ", '%s' converted from %s to %s", ni.label(), ni.unit(), info.unit());
            }
        }
        ResolvedChannel channel = new ResolvedChannel(m, derivation, match.signal(), label, negative,
                negative >= 0 ? labels.get(negative) : "", scale, info.sampleRate(), info.unit(), match.matchedBy());
        out.put(m, channel);
        List<String> used = negative >= 0 ? List.of(label, labels.get(negative)) : List.of(label);
        return new ResolutionReport.Entry(m.key(), true, derivation.key(), used, info.sampleRate(), match.matchedBy(), detail);
    }

    private static String rate(double hz) {
        return hz == Math.rint(hz) ? String.valueOf((long) hz) : String.valueOf(hz);
    }

    private static ResolutionReport.Entry absent(Modality m, String why) {
        return new ResolutionReport.Entry(m.key(), false, null, List.of(), null, null, why);
    }

    private String describeCandidates(Modality m) {
        StringBuilder b = new StringBuilder("'" + ChannelAliases.canonical(m).label() + "'");
        int n = ChannelAliases.aliases(m).size() + ChannelAliases.fallbackAliases(m).size()
                + userAliases.getOrDefault(m, List.of()).size();
        b.append(" or its ").append(n).append(" aliases");
        if (!ChannelAliases.pairs(m).isEmpty()) {
            b.append(" or ").append(ChannelAliases.pairs(m).size()).append(" electrode pairs");
        }
        return b.toString();
    }

    /** The DESIGN §3 search order; for chin, pairs come between bipolar labels and single channels. */
    private Optional<Match> match(List<String> labels, Modality m) {
        Alias canonical = ChannelAliases.canonical(m);
        int exact = labels.indexOf(canonical.label());
        if (exact >= 0) {
            return Optional.of(new Match(exact, canonical.kind(), "exact", -1));
        }
        int normalised = find(labels, canonical.label());
        if (normalised >= 0) {
            return Optional.of(new Match(normalised, canonical.kind(), "normalised", -1));
        }
        Kind userKind = ChannelAliases.reference(m).isPresent() ? Kind.ELECTRODE : Kind.SIGNAL;
        for (String alias : userAliases.getOrDefault(m, List.of())) {
            int i = find(labels, alias);
            if (i >= 0) {
                return Optional.of(new Match(i, userKind, "user alias '" + alias + "'", -1));
            }
        }
        for (Alias alias : ChannelAliases.aliases(m)) {
            int i = find(labels, alias.label());
            if (i >= 0) {
                return Optional.of(new Match(i, alias.kind(), "built-in alias '" + alias.label() + "'", -1));
            }
        }
        for (Pair pair : ChannelAliases.pairs(m)) {
            int pos = find(labels, pair.positive());
            int neg = find(labels, pair.negative());
            if (pos >= 0 && neg >= 0) {
                return Optional.of(new Match(pos, Kind.DERIVATION,
                        "electrode pair '" + pair.positive() + "' - '" + pair.negative() + "'", neg));
            }
        }
        for (Alias alias : ChannelAliases.fallbackAliases(m)) {
            int i = find(labels, alias.label());
            if (i >= 0) {
                return Optional.of(new Match(i, alias.kind(), "built-in alias '" + alias.label() + "'", -1));
            }
        }
        return Optional.empty();
    }

    /** Index of the first label equal to the candidate, else of the first equal after normalisation, else -1. */
    private static int find(List<String> labels, String candidate) {
        int exact = labels.indexOf(candidate);
        if (exact >= 0) {
            return exact;
        }
        String want = ChannelAliases.normalise(candidate);
        for (int i = 0; i < labels.size(); i++) {
            if (ChannelAliases.normalise(labels.get(i)).equals(want)) {
                return i;
            }
        }
        return -1;
    }
}
