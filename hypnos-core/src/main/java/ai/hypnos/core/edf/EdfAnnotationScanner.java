package ai.hypnos.core.edf;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.io.SharedReadChannel;
import ai.hypnos.core.recording.Annotation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads every annotation signal of every data record once, at open: the time-keeping TAL that
 * opens each record (its onset) and the annotations.
 *
 * <p>Onsets here are as written: seconds from the header's start time. {@link EdfTimeline}
 * turns them into seconds from the first sample.
 */
final class EdfAnnotationScanner {
    /** Annotation signals larger than this per record are refused (no real file comes near). */
    static final int MAX_ANNOTATION_BYTES = 64 << 20;

    /**
     * @param timekeeping onset of each data record from its time-keeping TAL, {@code NaN} where a record has
     *                    none; empty when the file has no annotation signal
     * @param annotations every annotation in file order, onsets relative to the header start time
     */
    record Result(double[] timekeeping, List<Annotation> annotations) {
    }

    private EdfAnnotationScanner() {
    }

    static Result scan(Path file, SharedReadChannel channel, EdfHeader header, long recordCount)
            throws IOException {
        List<EdfSignalHeader> all = header.signals();
        int[] signals = IntStream.range(0, all.size()).filter(i -> all.get(i).annotation()).toArray();
        if (signals.length == 0 || recordCount == 0) {
            return new Result(new double[0], List.of());
        }
        double[] timekeeping = new double[(int) Math.min(recordCount, Integer.MAX_VALUE)];
        Arrays.fill(timekeeping, Double.NaN);
        List<Annotation> annotations = new ArrayList<>();
        int bps = header.format().bytesPerSample();
        long largest = 0;
        for (int s : signals) {
            long bytes = (long) all.get(s).samplesPerRecord() * bps;
            if (bytes > MAX_ANNOTATION_BYTES) {
                throw new HypnosFormatException(file, "signal " + (s + 1) + " ('" + all.get(s).label()
                        + "') number of samples in each data record", all.get(s).samplesPerRecord(),
                        "an annotation signal of more than " + MAX_ANNOTATION_BYTES + " bytes per record");
            }
            largest = Math.max(largest, bytes);
        }
        long[] from = new long[signals.length];
        long[] to = new long[signals.length];
        for (int k = 0; k < signals.length; k++) {
            to[k] = recordCount * all.get(signals[k]).samplesPerRecord();
        }
        DataRecords records = new DataRecords(file, channel, header, recordCount,
                (int) Math.max(DataRecords.CHUNK_BYTES, largest));
        records.visit(signals, from, to, (record, k, buf, pos, firstSample, count) -> {
            TalParser.Origin origin = new TalParser.Origin(file, signals[k] + 1, all.get(signals[k]).label(), record);
            List<Tal> tals = TalParser.parse(buf, pos, pos + count * bps, origin);
            for (int t = 0; t < tals.size(); t++) {
                Tal tal = tals.get(t);
                if (k == 0 && t == 0 && tal.timekeeping()) {
                    timekeeping[(int) record] = tal.onset();
                }
                for (String text : tal.texts()) {
                    annotations.add(new Annotation(tal.onset(), tal.duration(), text));
                }
            }
        });
        return new Result(timekeeping, annotations);
    }
}
