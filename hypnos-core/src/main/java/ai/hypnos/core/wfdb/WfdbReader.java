package ai.hypnos.core.wfdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens PhysioNet WFDB records (single-segment; formats 8, 16, 24, 32, 61, 80, 160, 212, 310,
 * 311 and null signals).
 *
 * <pre>{@code
 * try (WfdbRecording rec = WfdbReader.open(Path.of("mitdb/100.hea"))) {
 *     double[] mlii = rec.readSeconds(0, 60, 10);       // 10 s of MLII from minute 1, in mV
 *     List<MitAnnotation> beats = MitAnnotations.beats(rec.mitAnnotations());
 * }
 * }</pre>
 */
public final class WfdbReader {
    private WfdbReader() {
    }

    /**
     * Opens a record from its header file ({@code 100.hea}; a path without the extension,
     * {@code 100}, works too). Signal files are found beside the header; every one must exist and
     * hold the frames the header promises.
     *
     * @throws ai.hypnos.core.HypnosFormatException for a malformed header (bad numbers, a signal
     *         count that does not match the signal lines, an unsupported format), a missing or
     *         truncated signal file
     */
    public static WfdbRecording open(Path hea) throws IOException {
        Path p = hea;
        if (!p.getFileName().toString().endsWith(".hea") && !Files.exists(p)) {
            Path withExtension = p.resolveSibling(p.getFileName() + ".hea");
            if (Files.exists(withExtension)) {
                p = withExtension;
            }
        }
        return WfdbRecording.open(p);
    }
}
