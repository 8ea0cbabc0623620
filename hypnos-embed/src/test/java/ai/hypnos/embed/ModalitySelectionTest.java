package ai.hypnos.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link EmbedOptions#modalities()} is honoured by every entry point, not only by
 * {@code embed(Recording)}: the reference for "only modality A" is the same call given A's signal
 * alone (or the recording embedded with the selection), which the selected call must reproduce
 * number for number.
 */
class ModalitySelectionTest {
    private static HypnosModel model;
    private static Map<String, float[]> signals;
    private static String first;
    private static String second;

    @BeforeAll
    static void load() throws Exception {
        model = Hypnos.load(TestBundles.golden(), LoadOptions.defaults());
        try (Recording r = Recordings.open(TestBundles.goldenEdf())) {
            signals = model.preprocess(r, EmbedOptions.defaults()).signals();
        }
        List<String> present = new ArrayList<>(signals.keySet());
        assertTrue(present.size() >= 2, "the golden recording has several modalities: " + present);
        first = present.get(0);
        second = present.get(1);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static EmbedOptions only(String name) {
        return EmbedOptions.defaults().withOutputType(OutputType.FLOAT32).withModalities(List.of(name));
    }

    private static Map<String, float[]> just(String name) {
        Map<String, float[]> m = new LinkedHashMap<>();
        m.put(name, signals.get(name));
        return m;
    }

    @Test
    void embedSignalsUsesOnlyTheSelectedModalities() {
        EmbedOptions all = EmbedOptions.defaults().withOutputType(OutputType.FLOAT32);
        Embeddings reference = model.embedSignals(just(first), all);
        Embeddings everything = model.embedSignals(signals, all);
        Embeddings selected = model.embedSignals(signals, only(first));
        assertEquals(List.of(first), selected.present());
        assertFalse(selected.isPresent(second));
        assertEquals(reference.seconds(), selected.seconds());
        assertArrayEquals(reference.mean().toFloatArray(), selected.mean().toFloatArray());
        assertArrayEquals(reference.modality(first), selected.modality(first));
        // Sanity: the other modality does change the mean when it is used.
        assertTrue(everything.present().contains(second));
        assertFalse(java.util.Arrays.equals(everything.mean().toFloatArray(), selected.mean().toFloatArray()));
    }

    @Test
    void theSelectionMatchesEmbeddingTheRecording() throws Exception {
        Embeddings fromRecording;
        try (Recording r = Recordings.open(TestBundles.goldenEdf())) {
            fromRecording = model.embed(r, only(first));
        }
        Embeddings fromSignals = model.embedSignals(signals, only(first));
        assertEquals(fromRecording.present(), fromSignals.present());
        assertArrayEquals(fromRecording.mean().toFloatArray(), fromSignals.mean().toFloatArray());
    }

    @Test
    void tokenizeSignalsAndEmbedTokensHonourTheSelection() {
        TokenizedRecording tokens = model.tokenizeSignals(signals, only(first));
        int i = model.modalities().indexOf(first);
        int j = model.modalities().indexOf(second);
        assertTrue(tokens.presence()[i]);
        assertFalse(tokens.presence()[j]);
        assertEquals(0, tokens.channelIds()[j]);

        // Tokens of everything, embedded with a selection: the other modality is treated as absent.
        TokenizedRecording allTokens = model.tokenizeSignals(signals, EmbedOptions.defaults());
        assertTrue(allTokens.presence()[j]);
        Embeddings masked = model.embedTokens(allTokens, only(first));
        assertEquals(List.of(first), masked.present());
        Embeddings reference = model.embedSignals(just(first), EmbedOptions.defaults().withOutputType(OutputType.FLOAT32));
        if (allTokens.seconds() == reference.seconds()) {
            assertArrayEquals(reference.mean().toFloatArray(), masked.mean().toFloatArray());
        } else {
            // The other modality was shorter and cut the tokens: the selected one's first seconds still agree.
            float[] ref = reference.mean().toFloatArray();
            float[] got = masked.mean().toFloatArray();
            assertArrayEquals(java.util.Arrays.copyOf(ref, got.length), got);
        }
        // The selection does not mutate the caller's tokens.
        assertTrue(allTokens.presence()[j]);
    }

    @Test
    void unknownOrMissingSelectionsFailWithTheNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.embedSignals(signals, EmbedOptions.defaults().withModalities(List.of("nope"))));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.embedSignals(just(first), only(second)));
        assertTrue(e.getMessage().contains(second) && e.getMessage().contains(first), e.getMessage());
        Map<String, float[]> stray = new LinkedHashMap<>(just(first));
        stray.put("not_a_modality", new float[10]);
        e = assertThrows(IllegalArgumentException.class, () -> model.embedSignals(stray, only(first)));
        assertTrue(e.getMessage().contains("not_a_modality"), e.getMessage());
    }
}
