package ai.hypnos.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HypnosModel#embedToNpz}, which streams a night's rows to disk, writes the same archive,
 * byte for byte, as embedding in memory and {@link Embeddings#writeNpz}, and leaves no temporary
 * file behind.
 */
class EmbedToNpzTest {
    @TempDir
    Path dir;

    @Test
    void streamedArchiveEqualsTheInMemoryOneByteForByte() throws IOException {
        try (HypnosModel model = Hypnos.load(TestBundles.golden())) {
            for (OutputType type : OutputType.values()) {
                // Chunks of 16 s: the golden night spans several, the last one partial.
                EmbedOptions o = model.options().embedDefaults().withOutputType(type).withChunkTokens(16);
                Path inMemory = dir.resolve("memory-" + type + ".npz");
                Path streamed = dir.resolve("streamed-" + type + ".npz");
                Embeddings e = model.embed(TestBundles.goldenEdf(), o);
                e.writeNpz(inMemory);
                EmbeddingSummary s = model.embedToNpz(TestBundles.goldenEdf(), o, streamed);
                assertTrue(e.seconds() > 16, "several chunks: " + e.seconds() + " s");
                assertArrayEquals(Files.readAllBytes(inMemory), Files.readAllBytes(streamed), type.toString());
                assertEquals(e.seconds(), s.seconds());
                assertEquals(e.dim(), s.dim());
                assertEquals(e.present(), s.present());
                assertEquals(type, s.outputType());
                assertEquals(e.notes(), s.notes());
                assertEquals(e.report().isPresent(), s.report().isPresent());
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertEquals(4, names.size(), "only the four archives are left: " + names);
        }
    }

    @Test
    void aFailedEmbeddingLeavesNoFileBehind() throws IOException {
        Path target = dir.resolve("out.npz");
        Path notARecording = dir.resolve("empty.edf");
        Files.write(notARecording, new byte[300]);
        try (HypnosModel model = Hypnos.load(TestBundles.golden())) {
            assertThrows(Exception.class, () -> model.embedToNpz(notARecording, target));
        }
        assertFalse(Files.exists(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("empty.edf"), files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
