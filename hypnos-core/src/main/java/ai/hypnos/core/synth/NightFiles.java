package ai.hypnos.core.synth;

import ai.hypnos.core.edf.EdfWriter;
import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.InMemoryRecording;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The files of one synthetic night, and how they are written.
 *
 * <ul>
 *   <li>{@code edf/<id>.edf}: EDF+C with the site's channels, labels, rates and ranges, plus
 *       "Lights off" / "Lights on" annotations;</li>
 *   <li>{@code annotations/<id>-nsrr.xml}: NSRR XML with stages and scored events;</li>
 *   <li>{@code annotations/<id>-hypnogram.edf}: annotation-only EDF+ with one
 *       {@code Sleep stage W/N1/N2/N3/R/?} annotation per 30-s epoch (as the HMC database
 *       ships its scorings);</li>
 *   <li>{@code truth/<id>.npz}: the {@link GroundTruth}.</li>
 * </ul>
 *
 * @param recording   the EDF+ recording
 * @param annotations the NSRR XML
 * @param hypnogram   the EDF+ hypnogram
 * @param truth       the ground-truth NPZ
 */
public record NightFiles(Path recording, Path annotations, Path hypnogram, Path truth) {

    /** Where the files of subject {@code id} go under a cohort folder. */
    public static NightFiles under(Path dir, String id) {
        return new NightFiles(dir.resolve("edf").resolve(id + ".edf"),
                dir.resolve("annotations").resolve(id + "-nsrr.xml"),
                dir.resolve("annotations").resolve(id + "-hypnogram.edf"),
                dir.resolve("truth").resolve(id + ".npz"));
    }

    /** Writes all four files of a night (each atomically). */
    public static NightFiles write(SyntheticNight night, Path dir) throws IOException {
        SubjectProfile s = night.subject();
        NightFiles files = under(dir, s.id());
        InMemoryRecording rec = night.recording();
        EdfWriter.Options options = new EdfWriter.Options()
                .recordDuration(1)
                .patient(s.id(), "X", null, "X")
                .recording("synthetic", "hypnos-synth", "site-" + s.site().key());
        EdfWriter.write(files.recording(), rec, options);

        int[] stages = night.hypnogram().labels();
        double seconds = stages.length * 30.0;
        NsrrXmlWriter.write(files.annotations(), rec.startTime(), seconds, stages, night.events(), signalLocations(s));

        InMemoryRecording.Builder hyp = InMemoryRecording.builder().start(rec.startTime());
        for (Annotation a : rec.annotations()) {
            hyp.annotation(a);
        }
        for (int e = 0; e < stages.length; e++) {
            hyp.annotation(new Annotation(e * 30.0, 30.0, "Sleep stage " + stageText(stages[e])));
        }
        EdfWriter.write(files.hypnogram(), hyp.build(), new EdfWriter.Options()
                .patient(s.id(), "X", null, "X")
                .recording("synthetic", "hypnos-synth", "hypnogram"));

        night.truth().writeNpz(files.truth());
        return files;
    }

    /** HMC/Sleep-EDF stage text: W, N1, N2, N3, R, ? for unscored. */
    static String stageText(int stage) {
        return switch (stage) {
            case 0 -> "W";
            case 1 -> "N1";
            case 2 -> "N2";
            case 3 -> "N3";
            case 4 -> "R";
            default -> "?";
        };
    }

    /** The channel each scored event type is read from, as NSRR files name it. */
    private static Map<EventType, String> signalLocations(SubjectProfile s) {
        Map<EventType, String> m = new EnumMap<>(EventType.class);
        for (SiteChannel c : s.site().channels()) {
            if (!s.records(c.kind())) {
                continue;
            }
            switch (c.kind()) {
                case C3_M2, C3 -> m.put(EventType.AROUSAL, c.label());
                case C4_M1, C4 -> m.putIfAbsent(EventType.AROUSAL, c.label());
                case FLOW -> {
                    m.put(EventType.OBSTRUCTIVE_APNEA, c.label());
                    m.put(EventType.CENTRAL_APNEA, c.label());
                    m.put(EventType.HYPOPNEA, c.label());
                }
                case SPO2 -> m.put(EventType.DESATURATION, c.label());
                case ECG -> m.put(EventType.ATRIAL_FIBRILLATION, c.label());
                default -> {
                }
            }
        }
        return m;
    }
}
