package ai.hypnos.cli.info;

import ai.hypnos.core.modality.ResolutionReport;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link FileSummary} as the human-readable text of {@code hypnos info}. */
final class TextReport {
    /** Annotation texts and event names listed before "… n more". */
    static final int TOP = 15;

    private TextReport() {
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> s, PrintWriter out) {
        out.println(s.get("file"));
        line(out, "format", s.get("format"));
        line(out, "start", s.get("start"));
        Object d = s.get("duration_s");
        line(out, "duration", d instanceof Double sec ? duration(sec) : "unknown");
        if (s.get("patient") instanceof String p && !p.isBlank()) {
            line(out, "patient", p);
        }
        if (s.get("recording") instanceof String r && !r.isBlank()) {
            line(out, "recording", r);
        }
        if (s.get("records") instanceof Map<?, ?> r) {
            line(out, "records", r.get("count") + " x " + num((Double) r.get("duration_s")) + " s");
        }
        if (s.get("frames") != null) {
            line(out, "frames", s.get("frames"));
        }
        if (s.get("segments") instanceof List<?> segs && segs.size() > 1) {
            line(out, "segments", segs.size() + " (discontinuous)");
            for (Object o : segs) {
                Map<String, Object> seg = (Map<String, Object>) o;
                out.printf(Locale.ROOT, "    %s s for %s s%n", num((Double) seg.get("onset_s")), num((Double) seg.get("duration_s")));
            }
        }
        if (s.get("epoch_s") != null) {
            line(out, "epoch", num((Double) s.get("epoch_s")) + " s");
        }

        if (s.get("channels") instanceof List<?> channels) {
            out.println();
            out.printf("channels (%d)%n", channels.size());
            if (!channels.isEmpty()) {
                out.printf(Locale.ROOT, "  %3s  %-18s %-22s %-8s %10s %11s%n", "#", "label", "transducer", "unit", "rate (Hz)", "samples");
            }
            for (Object o : channels) {
                Map<String, Object> c = (Map<String, Object>) o;
                out.printf(Locale.ROOT, "  %3d  %-18s %-22s %-8s %10s %11d%n", c.get("index"), c.get("label"),
                        clip((String) c.get("transducer"), 22), c.get("unit"), num((Double) c.get("sample_rate")), c.get("samples"));
            }
        }
        if (s.get("annotations") instanceof Map<?, ?> a) {
            out.println();
            out.printf("annotations (%s)%n", a.get("count"));
            counts(out, (Map<String, Integer>) a.get("by_text"));
        }
        if (s.get("mit_annotations") instanceof Map<?, ?> a) {
            out.println();
            out.printf("annotations %s (%s, %s beats)%n", a.get("file"), a.get("count"), a.get("beats"));
            counts(out, (Map<String, Integer>) a.get("by_label"));
            Map<String, Map<String, Object>> rhythms = (Map<String, Map<String, Object>>) a.get("rhythms");
            for (Map.Entry<String, Map<String, Object>> r : rhythms.entrySet()) {
                out.printf(Locale.ROOT, "  rhythm %-10s %s episode(s), %s s%n", r.getKey(), r.getValue().get("episodes"),
                        num((Double) r.getValue().get("seconds")));
            }
        }
        if (s.get("events") instanceof Map<?, ?> e) {
            out.println();
            out.printf("scored events (%s, of which %s stages)%n", e.get("count"), e.get("stage_events"));
            Map<String, Integer> kinds = (Map<String, Integer>) e.get("by_kind");
            kinds.forEach((k, v) -> out.printf(Locale.ROOT, "  %-22s %6d%n", k, v));
            out.println("  by name:");
            counts(out, (Map<String, Integer>) e.get("by_name"));
        }
        if (s.get("hypnogram") instanceof Map<?, ?> h) {
            out.println();
            out.printf(Locale.ROOT, "hypnogram: %s epochs of %s s from %s stage annotations%n", h.get("epochs"),
                    num((Double) h.get("epoch_s")), h.get("stage_annotations"));
            Map<String, Integer> stages = (Map<String, Integer>) h.get("stages");
            Map<String, Double> minutes = (Map<String, Double>) h.get("minutes");
            stages.forEach((k, v) -> out.printf(Locale.ROOT, "  %-9s %5d epochs %8.1f min%n", k, v, minutes.get(k)));
            if (h.get("lights_off_s") != null) {
                out.printf(Locale.ROOT, "  lights off at %s s%n", num((Double) h.get("lights_off_s")));
            }
            if (h.get("lights_on_s") != null) {
                out.printf(Locale.ROOT, "  lights on at %s s%n", num((Double) h.get("lights_on_s")));
            }
            for (Object w : (List<?>) h.get("warnings")) {
                out.println("  note: " + w);
            }
        }
        if (s.get("resolution") instanceof ResolutionReport r) {
            out.println();
            out.print(r.toString());
        }
        if (s.get("warnings") instanceof List<?> w && !w.isEmpty()) {
            out.println();
            out.println("warnings");
            for (Object x : w) {
                out.println("  " + x);
            }
        }
        out.flush();
    }

    private static void counts(PrintWriter out, Map<String, Integer> counts) {
        int shown = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (shown++ == TOP) {
                out.printf("  ... %d more%n", counts.size() - TOP);
                break;
            }
            out.printf(Locale.ROOT, "  %-32s %6d%n", clip(e.getKey(), 32), e.getValue());
        }
    }

    private static void line(PrintWriter out, String key, Object value) {
        out.printf(Locale.ROOT, "  %-10s %s%n", key, value);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%s s (%dh %02dm %02ds)", num(seconds), s / 3600, (s / 60) % 60, s % 60);
    }

    /** Shortest decimal form without a trailing ".0" for whole numbers. */
    static String num(Double v) {
        if (v == null) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString(v.longValue());
        }
        return Double.toString(v);
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
