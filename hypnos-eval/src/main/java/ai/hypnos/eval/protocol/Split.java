package ai.hypnos.eval.protocol;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One train/test partition of subjects. No subject is on both sides (checked).
 *
 * @param name  e.g. {@code "fold-1"} or {@code "test"}
 * @param train training subjects
 * @param test  test subjects
 */
public record Split(String name, List<String> train, List<String> test) {
    public Split {
        train = List.copyOf(train);
        test = List.copyOf(test);
        Set<String> t = new HashSet<>(train);
        for (String s : test) {
            if (t.contains(s)) {
                throw new IllegalArgumentException("split '" + name + "': subject '" + s + "' is in both train and test");
            }
        }
        if (train.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException("split '" + name + "' needs training and test subjects (" + train.size()
                    + " train, " + test.size() + " test)");
        }
    }

    /** The same split with fewer training subjects (few-shot). */
    public Split withTrain(List<String> subset, String newName) {
        return new Split(newName, subset, test);
    }
}
