package ai.hypnos.cli.info;

import ai.hypnos.core.annotation.EventKind;
import ai.hypnos.core.annotation.Hypnogram;
import ai.hypnos.core.annotation.Hypnograms;
import ai.hypnos.core.annotation.NsrrAnnotations;
import ai.hypnos.core.annotation.NsrrXml;
import ai.hypnos.core.annotation.ScoredEvent;
import ai.hypnos.core.annotation.ScoredNight;
import ai.hypnos.core.annotation.SleepStage;
import ai.hypnos.core.annotation.StageText;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.core.recording.Segment;
import ai.hypnos.core.recording.SignalInfo;
import ai.hypnos.core.wfdb.MitAnnotation;
import ai.hypnos.core.wfdb.MitAnnotations;
import ai.hypnos.core.wfdb.RhythmInterval;
import ai.hypnos.core.wfdb.WfdbRecording;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What {@code hypnos info} reports about a file, as an ordered tree of maps, lists and values
 * (printed as JSON with {@code --json}, as text otherwise). Keys are snake_case and stable: tests
 * and scripts read them.
 */
final class FileSummary {
    private FileSummary() {
    }

    /** Summarises a recording (EDF, BDF, WFDB) or an annotation-only NSRR XML file. */
    static Map<String, Object> of(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".xml")) {
            return ofNsrr(NsrrXml.read(file));
        }
        try (Recording rec = Recordings.open(file)) {
            return ofRecording(rec);
        }
    }

    static Map<String, Object> ofRecording(Recording rec) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", String.valueOf(rec.source()));
        m.put("format", rec.format());
        m.put("start", rec.startTime().toString());
        m.put("duration_s", rec.durationSeconds());
        List<String> warnings = new ArrayList<>();
        if (rec instanceof EdfRecording edf) {
            m.put("patient", edf.header().patientId());
            m.put("recording", edf.header().recordingId());
            Map<String, Object> records = new LinkedHashMap<>();
            records.put("count", edf.recordCount());
            records.put("duration_s", edf.header().recordDuration());
            m.put("records", records);
            warnings.addAll(edf.warnings());
        }
        if (rec instanceof WfdbRecording wfdb) {
            m.put("frames", wfdb.frameCount());
            warnings.addAll(wfdb.warnings());
        }
        List<Segment> segments = rec.segments();
        List<Map<String, Object>> segs = new ArrayList<>();
        for (Segment s : segments) {
            Map<String, Object> seg = new LinkedHashMap<>();
            seg.put("onset_s", s.onset());
            seg.put("duration_s", s.duration());
            segs.add(seg);
        }
        m.put("segments", segs);

        List<Map<String, Object>> channels = new ArrayList<>();
        for (int i = 0; i < rec.signals().size(); i++) {
            SignalInfo s = rec.signals().get(i);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("index", i);
            c.put("label", s.label());
            c.put("transducer", s.transducer());
            c.put("unit", s.unit());
            c.put("prefiltering", s.prefiltering());
            c.put("sample_rate", s.sampleRate());
            c.put("samples", s.sampleCount());
            channels.add(c);
        }
        m.put("channels", channels);

        List<Annotation> annotations = rec.annotations();
        if (rec instanceof WfdbRecording wfdb && !wfdb.mitAnnotations().isEmpty()) {
            m.put("mit_annotations", mitSummary(wfdb));
        } else {
            m.put("annotations", annotationSummary(annotations));
        }
        // WFDB annotations are beat and rhythm codes ("R" is a bundle branch block beat, not REM).
        if (!(rec instanceof WfdbRecording) && annotations.stream().anyMatch(a -> StageText.parse(a.text()).isPresent())) {
            ScoredNight night = Hypnograms.scoredNight(annotations, rec.durationSeconds());
            if (!night.stages().isEmpty()) {
                m.put("hypnogram", hypnogramSummary(night));
            }
        }
        if (!rec.signals().isEmpty()) {
            m.put("resolution", ChannelResolver.defaults().resolve(rec).report());
        }
        m.put("warnings", warnings);
        return m;
    }

    static Map<String, Object> ofNsrr(NsrrAnnotations nsrr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", String.valueOf(nsrr.source()));
        m.put("format", "NSRR XML");
        m.put("start", nsrr.clockTime());
        m.put("duration_s", nsrr.recordingSeconds().isPresent() ? nsrr.recordingSeconds().getAsDouble() : null);
        m.put("epoch_s", nsrr.epochSeconds());
        Map<String, Object> events = new LinkedHashMap<>();
        List<ScoredEvent> other = nsrr.otherEvents();
        events.put("count", nsrr.events().size());
        events.put("stage_events", nsrr.stages().size());
        Map<String, Integer> byKind = new LinkedHashMap<>();
        Map<EventKind, Integer> kinds = new EnumMap<>(EventKind.class);
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (ScoredEvent e : other) {
            kinds.merge(e.kind(), 1, Integer::sum);
            byName.merge(e.name(), 1, Integer::sum);
        }
        kinds.forEach((k, v) -> byKind.put(k.name().toLowerCase(Locale.ROOT), v));
        events.put("by_kind", byKind);
        events.put("by_name", sortedByCount(byName));
        m.put("events", events);
        double seconds = nsrr.recordingSeconds().orElse(Double.NaN);
        ScoredNight night = nsrr.scoredNight(seconds);
        if (!night.stages().isEmpty()) {
            m.put("hypnogram", hypnogramSummary(night));
        }
        m.put("warnings", List.of());
        return m;
    }

    private static Map<String, Object> annotationSummary(List<Annotation> annotations) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("count", annotations.size());
        Map<String, Integer> byText = new LinkedHashMap<>();
        for (Annotation x : annotations) {
            byText.merge(x.text(), 1, Integer::sum);
        }
        a.put("by_text", sortedByCount(byText));
        return a;
    }

    private static Map<String, Object> mitSummary(WfdbRecording wfdb) {
        List<MitAnnotation> all = wfdb.mitAnnotations();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("file", wfdb.source().resolveSibling(stem(wfdb.source()) + ".atr").getFileName().toString());
        a.put("count", all.size());
        a.put("beats", MitAnnotations.beats(all).size());
        a.put("by_label", sortedByCount(MitAnnotations.countByLabel(all)));
        double fs = wfdb.header().frameRate();
        List<RhythmInterval> rhythms = MitAnnotations.rhythms(all, wfdb.frameCount(), fs);
        Map<String, Map<String, Object>> byRhythm = new LinkedHashMap<>();
        for (RhythmInterval r : rhythms) {
            Map<String, Object> e = byRhythm.computeIfAbsent(r.rhythm(), k -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("episodes", 0);
                x.put("seconds", 0.0);
                return x;
            });
            e.put("episodes", (Integer) e.get("episodes") + 1);
            e.put("seconds", (Double) e.get("seconds") + r.duration());
        }
        a.put("rhythms", byRhythm);
        return a;
    }

    private static Map<String, Object> hypnogramSummary(ScoredNight night) {
        Hypnogram h = night.hypnogram();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", h.size());
        m.put("epoch_s", h.epochSeconds());
        Map<SleepStage, Integer> counts = h.counts();
        Map<String, Integer> stages = new LinkedHashMap<>();
        Map<String, Double> minutes = new LinkedHashMap<>();
        for (SleepStage s : SleepStage.values()) {
            int c = counts.getOrDefault(s, 0);
            stages.put(s.name(), c);
            minutes.put(s.name(), c * h.epochSeconds() / 60.0);
        }
        m.put("stages", stages);
        m.put("minutes", minutes);
        m.put("stage_annotations", night.stages().size());
        putIfPresent(m, "lights_off_s", night.lightsOff());
        putIfPresent(m, "lights_on_s", night.lightsOn());
        m.put("warnings", night.warnings());
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String key, OptionalDouble v) {
        if (v.isPresent()) {
            m.put(key, v.getAsDouble());
        }
    }

    /** Counts sorted by decreasing count, then by key. */
    private static Map<String, Integer> sortedByCount(Map<String, Integer> counts) {
        List<Map.Entry<String, Integer>> list = new ArrayList<>(counts.entrySet());
        list.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : list) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
