package ai.hypnos.cli.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.hypnos.cli.info.CliRun;
import ai.hypnos.core.edf.EdfReader;
import ai.hypnos.core.edf.EdfWriter;
import ai.hypnos.core.npy.NpzReader;
import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.InMemoryRecording;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.synth.Site;
import ai.hypnos.core.synth.SubjectProfile;
import ai.hypnos.core.synth.SynthRandom;
import ai.hypnos.core.synth.SyntheticNight;
import ai.hypnos.core.testing.TestData;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hypnos embed}, {@code generate}, {@code fetch-weights} and {@code bench embed} on a
 * synthetic night with the golden tiny bundle: the NPZ has the documented keys, shapes and
 * dtypes (read by our NpzReader and, where installed, by numpy), a cohort skips and reports a
 * bad recording, generation writes a readable EDF+, and weights download from a loopback Hub.
 */
class EmbedCommandTest {
    @TempDir
    static Path dir;
    private static Path night;
    private static String bundle;

    @BeforeAll
    static void night() throws Exception {
        SubjectProfile s = SubjectProfile.sample("sub-1", Site.AASM, new SynthRandom(1), false);
        night = dir.resolve("night.edf");
        EdfWriter.write(night, SyntheticNight.generate(s, 95 / 3600.0, 1).recording());
        bundle = TestData.path("golden/bundle.safetensors").toString();
    }

