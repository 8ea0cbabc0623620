package ai.hypnos.cli.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The output file names of a cohort: the ones hypnos probe pairs with its recordings. */
class CohortEmbeddingTest {
    private static final Path ROOT = Path.of("cohort").toAbsolutePath();
    private static final Path OUT = Path.of("out");

    private static List<String> names(String... recordings) {
        List<Path> paths = Arrays.stream(recordings).map(ROOT::resolve).toList();
        return CohortEmbedding.outputNames(paths, ROOT, OUT).stream()
                .map(p -> OUT.relativize(p).toString()).toList();
    }

    @Test
    void uniqueFileNamesKeepTheirStem() {
        assertEquals(List.of("n1.npz", "n2.npz", "x.npz"), names("a/n1.edf", "b/n2.bdf", "x.edf"));
    }

    /**
     * Sorted, a/n1.edf comes before a_n1.edf ('/' sorts before '_'): its relative-path name must
     * not take a_n1.npz, which belongs to the recording whose file name is unique.
     */
    @Test
    void aUniqueStemKeepsItsNameEvenWhenAClashingPathFlattensToIt() {
        assertEquals(List.of("a_n1-2.npz", "a_n1.npz", "b_n1.npz"), names("a/n1.edf", "a_n1.edf", "b/n1.edf"));
        // In any order of the input.
        assertEquals(List.of("a_n1.npz", "b_n1.npz", "a_n1-2.npz"), names("a_n1.edf", "b/n1.edf", "a/n1.edf"));
    }

    @Test
    void clashingNamesAreFlattenedRelativePathsAndStayDistinct() {
        // "a/b_c/n.edf" and "a_b/c/n.edf" flatten alike: the second gets a suffix; the unique
        // "a_b_c_n-2.edf" keeps its own name, so the suffix moves on to -3.
        assertEquals(List.of("a_b_c_n.npz", "a_b_c_n-3.npz", "a_b_c_n-2.npz"),
                names("a/b_c/n.edf", "a_b/c/n.edf", "a_b_c_n-2.edf"));
    }
}
