package ai.hypnos.core.annotation;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.recording.Annotation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds AASM hypnograms (30-s epochs, {@link SleepStage#UNSCORED} kept distinct, aligned to the
 * recording start) from the scoring formats sleep data come in:
 *
 * <ul>
 *   <li>EDF+ annotations ({@link #fromAnnotations}): {@code "Sleep stage W/1/2/3/4/R/?"},
 *       {@code "Sleep stage N1/N2/N3/R"}, movement → unscored; "Lights off/on" are picked up.</li>
 *   <li>NSRR scored events ({@link #fromEvents}, or {@link NsrrXml}).</li>
 *   <li>Text files with one label per epoch ({@link #readText}).</li>
 * </ul>
 *
 * <p>Onsets and durations that are not multiples of 30 s are aligned by the majority rule of
 * {@link EpochAligner} and reported as a warning (logged, and in {@link ScoredNight#warnings()}).
 */
public final class Hypnograms {
    private static final Logger LOG = LoggerFactory.getLogger(Hypnograms.class);

    private Hypnograms() {
    }

    /**
     * The hypnogram of a recording's annotations (EDF+ TALs and the like).
     *
     * @param recordingSeconds the recording length; NaN or ≤ 0 (an annotation-only file) means up
     *                         to the last whole epoch the stage annotations reach
     */
    public static Hypnogram fromAnnotations(List<Annotation> annotations, double recordingSeconds) {
        return scoredNight(annotations, recordingSeconds).hypnogram();
    }

    /**
     * Hypnogram, stage intervals, lights off/on and warnings of a recording's annotations.
     * Annotations without a duration count as one epoch. Annotations that are neither stages nor
     * lights (arousals, events...) are ignored.
     */
    public static ScoredNight scoredNight(List<Annotation> annotations, double recordingSeconds) {
        List<StageInterval> intervals = new ArrayList<>();
        OptionalDouble off = OptionalDouble.empty();
        OptionalDouble on = OptionalDouble.empty();
        List<String> warnings = new ArrayList<>();
        for (Annotation a : annotations) {
            if (StageText.isLightsOff(a.text())) {
                if (off.isPresent()) {
                    warnings.add("several lights-off marks; using the first, at " + off.getAsDouble() + " s");
                } else {
                    off = OptionalDouble.of(a.onset());
                }
                continue;
            }
            if (StageText.isLightsOn(a.text())) {
                on = OptionalDouble.of(a.onset()); // the last one: lights may go on and off again
                continue;
            }
            Optional<SleepStage> stage = StageText.parse(a.text());
            if (stage.isPresent()) {
                double duration = a.hasDuration() && a.duration() > 0 ? a.duration() : Hypnogram.EPOCH_SECONDS;
                intervals.add(new StageInterval(a.onset(), duration, stage.get(), a.text()));
            }
        }
        return night(intervals, recordingSeconds, off, on, warnings);
    }

    /** The hypnogram of NSRR scored events (their stage events; other events are ignored). */
    public static Hypnogram fromEvents(List<ScoredEvent> events, double recordingSeconds) {
        return scoredNightFromEvents(events, recordingSeconds).hypnogram();
    }

    /** Hypnogram and warnings of NSRR scored events; NSRR files carry no lights marks. */
    public static ScoredNight scoredNightFromEvents(List<ScoredEvent> events, double recordingSeconds) {
        List<StageInterval> intervals = new ArrayList<>();
        for (ScoredEvent e : events) {
            e.stage().ifPresent(s -> intervals.add(new StageInterval(e.onset(), e.duration(), s, e.concept())));
        }
        return night(intervals, recordingSeconds, OptionalDouble.empty(), OptionalDouble.empty(), new ArrayList<>());
    }

    /** The hypnogram of stage intervals, aligned by {@link EpochAligner}. */
    public static Hypnogram fromIntervals(List<StageInterval> intervals, double recordingSeconds) {
        return night(intervals, recordingSeconds, OptionalDouble.empty(), OptionalDouble.empty(), new ArrayList<>())
                .hypnogram();
    }

    private static ScoredNight night(List<StageInterval> intervals, double recordingSeconds, OptionalDouble off,
            OptionalDouble on, List<String> warnings) {
        Hypnogram h = EpochAligner.align(intervals, recordingSeconds, Hypnogram.EPOCH_SECONDS, warnings);
        if (intervals.isEmpty()) {
            warnings.add("no sleep-stage annotations found");
        }
        for (String w : warnings) {
            LOG.warn(w);
        }
        List<StageInterval> sorted = new ArrayList<>(intervals);
        sorted.sort((a, b) -> Double.compare(a.onset(), b.onset()));
        return new ScoredNight(h, sorted, off, on, warnings);
    }

    /** A text hypnogram with one 30-s epoch per line; see {@link #readText(Path, double)}. */
    public static Hypnogram readText(Path file) throws IOException {
        return readText(file, Hypnogram.EPOCH_SECONDS);
    }

    /**
     * A text hypnogram: one label per line, the first line for the epoch at the recording start.
     * Blank lines and lines starting with {@code #} are skipped. Labels are stage names
     * ({@code W, N1, N2, N3, R, REM, Sleep stage 2, ?}...: {@link StageText}) or numbers. Numbers
     * follow YASA (0 W, 1 N1, 2 N2, 3 N3, 4 REM, -1 artefact and -2 unscored → unscored) unless
     * the file holds a 5..9, which only the R&amp;K/NSRR numbering uses (0 W, 1–2, 3 and 4 → N3,
     * 5 REM, 6 movement, 9 unscored); that choice is logged.
     *
     * @throws HypnosFormatException for a label that is not a stage, naming the line
     */
    public static Hypnogram readText(Path file, double epochSeconds) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new HypnosFormatException(file, "hypnogram", file, "no such file");
        }
        List<String> labels = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        boolean rkNumbers = false;
        int lineNo = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            labels.add(line);
            lineNumbers.add(lineNo);
            if (line.matches("[5-9]")) {
                rkNumbers = true;
            }
        }
        if (rkNumbers) {
            LOG.info("{}: numbers 5..9 present: reading numbers as R&K/NSRR stages (5 = REM)", file);
        }
        SleepStage[] stages = new SleepStage[labels.size()];
        for (int i = 0; i < stages.length; i++) {
            String label = labels.get(i);
            Optional<SleepStage> s = label.matches("-?\\d+") ? number(Integer.parseInt(label), rkNumbers)
                    : StageText.parseEpochLabel(label);
            if (s.isEmpty()) {
                throw new HypnosFormatException(file, "line " + lineNumbers.get(i), label, "not a sleep-stage label");
            }
            stages[i] = s.get();
        }
        return new Hypnogram(epochSeconds, stages);
    }

    private static Optional<SleepStage> number(int v, boolean rk) {
        if (rk) {
            return switch (v) {
                case 0 -> Optional.of(SleepStage.W);
                case 1 -> Optional.of(SleepStage.N1);
                case 2 -> Optional.of(SleepStage.N2);
                case 3, 4 -> Optional.of(SleepStage.N3);
                case 5 -> Optional.of(SleepStage.REM);
                case 6, 7, 8, 9 -> Optional.of(SleepStage.UNSCORED);
                default -> Optional.empty();
            };
        }
        return switch (v) {
            case 0, 1, 2, 3, 4 -> Optional.of(SleepStage.fromLabel(v));
            case -1, -2 -> Optional.of(SleepStage.UNSCORED);
            default -> Optional.empty();
        };
    }
}
