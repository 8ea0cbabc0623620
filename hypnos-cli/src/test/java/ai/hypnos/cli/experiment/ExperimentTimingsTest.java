package ai.hypnos.cli.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** timings.json only informs the summary: a damaged one must not stop every later run. */
class ExperimentTimingsTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyTruncatedOrNonObjectFileReadsAsNoTimings() throws IOException {
        for (String damaged : new String[] {"", "{\n  \"cohort\" : 12.5,\n  \"tokeni", "[1, 2]"}) {
            Path f = Files.writeString(dir.resolve("timings.json"), damaged);
            assertEquals(0, Experiment.readTimings(f).size(), "'" + damaged + "'");
        }
    }

    @Test
    void writtenTimingsReadBackAndLeaveNoTemporaryFile() throws IOException {
        Path f = dir.resolve("timings.json");
        assertEquals(0, Experiment.readTimings(f).size(), "no file yet");
        ObjectNode t = JsonNodeFactory.instance.objectNode();
        t.put("cohort", 12.5);
        t.put("tokenizers", 3.0);
        Experiment.writeTimings(f, t);
        t.put("shards", 1.0);
        Experiment.writeTimings(f, t);
        assertEquals(t, Experiment.readTimings(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "only timings.json");
        }
        assertTrue(Files.readString(f).contains("\"shards\""));
    }
}