    @Test
    void embedWritesTheDocumentedNpz() throws Exception {
        Path out = dir.resolve("emb.npz");
        CliRun r = CliRun.of("embed", night.toString(), "--model", bundle, "--notch", "60", "--chunk-tokens", "64",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        try (NpzReader z = NpzReader.open(out)) {
            assertEquals(List.of("eeg_c3", "eeg_c4", "ecg", "resp_abd"), List.of(z.get("modalities").toStringArray()));
            long s = z.get("eeg_c3").shape()[0];
            assertTrue(s >= 90 && s <= 96, "seconds " + s);
            for (String k : List.of("eeg_c3", "eeg_c4", "ecg", "resp_abd", "mean")) {
                assertArrayEquals(new long[] {s, 32}, z.get(k).shape(), k);
                assertEquals("float16", z.get(k).dtype().numpyName(), k);
            }
            assertArrayEquals(new long[] {s / 30, 32}, z.get("epochs").shape());
            assertArrayEquals(new long[] {s, 8}, z.get("tokens").shape());
            assertArrayEquals(new boolean[] {true, true, true, true}, z.get("presence").toBooleanArray());
            assertTrue(z.get("report").toStringArray()[0].contains("eeg_c3"));
        }
        assumeTrue(hasNumpy(), "numpy not installed: the python check is skipped");
        String check = "import json, numpy as np, sys; z = np.load(sys.argv[1]);"
                + "print(sorted(z.files)); print(z['mean'].shape, z['mean'].dtype, z['tokens'].dtype, z['epochs'].shape,"
                + " z['presence'].dtype, z['report'].shape, json.loads(str(z['report']))['entries'][0]['modality'])";
        Process p = new ProcessBuilder("python3", "-c", check, out.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("['channel_ids', 'ecg', 'eeg_c3', 'eeg_c4', 'epochs', 'mean', 'modalities', 'presence', "
                + "'report', 'resp_abd', 'tokens']"), text);
        assertTrue(text.contains("(90, 32) float16 int64 (3, 32) bool () eeg_c3")
                || text.matches("(?s).*\\(\\d+, 32\\) float16 int64 \\(\\d+, 32\\) bool \\(\\) eeg_c3.*"), text);
    }

    @Test
    void cohortEmbedsGoodRecordingsAndReportsBadOnes() throws Exception {
        Path cohort = Files.createDirectories(dir.resolve("cohort/site-a"));
        Files.copy(night, cohort.resolve("n1.edf"));
        Files.writeString(cohort.resolve("broken.edf"), "this is not an EDF file");
        Path out = dir.resolve("cohort-out");
        CliRun r = CliRun.of("embed", "--cohort", dir.resolve("cohort").toString(), "--model", bundle,
                "--out", out.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        // <file name>.npz: what hypnos probe --embeddings looks up for a manifest row.
        assertTrue(Files.exists(out.resolve("n1.npz")));
        List<String> report = Files.readAllLines(out.resolve("embed-report.tsv"));
        assertEquals(3, report.size(), report.toString());
        assertTrue(report.stream().anyMatch(l -> l.contains("broken.edf") && l.contains("\tfailed\t")), report.toString());
        assertTrue(report.stream().anyMatch(l -> l.contains("n1.edf") && l.contains("\tok\t")), report.toString());
        assertTrue(r.err().contains("broken.edf"), r.err());
        // A manifest naming the good one only, with --skip-existing on a second run.
        Path manifest = dir.resolve("cohort/manifest.csv");
        Files.writeString(manifest, "subject,path\ns1,site-a/n1.edf\n");
        CliRun again = CliRun.of("embed", "--cohort", manifest.toString(), "--model", bundle, "--out", out.toString(),
                "--skip-existing");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("1 skipped"), again.out());
    }

    @Test
    void cohortFolderSkipsAnnotationOnlyFilesAndNamesClashingRecordingsByPath() throws Exception {
        Path cohort = Files.createDirectories(dir.resolve("cohort2"));
        Files.createDirectories(cohort.resolve("site-a"));
        Files.createDirectories(cohort.resolve("site-b"));
        Files.copy(night, cohort.resolve("site-a/n1.edf"));
        Files.copy(night, cohort.resolve("site-b/n1.edf"));
        Files.copy(night, cohort.resolve("site-b/n2.edf"));
        // A scoring stored as an annotation-only EDF+, as synthetic cohorts and HMC ship them.
        EdfWriter.write(cohort.resolve("site-b/n2-hypnogram.edf"), InMemoryRecording.builder()
                .start(LocalDateTime.of(2020, 1, 1, 22, 0)).annotation(new Annotation(0, 30, "Sleep stage W")).build());
        Path out = dir.resolve("cohort2-out");
        CliRun r = CliRun.of("embed", "--cohort", cohort.toString(), "--model", bundle, "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.exists(out.resolve("site-a_n1.npz")), "clashing names keep their folder");
        assertTrue(Files.exists(out.resolve("site-b_n1.npz")), "clashing names keep their folder");
        assertTrue(Files.exists(out.resolve("n2.npz")));
        assertFalse(Files.exists(out.resolve("n2-hypnogram.npz")));
        List<String> report = Files.readAllLines(out.resolve("embed-report.tsv"));
        assertTrue(report.stream().anyMatch(l -> l.contains("n2-hypnogram.edf") && l.contains("\tskipped\t")
                && l.contains("annotation-only")), report.toString());
    }

    @Test
    void aManifestsNotchColumnOverridesTheOption() throws Exception {
        Path cohort = Files.createDirectories(dir.resolve("cohort3"));
        Files.copy(night, cohort.resolve("n60.edf"));
        Files.copy(night, cohort.resolve("n50.edf"));
        Path manifest = cohort.resolve("manifest.csv");
        Files.writeString(manifest, "subject,recording,notch\ns1,n60.edf,60\ns2,n50.edf,\n");
        Path out = dir.resolve("cohort3-out");
        CliRun r = CliRun.of("embed", "--cohort", manifest.toString(), "--model", bundle, "--notch", "50",
                "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Path at60 = dir.resolve("single-60.npz");
        Path at50 = dir.resolve("single-50.npz");
        assertEquals(0, CliRun.of("embed", night.toString(), "--model", bundle, "--notch", "60", "--out", at60.toString()).code());
        assertEquals(0, CliRun.of("embed", night.toString(), "--model", bundle, "--notch", "50", "--out", at50.toString()).code());
        float[] cohort60 = mean(out.resolve("n60.npz"));
        float[] cohort50 = mean(out.resolve("n50.npz"));
        assertArrayEquals(mean(at60), cohort60, "the row's notch (60 Hz) was used");
        assertArrayEquals(mean(at50), cohort50, "an empty cell keeps --notch");
        assertFalse(java.util.Arrays.equals(cohort60, cohort50), "the notch changes the embeddings of this night");
        Files.writeString(manifest, "subject,recording,notch\ns1,n60.edf,55\n");
        CliRun bad = CliRun.of("embed", "--cohort", manifest.toString(), "--model", bundle, "--out", out.toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("line 2") && bad.err().contains("'55'"), bad.err());
    }

    private static float[] mean(Path npz) throws Exception {
        try (NpzReader z = NpzReader.open(npz)) {
            return z.get("mean").toFloatArray();
        }
    }

    @Test
    void generateWritesEdf() throws Exception {
        Path out = dir.resolve("gen.edf");
        CliRun r = CliRun.of("generate", "--model", bundle, "--modalities", "ecg,resp_abd", "--seconds", "8",
                "--seed", "3", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        try (Recording rec = EdfReader.open(out)) {
            assertEquals(List.of("ECG (generated)", "ABD (generated)"), rec.signals().stream().map(x -> x.label()).toList());
            assertEquals(8 * 128, rec.signals().get(0).sampleCount());
        }
        Path imputed = dir.resolve("imputed.edf");
        CliRun i = CliRun.of("generate", "--model", bundle, "--impute", "ecg", "--from", night.toString(), "--out",
                imputed.toString());
        assertEquals(0, i.code(), i.err());
        try (Recording rec = EdfReader.open(imputed)) {
            assertEquals(1, rec.signals().size());
            assertTrue(rec.durationSeconds() >= 90, "duration " + rec.durationSeconds());
        }
        assertEquals(2, CliRun.of("generate", "--model", bundle, "--impute", "ecg", "--out", imputed.toString()).code());
    }

    @Test
    void fetchWeightsFromALoopbackHub() throws Exception {
        byte[] file = Files.readAllBytes(Path.of(bundle));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/owner/model/resolve/main/hypnos.safetensors", x -> {
            if ("HEAD".equals(x.getRequestMethod())) {
                x.sendResponseHeaders(200, -1);
            } else {
                x.sendResponseHeaders(200, file.length);
                try (OutputStream o = x.getResponseBody()) {
                    o.write(file);
                }
            }
            x.close();
        });
        server.start();
        try {
            Path out = dir.resolve("weights");
            CliRun r = CliRun.of("fetch-weights", "--repo", "owner/model", "--out", out.toString(), "--base-url",
                    "http://127.0.0.1:" + server.getAddress().getPort());
            assertEquals(0, r.code(), r.err());
            assertArrayEquals(file, Files.readAllBytes(out.resolve("hypnos.safetensors")));
            assertTrue(r.out().contains("modalities [eeg_c3, eeg_c4, ecg, resp_abd]"), r.out());
            CliRun bad = CliRun.of("fetch-weights", "--repo", "owner/model", "--out", dir.resolve("w2").toString(),
                    "--base-url", "http://127.0.0.1:" + server.getAddress().getPort(), "--sha256", "0".repeat(64));
            assertEquals(1, bad.code());
            assertTrue(bad.err().contains("checksum mismatch"), bad.err());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void benchEmbedRunsOnATinyBundle() {
        CliRun r = CliRun.of("bench", "embed", "--preset", "tiny", "--seconds", "60", "--stream-seconds", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("MFU") && r.out().contains("peak RSS") && r.out().contains("stream:"), r.out());
    }

    static boolean hasNumpy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
