package ai.hypnos.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.annotation.Hypnogram;
import ai.hypnos.core.annotation.Hypnograms;
import ai.hypnos.core.annotation.NsrrAnnotations;
import ai.hypnos.core.annotation.NsrrXml;
import ai.hypnos.core.annotation.ScoredEvent;
import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfRecording;
import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Derivation;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.recording.SignalInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small cohort on disk (one subject per site, faults on): the same seed gives the same bytes,
 * and every file reads back through the project's own readers (EDF+, NSRR XML, EDF+ hypnogram,
 * NPZ, channel resolution) as what the generator holds in memory.
 */
class CohortFilesTest {
    private static final CohortSpec SPEC = new CohortSpec(4, 0.4, 99, List.of(Site.values()), true);

    @TempDir
    static Path dir;
    private static CohortManifest manifest;

    @BeforeAll
    static void generate() throws IOException {
        manifest = SyntheticCohort.generate(SPEC, dir.resolve("a"));
    }

    @Test
    void sameSeedGivesIdenticalBytes() throws IOException {
        Path b = dir.resolve("b");
        SyntheticCohort.generate(SPEC, b);
        List<Path> filesA = files(dir.resolve("a"));
        List<Path> filesB = files(b);
        assertEquals(filesA.size(), filesB.size());
        assertTrue(filesA.size() >= 4 * 4 + 2, "four files per night plus the manifests: " + filesA);
        for (int i = 0; i < filesA.size(); i++) {
            assertEquals(dir.resolve("a").relativize(filesA.get(i)), b.relativize(filesB.get(i)));
            assertArrayEquals(Files.readAllBytes(filesA.get(i)), Files.readAllBytes(filesB.get(i)),
                    "bytes of " + filesA.get(i).getFileName());
        }
        // and another seed gives other signals
        Path c = dir.resolve("c");
        SyntheticCohort.generate(new CohortSpec(1, 0.4, 100, List.of(Site.SHHS), true), c);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(c.resolve("edf/sub-0001.edf")),
                Files.readAllBytes(dir.resolve("a/edf/sub-0001.edf"))));
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void manifestListsEverySubjectWithSiteAndNotch() throws IOException {
        CohortManifest read = CohortManifest.read(manifest.file());
        assertEquals(manifest.entries(), read.entries());
        assertEquals(CohortManifest.HEADER, Files.readAllLines(manifest.file()).get(0));
        for (int k = 0; k < SPEC.subjects(); k++) {
            CohortManifest.Entry e = read.entries().get(k);
            Site site = SPEC.sites().get(k);
            assertEquals(SyntheticCohort.subjectId(k), e.subject());
            assertEquals(site.key(), e.site());
            assertEquals(site.mainsHz(), e.notch());
            assertTrue(List.of("train", "val", "test").contains(e.split()));
            assertTrue(Files.exists(read.recordingPath(e)) && Files.exists(read.annotationsPath(e)));
        }
        List<String> subjects = Files.readAllLines(dir.resolve("a/subjects.csv"));
        assertEquals(SyntheticCohort.SUBJECTS_HEADER, subjects.get(0));
        assertEquals(SPEC.subjects() + 1, subjects.size());
    }

    @Test
    void filesReadBackAsGenerated() throws IOException {
        for (int k = 0; k < SPEC.subjects(); k++) {
            CohortManifest.Entry e = manifest.entries().get(k);
            SubjectProfile p = SyntheticCohort.subject(SPEC, k);
            SyntheticNight night = SyntheticNight.generate(p, SPEC.hours(), SyntheticCohort.nightSeed(SPEC, k));
            InMemoryRecording mem = night.recording();
            try (EdfRecording rec = EdfReader.open(manifest.recordingPath(e))) {
                assertEquals("EDF+C", rec.format());
                assertTrue(rec.warnings().isEmpty(), rec.warnings().toString());
                assertEquals(mem.signals().size(), rec.signals().size());
                assertEquals(night.hypnogram().size() * 30.0, rec.durationSeconds(), 1e-9);
                for (int i = 0; i < mem.signals().size(); i++) {
                    SignalInfo m = mem.signals().get(i);
                    SignalInfo f = rec.signals().get(i);
                    assertEquals(m.label(), f.label());
                    assertEquals(m.sampleRate(), f.sampleRate(), 1e-9);
                    assertEquals(m.unit(), f.unit());
                    double step = (m.physicalMax() - m.physicalMin()) / 65535;
                    double[] a = mem.read(i);
                    double[] b = rec.read(i);
                    assertEquals(a.length, b.length);
                    for (int j = 0; j < a.length; j += 7) {
                        assertEquals(a[j], b[j], step, m.label() + " sample " + j);
                    }
                }
                assertTrue(rec.annotations().stream().anyMatch(a -> a.text().equals("Lights off")));

                NsrrAnnotations xml = NsrrXml.read(manifest.annotationsPath(e));
                assertEquals(night.hypnogram(), xml.hypnogram(rec.durationSeconds()));
                long scored = night.events().stream().filter(ev -> ev.type().nsrrConcept() != null).count();
                assertEquals(scored, xml.otherEvents().stream().filter(ev -> !ev.name().equals("Recording Start Time")).count());
                for (ScoredEvent ev : xml.otherEvents()) {
                    assertTrue(ev.duration() >= 0 && ev.onset() >= 0);
                }

                try (EdfRecording h = EdfReader.open(dir.resolve("a/annotations/" + e.subject() + "-hypnogram.edf"))) {
                    Hypnogram fromEdf = Hypnograms.fromAnnotations(h.annotations(), rec.durationSeconds());
                    assertEquals(night.hypnogram(), fromEdf);
                }

                try (NpzReader z = NpzReader.open(dir.resolve("a/truth/" + e.subject() + ".npz"))) {
                    assertArrayEquals(toBytes(night.hypnogram().labels()), z.get("stage").toByteArray());
                    assertArrayEquals(new long[] {(long) rec.durationSeconds(), EventType.values().length}, z.get("events").shape());
                    assertEquals(EventType.values().length, z.get("event_names").toStringArray().length);
                    assertArrayEquals(night.truth().rPeaks(), z.get("r_peaks").toDoubleArray());
                }

                ChannelResolution res = ChannelResolver.defaults().resolve(rec);
                assertTrue(res.has(Modality.EEG_C4) && res.has(Modality.EMG_CHIN) && res.has(Modality.ECG), res.report().toString());
                assertEquals(p.site() != Site.MESA, res.has(Modality.EEG_C3), res.report().toString());
                assertEquals(p.faults().hasEog(), res.has(Modality.EOG_E1), res.report().toString());
                assertEquals(p.faults().hasBelts(), res.has(Modality.RESP_THX), res.report().toString());
                if (p.site() == Site.RAW) {
                    assertEquals(Derivation.RE_REFERENCED, res.channel(Modality.EEG_C3).orElseThrow().derivation());
                    assertEquals(Derivation.BIPOLAR_DERIVED, res.channel(Modality.EMG_CHIN).orElseThrow().derivation());
                }
            }
        }
    }

    /** Referencing a bare electrode site gives back the referenced derivation of the same night. */
    @Test
    void bareElectrodesReReferenceToTheDerivations() throws IOException {
        SubjectProfile raw = SubjectProfile.typical("raw", Site.RAW);
        SubjectProfile aasm = SubjectProfile.typical("aasm", Site.AASM);
        InMemoryRecording r = SyntheticNight.generate(raw, 0.1, 5).recording();
        ChannelResolution res = ChannelResolver.defaults().resolve(r);
        double[] c3 = res.read(Modality.EEG_C3);
        double[] electrode = r.read(r.indexOf("C3").orElseThrow());
        // the bare electrode carries the reference's offset and common-mode signal...
        assertTrue(Math.abs(SignalMeasures.mean(electrode) - SignalMeasures.mean(c3)) > 1
                || SignalMeasures.rms(electrode) > 1.5 * SignalMeasures.rms(c3));
        // ...and the re-referenced signal looks like an AASM site's C3-M2 of the same subject
        InMemoryRecording a = SyntheticNight.generate(aasm, 0.1, 5).recording();
        double[] c3m2 = a.read(a.indexOf("EEG C3-M2").orElseThrow());
        double ratio = SignalMeasures.rms(c3) / SignalMeasures.rms(c3m2);
        assertTrue(ratio > 0.7 && ratio < 1.4, "re-referenced C3 RMS / C3-M2 RMS = " + ratio);
    }

    @Test
    void missingChannelsFlatStretchesAndHumAreWhereTheProfileSays() throws IOException {
        SubjectProfile t = SubjectProfile.typical("faulty", Site.AASM);
        SubjectProfile p = new SubjectProfile(t.id(), t.site(), t.age(), t.sleep(), t.eeg(), t.cardio(), t.breathing(),
                new SubjectProfile.Faults(false, false, 20, 0, 2, 0, ChannelKind.C4_M1, 0.05, 0.05),
                t.lightsOffMinutes(), t.lightsOnMinutesBeforeEnd());
        SyntheticNight night = SyntheticNight.generate(p, 0.2, 3);
        InMemoryRecording r = night.recording();
        assertTrue(r.indexOf("EOG E1-M2").isEmpty() && r.indexOf("Resp Thoracic").isEmpty());
        double[] c4 = r.read(r.indexOf("EEG C4-M1").orElseThrow());
        double fs = 256;
        for (int i = (int) (0.05 * 3600 * fs) + 1; i < (int) (0.1 * 3600 * fs) - 1; i++) {
            assertEquals(0.0, c4[i], "C4 flat from 3 to 6 minutes");
        }
        assertTrue(night.events().stream().anyMatch(e -> e.type() == EventType.FLAT_SIGNAL));
        // 50 Hz hum on C3: power at 50 Hz far above its neighbours
        double[] c3 = r.read(r.indexOf("EEG C3-M2").orElseThrow());
        ai.hypnos.core.spectral.Psd psd = ai.hypnos.core.spectral.Welch.psd(c3, fs, 1024);
        double at50 = 0;
        double near = 0;
        for (int i = 0; i < psd.freqs().length; i++) {
            double f = psd.freqs()[i];
            if (Math.abs(f - 50) < 0.5) {
                at50 = Math.max(at50, psd.power()[i]);
            } else if (Math.abs(f - 45) < 1) {
                near = Math.max(near, psd.power()[i]);
            }
        }
        assertTrue(at50 > 100 * near, "mains hum peak " + at50 + " vs " + near);
    }

    private static byte[] toBytes(int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** Subject k of a cohort is the same whatever the cohort size. */
    @Test
    void subjectsDoNotDependOnCohortSize() {
        CohortSpec big = new CohortSpec(10, 0.4, 99, List.of(Site.values()), true);
        for (int k = 0; k < 4; k++) {
            assertEquals(SyntheticCohort.subject(SPEC, k), SyntheticCohort.subject(big, k));
            assertEquals(SyntheticCohort.nightSeed(SPEC, k), SyntheticCohort.nightSeed(big, k));
        }
        List<String> splits = new ArrayList<>(List.of(SyntheticCohort.splits(20, 1)));
        assertEquals(3, splits.stream().filter("test"::equals).count());
        assertEquals(3, splits.stream().filter("val"::equals).count());
    }
}
