package ai.hypnos.eval.protocol;

import ai.hypnos.eval.data.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A fixed train/test split, e.g. from the {@code split} column of a manifest (rows marked
 * {@code train} or {@code val} train, {@code test} tests). A subject must not appear on both sides.
 */
public final class FixedSplit {
    private FixedSplit() {
    }

    /** A split from explicit subject lists. */
    public static Split of(List<String> train, List<String> test) {
        return new Split("test", train, test);
    }

    /**
     * The split given by a manifest's {@code split} column.
     *
     * @throws IllegalArgumentException if a subject is marked both train and test, or a row has
     *                                  no split
     */
    public static Split fromManifest(Manifest manifest) {
        Set<String> train = new LinkedHashSet<>();
        Set<String> test = new LinkedHashSet<>();
        for (Manifest.Entry e : manifest.entries()) {
            switch (e.split()) {
                case "train", "val", "valid", "validation" -> train.add(e.subject());
                case "test" -> test.add(e.subject());
                default -> throw new IllegalArgumentException(manifest.file() + ": recording " + e.recording()
                        + " has split '" + e.split() + "'; a fixed split needs train, val or test on every row");
            }
        }
        return new Split("test", new ArrayList<>(train), new ArrayList<>(test));
    }
}
