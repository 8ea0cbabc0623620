package ai.hypnos.core.modality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Segment;
import ai.hypnos.core.recording.SignalInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EDF+D: a modality read from a recording with gaps keeps sample i at i / fs seconds, the gaps
 * NaN. The truth is the record onsets that {@code src/test/python/edf_fixtures.py} wrote into
 * {@code edf_plus_d.edf} (fixtures_golden.json), not our reader's segments.
 */
class DiscontinuousResolutionTest {
    @TempDir
    Path dir;

    private Path fixture() throws IOException {
        Path p = dir.resolve("edf_plus_d.edf");
        try (InputStream in = getClass().getResourceAsStream("/ai/hypnos/core/edf/edf_plus_d.edf")) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    private static JsonNode golden() throws IOException {
        try (InputStream in = DiscontinuousResolutionTest.class.getResourceAsStream("/ai/hypnos/core/edf/fixtures_golden.json")) {
            return new ObjectMapper().readTree(in).get("edf_plus_d");
        }
    }

    @Test
    void eachRecordLandsAtItsOnsetAndTheGapsAreNaN() throws IOException {
        JsonNode g = golden();
        double recordSeconds = g.get("record_duration").asDouble();
        try (EdfRecording rec = EdfReader.open(fixture())) {
            ChannelResolution res = ChannelResolver.defaults().resolve(rec);
            assertTrue(res.has(Modality.ECG));
            double fs = res.sampleRate(Modality.ECG);
            assertEquals(100.0, fs);
            int perRecord = (int) Math.round(fs * recordSeconds);
            double[] stored = rec.read(res.channel(Modality.ECG).orElseThrow().signal());
            double[] x = res.read(Modality.ECG);

            JsonNode onsets = g.get("record_onsets");
            double lastOnset = onsets.get(onsets.size() - 1).asDouble();
            assertEquals(Math.round((lastOnset + recordSeconds) * fs), x.length, "the whole time line, gaps included");
            boolean[] data = new boolean[x.length];
            for (int r = 0; r < onsets.size(); r++) {
                int at = (int) Math.round(onsets.get(r).asDouble() * fs);
                for (int k = 0; k < perRecord; k++) {
                    assertEquals(stored[r * perRecord + k], x[at + k], 0.0, "record " + r + " sample " + k);
                    data[at + k] = true;
                }
            }
            int gapSamples = 0;
            for (int i = 0; i < x.length; i++) {
                if (!data[i]) {
                    assertTrue(Double.isNaN(x[i]), "sample " + i + " lies in a gap");
                    gapSamples++;
                }
            }
            // 6 s of data, a 3.5-s gap, 4 s, a 17-s gap, 6 s
            assertEquals((3.5 + 17) * fs, gapSamples);
            String warning = res.report().warnings().stream().filter(w -> w.startsWith("discontinuous")).findFirst()
                    .orElseThrow(() -> new AssertionError(res.report().warnings().toString()));
            assertTrue(warning.contains("3 segments") && warning.contains("20.500 s of it gaps"), warning);
        }
    }

    @Test
    void aReferenceIsPlacedOnTheSameTimeLineBeforeItIsSubtracted() throws IOException {
        // C3 at 100 Hz, M2 at 100 Hz: C3 - M2 must be NaN exactly where both are gaps.
        double[] c3 = ramp(600, 1);
        double[] m2 = ramp(600, 0.25);
        Recording rec = withSegments(InMemoryRecording.builder().signal("C3", "uV", 100, c3).signal("M2", "uV", 100, m2)
                .build(), List.of(new Segment(0, 2, 0, 2), new Segment(5, 4, 2, 4)));
        ChannelResolution res = ChannelResolver.defaults().resolve(rec);
        double[] x = res.read(Modality.EEG_C3);
        assertEquals(900, x.length);
        for (int i = 0; i < 900; i++) {
            if (i >= 200 && i < 500) {
                assertTrue(Double.isNaN(x[i]), "gap at " + i);
            } else {
                int s = i < 200 ? i : i - 300;
                assertEquals(c3[s] - m2[s], x[i], 1e-12, "sample " + i);
            }
        }
    }

    @Test
    void aGapBeyondAWeekIsRefusedNamingFileAndRecord() {
        Path source = Path.of("night-with-a-corrupt-tal.edf");
        Recording rec = withSegments(InMemoryRecording.builder().source(source)
                .signal("ECG", "mV", 100, new double[400]).build(),
                List.of(new Segment(0, 2, 0, 2), new Segment(9e9, 2, 2, 2)));
        ChannelResolution res = ChannelResolver.defaults().resolve(rec);
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> res.read(Modality.ECG));
        assertEquals(source, e.file());
        assertEquals("onset of data record 2", e.field());
        assertTrue(e.value().startsWith("9.0E9"), e.value());
        assertTrue(e.getMessage().contains("7 days"), e.getMessage());
    }

