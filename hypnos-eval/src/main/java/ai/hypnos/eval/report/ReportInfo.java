package ai.hypnos.eval.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a report is about, printed at its top and stored in {@code metrics.json}: a title, a
 * description of the data, and the settings needed to reproduce it (command, seeds, probe).
 *
 * @param title    e.g. {@code "Sleep staging — linear probe"}
 * @param dataset  e.g. {@code "features/ (40 subjects, 36,000 epochs, 256 features)"}
 * @param settings ordered key → value pairs
 */
public record ReportInfo(String title, String dataset, Map<String, String> settings) {
    public ReportInfo {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
