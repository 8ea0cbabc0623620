package ai.hypnos.core.modality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.recording.Recording;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven: label sets of real cohorts and one case per rule of DESIGN §3. */
class ChannelResolverTest {

    /** A recording with these labels, 4 samples each at 100 Hz. */
    static Recording labels(String... labels) {
        InMemoryRecording.Builder b = InMemoryRecording.builder();
        for (String l : labels) {
            b.signal(l, "uV", 100, new double[4]);
        }
        return b.build();
    }

    /** Expected outcome per modality: "absent", or "derivation:label[,label2]". */
    static Arguments cohort(String name, String[] labels, String... expected) {
        return Arguments.of(name, labels, expected);
    }

    static Stream<Arguments> cohorts() {
        return Stream.of(
                cohort("SHHS", new String[] {"SaO2", "H.R.", "EEG(sec)", "ECG", "EMG", "EOG(L)", "EOG(R)", "EEG",
                    "THOR RES", "ABDO RES", "POSITION", "LIGHT", "AIRFLOW", "OX stat"},
                        "pre_referenced:EEG(sec)", "pre_referenced:EEG", "acquisition_referenced:EOG(L)",
                        "acquisition_referenced:EOG(R)", "direct:EMG", "direct:ECG", "direct:ABDO RES", "direct:THOR RES"),
                cohort("MESA", new String[] {"EKG", "EOG-L", "EOG-R", "EMG", "EEG1", "EEG2", "EEG3", "Pres", "Flow",
                    "Snore", "Thor", "Abdo", "Leg", "Therm", "Pos", "EKG_Off", "EOG-L_Off", "SpO2", "HR"},
                        "absent", "pre_referenced:EEG3", "acquisition_referenced:EOG-L", "acquisition_referenced:EOG-R",
                        "direct:EMG", "direct:EKG", "direct:Abdo", "direct:Thor"),
                cohort("MrOS", new String[] {"C3", "C4", "A1", "A2", "ROC", "LOC", "ECG L", "ECG R", "L Chin", "R Chin",
                    "Leg L", "Leg R", "Airflow", "Cannula Flow", "Thoracic", "Abdominal", "SpO2"},
                        "re_referenced:C3,A2", "re_referenced:C4,A1", "re_referenced:LOC,A2", "re_referenced:ROC,A1",
                        "bipolar_derived:R Chin,L Chin", "direct:ECG L", "direct:Abdominal", "direct:Thoracic"),
                cohort("CFS", new String[] {"C3", "C4", "M1", "M2", "LOC", "ROC", "ECG1", "ECG2", "EMG1", "EMG2", "EMG3",
                    "THOR EFFORT", "ABDO EFFORT", "SpO2"},
                        "re_referenced:C3,M2", "re_referenced:C4,M1", "re_referenced:LOC,M2", "re_referenced:ROC,M1",
                        "bipolar_derived:EMG3,EMG2", "direct:ECG1", "direct:ABDO EFFORT", "direct:THOR EFFORT"),
                cohort("HMC", new String[] {"EEG F4-M1", "EEG C4-M1", "EEG O2-M1", "EEG C3-M2", "EMG chin",
                    "EOG E1-M2", "EOG E2-M2", "ECG"},
                        "pre_referenced:EEG C3-M2", "pre_referenced:EEG C4-M1", "pre_referenced:EOG E1-M2",
                        "pre_referenced:EOG E2-M2", "direct:EMG chin", "direct:ECG", "absent", "absent"),
                cohort("AASM montage", new String[] {"C3-M2", "C4-M1", "E1-M2", "E2-M1", "Chin1-Chin2", "ECG", "ABD", "THX"},
                        "pre_referenced:C3-M2", "pre_referenced:C4-M1", "pre_referenced:E1-M2", "pre_referenced:E2-M1",
                        "bipolar_pre_computed:Chin1-Chin2", "direct:ECG", "direct:ABD", "direct:THX"),
                cohort("Sleep-EDF", new String[] {"EEG Fpz-Cz", "EEG Pz-Oz", "EOG horizontal", "Resp oro-nasal",
                    "EMG submental", "Temp rectal", "Event marker"},
                        "absent", "absent", "absent", "absent", "direct:EMG submental", "absent", "absent", "absent"),
                cohort("lower case with colons", new String[] {"c3:m2", "c4/m1", "e1:m2", "e2:m1", "chin1:chin2", "ecg",
                    "abd", "thx"},
                        "pre_referenced:c3:m2", "pre_referenced:c4/m1", "pre_referenced:e1:m2", "pre_referenced:e2:m1",
                        "bipolar_pre_computed:chin1:chin2", "direct:ecg", "direct:abd", "direct:thx"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cohorts")
    void cohortLabelSets(String name, String[] labels, String[] expected) {
        ChannelResolution res = ChannelResolver.defaults().resolve(labels(labels));
        for (Modality m : Modality.values()) {
            ResolutionReport.Entry e = res.report().entry(m);
            String got = e.present() ? e.derivation() + ":" + String.join(",", e.labels()) : "absent";
            assertEquals(expected[m.id()], got, name + " " + m.key() + ": " + e.detail());
            assertEquals(e.present(), res.has(m));
        }
    }

    static String outcome(ChannelResolution res, Modality m) {
        ResolutionReport.Entry e = res.report().entry(m);
        return e.present() ? e.derivation() + ":" + String.join(",", e.labels()) : "absent";
    }

    @Test
    void exactLabelBeatsNormalisedAndAliases() {
        ChannelResolution res = ChannelResolver.defaults().resolve(labels("EEG C3-M2", "c3", "C3", "M2"));
        assertEquals("re_referenced:C3,M2", outcome(res, Modality.EEG_C3));
        assertEquals("exact", res.channel(Modality.EEG_C3).orElseThrow().matchedBy());
        res = ChannelResolver.defaults().resolve(labels("EEG C3-M2", " c3 "));
        assertEquals("acquisition_referenced: c3 ", outcome(res, Modality.EEG_C3));
        assertEquals("normalised", res.channel(Modality.EEG_C3).orElseThrow().matchedBy());
    }

    @Test
    void userAliasesComeBeforeBuiltInAliases() {
        Map<String, String> aliases = new LinkedHashMap<>();
        aliases.put("Left central", "eeg_c3");
        aliases.put("Belly", "RESP_ABD");
        ChannelResolver r = ChannelResolver.defaults().withAliases(aliases);
        ChannelResolution res = r.resolve(labels("C3-M2", "LEFT CENTRAL", "Abdo", "Belly"));
        assertEquals("acquisition_referenced:LEFT CENTRAL", outcome(res, Modality.EEG_C3));
        assertEquals("user alias 'Left central'", res.channel(Modality.EEG_C3).orElseThrow().matchedBy());
        assertEquals("direct:Belly", outcome(res, Modality.RESP_ABD));
        // a user alias naming a reference is used as is
        res = ChannelResolver.defaults().withAliases(Map.of("EEG Left-A2", "eeg_c3")).resolve(labels("EEG Left-A2", "M1"));
        assertEquals("pre_referenced:EEG Left-A2", outcome(res, Modality.EEG_C3));
        assertThrows(IllegalArgumentException.class, () -> r.withAliases(Map.of("X", "eeg_c5")));
        assertEquals(List.of("Left central"), r.userAliases().get(Modality.EEG_C3));
    }

    @Test
    void bareElectrodeRules() {
        // reference present: re-referenced (A2 stands in for M2, TP9 for M1)
        assertEquals("re_referenced:C3,A2", outcome(ChannelResolver.defaults().resolve(labels("C3", "A2")), Modality.EEG_C3));
        assertEquals("re_referenced:C4,TP9", outcome(ChannelResolver.defaults().resolve(labels("C4", "TP9")), Modality.EEG_C4));
        // no reference electrode at all: taken as referenced at acquisition
        assertEquals("acquisition_referenced:C3", outcome(ChannelResolver.defaults().resolve(labels("C3")), Modality.EEG_C3));
        // its reference missing while the other exists: dropped with a warning
        ChannelResolution res = ChannelResolver.defaults().resolve(labels("C3", "C4", "A1"));
        assertEquals("absent", outcome(res, Modality.EEG_C3));
        assertEquals("re_referenced:C4,A1", outcome(res, Modality.EEG_C4));
        assertTrue(res.report().entry(Modality.EEG_C3).detail().contains("needs M2"));
        assertEquals(1, res.report().warnings().size());
        assertTrue(res.report().warnings().get(0).startsWith("eeg_c3: bare electrode 'C3' needs M2"));
        // a label that names a reference is used as is, even the ipsilateral mastoid (HMC's E2-M2)
        assertEquals("pre_referenced:EOG E2-M2",
                outcome(ChannelResolver.defaults().resolve(labels("EOG E2-M2", "M1")), Modality.EOG_E2));
    }

    @Test
    void chinRules() {
        // bipolar label as is, preferred to a pair
        assertEquals("bipolar_pre_computed:Chin1-Chin2",
                outcome(ChannelResolver.defaults().resolve(labels("Chin1", "Chin2", "Chin1-Chin2")), Modality.EMG_CHIN));
        // a known pair, preferred to a single EMG channel
        assertEquals("bipolar_derived:Chin1,Chin2",
                outcome(ChannelResolver.defaults().resolve(labels("EMG", "Chin2", "Chin1")), Modality.EMG_CHIN));
        assertEquals("bipolar_derived:ChinR,ChinL",
                outcome(ChannelResolver.defaults().resolve(labels("ChinL", "ChinR", "Chin1", "Chin2")), Modality.EMG_CHIN));
        // one electrode of a pair alone is not a chin EMG
        assertEquals("absent", outcome(ChannelResolver.defaults().resolve(labels("Chin1")), Modality.EMG_CHIN));
        assertEquals("direct:Chin EMG", outcome(ChannelResolver.defaults().resolve(labels("Chin EMG")), Modality.EMG_CHIN));
    }

    @Test
    void nothingMatchesMeansAbsentWithAReason() {
        ChannelResolution res = ChannelResolver.defaults().resolve(labels("Fp1", "O2"));
        assertTrue(res.present().isEmpty());
        String why = res.report().entry(Modality.EEG_C3).detail();
        assertTrue(why.startsWith("no channel matches 'C3' or its"), why);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> res.read(Modality.EEG_C3));
        assertTrue(e.getMessage().contains("eeg_c3 is absent"));
    }

    @Test
    void reReferencingAtTheSameRateIsAnExactDifference() throws Exception {
        double[] c3 = {1, 2, 3, 4, 5, 6};
        double[] m2 = {0.5, 0.25, -1, 0, 2, 8};
        Recording rec = InMemoryRecording.builder()
                .signal("C3", "uV", 256, c3).signal("M2", "uV", 256, m2).build();
        ChannelResolution res = ChannelResolver.defaults().resolve(rec);
        assertArrayEquals(new double[] {0.5, 1.75, 4, 4, 3, -2}, res.read(Modality.EEG_C3));
        assertEquals(256.0, res.sampleRate(Modality.EEG_C3));
    }

    @Test
    void shorterLengthIsKeptAndUnitsAreConverted() throws Exception {
        Recording rec = InMemoryRecording.builder()
                .signal("E1", "uV", 100, new double[] {100, 200, 300, 400, 500})
                .signal("A2", "mV", 100, new double[] {0.1, 0.1, 0.1}).build();
        ChannelResolution res = ChannelResolver.defaults().resolve(rec);
        assertArrayEquals(new double[] {0, 100, 200}, res.read(Modality.EOG_E1), 1e-9);
        assertTrue(res.report().entry(Modality.EOG_E1).detail().contains("converted from mV to uV"));
    }

    @Test
    void referenceAtAnotherRateIsResampledLikeResamplePoly() throws Exception {
        // C4 at 256 Hz, M1 at 128 Hz carrying a slow 1 Hz sine: resampled, it is that sine at 256 Hz
        int n = 256 * 8;
        double[] c4 = new double[n];
        double[] m1 = new double[n / 2];
        for (int i = 0; i < m1.length; i++) {
            m1[i] = Math.sin(2 * Math.PI * i / 128.0);
        }
        Recording rec = InMemoryRecording.builder()
                .signal("C4", "uV", 256, c4).signal("M1", "uV", 128, m1).build();
        ChannelResolution res = ChannelResolver.defaults().resolve(rec);
        double[] got = res.read(Modality.EEG_C4);
        assertEquals(n, got.length);
        for (int i = 200; i < n - 200; i++) { // away from the filter's edges
            assertEquals(-Math.sin(2 * Math.PI * i / 256.0), got[i], 2e-3, "sample " + i);
        }
        double[] direct = new ai.hypnos.core.preprocess.Resampler(2, 1).apply(m1);
        for (int i = 0; i < n; i++) {
            assertEquals(-direct[i], got[i], 0.0);
        }
        assertTrue(res.report().entry(Modality.EEG_C4).detail().contains("resampled 128 -> 256 Hz"));
    }

    @Test
    void chinPairDifferenceNumerics() throws Exception {
        Recording rec = InMemoryRecording.builder()
                .signal("L Chin", "uV", 200, new double[] {1, 1, 1})
                .signal("R Chin", "uV", 200, new double[] {3, 5, 7}).build();
        ChannelResolution res = ChannelResolver.defaults().resolve(rec);
        assertArrayEquals(new double[] {2, 4, 6}, res.read(Modality.EMG_CHIN));
    }

    @Test
    void resolvingReadsNoSamples() throws Exception {
        int[] reads = {0};
        Recording base = labels("C3", "M2", "ECG");
        Recording counting = new Recording() {
            public java.nio.file.Path source() { return null; }
            public String format() { return "memory"; }
            public java.time.LocalDateTime startTime() { return base.startTime(); }
            public double durationSeconds() { return base.durationSeconds(); }
            public List<ai.hypnos.core.recording.SignalInfo> signals() { return base.signals(); }
            public List<ai.hypnos.core.recording.Segment> segments() { return base.segments(); }
            public List<ai.hypnos.core.recording.Annotation> annotations() { return base.annotations(); }
            public double[] read(int s, long from, int count) throws java.io.IOException {
                reads[0]++;
                return base.read(s, from, count);
            }
        };
        ChannelResolution res = ChannelResolver.defaults().resolve(counting);
        assertEquals(0, reads[0]);
        res.read(Modality.ECG);
        assertEquals(1, reads[0]);
        res.read(Modality.EEG_C3);
        assertEquals(3, reads[0]);
    }

    @Test
    void reportIsReadableAndJson() throws Exception {
        ChannelResolution res = ChannelResolver.defaults().resolve(labels("C3", "C4", "A1", "EKG", "Thor"));
        ResolutionReport report = res.report();
        assertEquals(Modality.COUNT, report.entries().size());
        String text = report.toString();
        assertTrue(text.contains("eeg_c4    C4 - A1"), text);
        assertTrue(text.contains("eeg_c3    absent: bare electrode 'C3' needs M2"), text);
        assertTrue(text.contains("warning: eeg_c3"), text);

        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode json = om.readTree(report.toJson());
        assertEquals("eeg_c4", json.get("entries").get(1).get("modality").asText());
        assertEquals("re_referenced", json.get("entries").get(1).get("derivation").asText());
        assertEquals(List.of("C4", "A1"), Arrays.asList(om.treeToValue(json.get("entries").get(1).get("labels"), String[].class)));
        assertEquals(100.0, json.get("entries").get(1).get("sampleRate").asDouble());
        assertFalse(json.get("entries").get(0).get("present").asBoolean());
        assertEquals(1, json.get("warnings").size());
        // and back
        assertEquals(report, om.readValue(report.toJson(), ResolutionReport.class));
    }
}