    @Test
    void gapsAddingUpToMoreThanADayAreRefusedWithinTheWeek() {
        // Each gap under a day and the time line well within the week, but 27.8 h of gaps in
        // all: at 256 Hz that would already be a 200 MB array of NaN per channel.
        Path source = Path.of("night-with-a-bad-onset.edf");
        Recording rec = withSegments(InMemoryRecording.builder().source(source)
                .signal("ECG", "mV", 100, new double[600]).build(),
                List.of(new Segment(0, 2, 0, 2), new Segment(50_000, 2, 2, 2), new Segment(100_000, 2, 4, 2)));
        ChannelResolution res = ChannelResolver.defaults().resolve(rec);
        HypnosFormatException e = assertThrows(HypnosFormatException.class, () -> res.read(Modality.ECG));
        assertEquals(source, e.file());
        assertEquals("onset of data record 4", e.field(), "the segment at which the gaps pass a day");
        assertTrue(e.getMessage().contains("24 h") && e.getMessage().contains("99996 s"), e.getMessage());
    }

    @Test
    void gapsOfJustUnderADayAreKept() throws IOException {
        // 86,000 s of gaps (a day is 86,400): still read, the gap NaN.
        Recording rec = withSegments(InMemoryRecording.builder().signal("ECG", "mV", 100, ramp(400, 1)).build(),
                List.of(new Segment(0, 2, 0, 2), new Segment(86_002, 2, 2, 2)));
        double[] x = ChannelResolver.defaults().resolve(rec).read(Modality.ECG);
        assertEquals(8_600_400, x.length);
        assertTrue(Double.isNaN(x[200]) && Double.isNaN(x[8_600_199]));
        assertEquals(ramp(400, 1)[200], x[8_600_200], 0.0);
    }

    @Test
    void continuousRecordingsAreReadAsStored() throws IOException {
        double[] ecg = ramp(300, 0.5);
        Recording rec = InMemoryRecording.builder().signal("ECG", "mV", 100, ecg).build();
        ChannelResolution res = ChannelResolver.defaults().resolve(rec);
        org.junit.jupiter.api.Assertions.assertArrayEquals(ecg, res.read(Modality.ECG));
        assertTrue(res.report().warnings().stream().noneMatch(w -> w.startsWith("discontinuous")));
    }

    private static double[] ramp(int n, double step) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * step + Math.sin(i * 0.1);
        }
        return x;
    }

    /** A recording whose stored samples are those of {@code r}, split into the given segments. */
    private static Recording withSegments(Recording r, List<Segment> segments) {
        return new Recording() {
            @Override
            public Path source() {
                return r.source();
            }

            @Override
            public String format() {
                return "EDF+D";
            }

            @Override
            public LocalDateTime startTime() {
                return r.startTime();
            }

            @Override
            public double durationSeconds() {
                return r.durationSeconds();
            }

            @Override
            public List<SignalInfo> signals() {
                return r.signals();
            }

            @Override
            public List<Segment> segments() {
                return segments;
            }

            @Override
            public List<Annotation> annotations() {
                return r.annotations();
            }

            @Override
            public double[] read(int signal, long fromSample, int count) throws IOException {
                return r.read(signal, fromSample, count);
            }
        };
    }
}
