package ai.hypnos.cli.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.hypnos.cli.info.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The command line does not carry Spark: without hypnos-spark and Spark on the classpath (as in
 * this module's own tests) {@code hypnos spark …} says how to get them instead of failing with a
 * class-loading error. The hand-over itself runs in hypnos-spark's tests, where Spark is present.
 */
class SparkCommandTest {

    @Test
    void sparkStaysOutOfTheCommandLinesClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.spark.sql.SparkSession"));
        assertFalse(SparkHandOff.available(), "hypnos-spark must not be a dependency of hypnos-cli");
    }

    @Test
    void withoutSparkTheCommandExplainsHowToGetIt() {
        CliRun r = CliRun.of("spark", "tokenize", "--master", "local[2]", "--manifest", "m.csv", "--tokenizers", "t",
                "--out", "o");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("hypnos-spark module and Apache Spark 4"), r.err());
        assertTrue(r.err().contains("./hypnos"), r.err());
        assertTrue(r.err().contains("spark-submit"), r.err());
    }

    @Test
    void handOffForSparkOptionsNeedsTheJobClass() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SparkHandOff.run("embed", "local[2]", List.of("--manifest", "m.csv")));
        assertTrue(e.getMessage().contains(SparkHandOff.JOB_CLASS), e.getMessage());
    }
}
