package ai.hypnos.core.modality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Every decision of one channel resolution: one entry per modality (in modality order) saying
 * which label(s) fed it and how it was referenced, or why it is absent, plus warnings. Print it
 * ({@link #toString()}) to debug a cohort's channel names, or store it as JSON ({@link #toJson()};
 * Jackson serialises the records as they are).
 *
 * @param source   the recording's file, or empty for in-memory recordings
 * @param entries  one per modality, in the fixed modality order
 * @param warnings decisions a user should know about (dropped electrodes, unit conversions...)
 */
public record ResolutionReport(String source, List<Entry> entries, List<String> warnings) {

    public ResolutionReport {
        entries = List.copyOf(entries);
        warnings = List.copyOf(warnings);
    }

    /**
     * The decision for one modality.
     *
     * @param modality   modality key ({@code "eeg_c3"})
     * @param present    whether the modality can be read
     * @param derivation {@link Derivation#key()} when present, else {@code null}
     * @param labels     the file labels that feed it (the subtracted one second), empty when absent
     * @param sampleRate samples per second when present, else {@code null}
     * @param matchedBy  how the label was found, when present
     * @param detail     a sentence: how it is referenced, or why it is absent
     */
    public record Entry(String modality, boolean present, String derivation, List<String> labels, Double sampleRate,
            String matchedBy, String detail) {
        public Entry {
            labels = List.copyOf(labels);
        }
    }

    /** The entry of one modality. */
    public Entry entry(Modality m) {
        return entries.stream().filter(e -> e.modality().equals(m.key())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no entry for " + m.key()));
    }

    /** The report as pretty-printed JSON. */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A table with one line per modality, then the warnings. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("channel resolution").append(source.isEmpty() ? "" : " of " + source).append('\n');
        for (Entry e : entries) {
            if (e.present()) {
                double fs = e.sampleRate();
                String rate = fs == Math.rint(fs) ? String.valueOf((long) fs) : String.format(Locale.ROOT, "%.6g", fs);
                b.append(String.format(Locale.ROOT, "  %-9s %-22s %-22s %6s Hz  %s%n", e.modality(),
                        String.join(" - ", e.labels()), e.derivation(), rate, e.detail()));
            } else {
                b.append(String.format(Locale.ROOT, "  %-9s absent: %s%n", e.modality(), e.detail()));
            }
        }
        for (String w : warnings) {
            b.append("  warning: ").append(w).append('\n');
        }
        return b.toString();
    }
}
