package ai.hypnos.core.wfdb;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.recording.Annotation;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Segment;
import ai.hypnos.core.recording.SignalInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WFDB record opened for random access: the header is parsed at open, samples are read on
 * demand with positioned reads of only the bytes that hold the requested range.
 *
 * <p>Signals are listed in header order, except those whose description is
 * {@code "EDF Annotations"} / {@code "BDF Annotations"} (raw EDF+ annotation bytes that EDF→WFDB
 * converters copy as a signal: not a waveform). Physical value = (digital − baseline) / gain;
 * invalid samples (the format's sentinel, or samples a skewed signal lacks at the end) read as
 * {@code NaN}. Annotations come from the {@code .atr} file beside the header, if there is one.
 *
 * <p>Format 8 stores differences, so a read starting at sample n sums the n earlier bytes of that
 * signal; the state after each read is remembered, so consecutive reads stay linear.
 */
public final class WfdbRecording implements Recording {
    private static final Logger LOG = LoggerFactory.getLogger(WfdbRecording.class);

    /** Digital value returned by {@link #readDigital} for an invalid sample. */
    public static final int INVALID = Integer.MIN_VALUE;

    /** Bytes read per positioned read: bounds the heap a read needs beyond its result. */
    private static final int CHUNK_BYTES = 1 << 20;

    /** A frame holds one sample period of every signal of a file: anything this large is a broken header. */
    private static final long MAX_FRAME_BYTES = 16L << 20;

    private final WfdbHeader header;
    private final long frames;
    private final List<SignalFile> files;
    private final Channel[] channels;
    private final int[] visible;
    private final List<SignalInfo> infos;
    private final List<String> warnings;
    private final List<MitAnnotation> mitAnnotations;
    private final List<Annotation> annotations;

    /** One signal file and the interleaved layout of its frames. */
    private static final class SignalFile {
        final Path path;
        final SampleFormat format;
        final long byteOffset;
        int frameSamples;
        FileChannel channel;

        SignalFile(Path path, SampleFormat format, long byteOffset) {
            this.path = path;
            this.format = format;
            this.byteOffset = byteOffset;
        }
    }

    /** Where one header signal lives; format 8 keeps its running sum between reads. */
    private static final class Channel {
        final WfdbSignalSpec spec;
        final SignalFile file;
        final int offsetInFrame;
        long checkpointRaw;
        long checkpointValue;

        Channel(WfdbSignalSpec spec, SignalFile file, int offsetInFrame) {
            this.spec = spec;
            this.file = file;
            this.offsetInFrame = offsetInFrame;
            this.checkpointValue = spec.initialValue();
        }
    }

    private WfdbRecording(WfdbHeader header, long frames, List<SignalFile> files, Channel[] channels,
            List<String> warnings, List<MitAnnotation> mitAnnotations) {
        this.header = header;
        this.frames = frames;
        this.files = files;
        this.channels = channels;
        this.warnings = List.copyOf(warnings);
        this.mitAnnotations = List.copyOf(mitAnnotations);
        List<Integer> shown = new ArrayList<>();
        List<SignalInfo> info = new ArrayList<>();
        for (int i = 0; i < channels.length; i++) {
            WfdbSignalSpec s = channels[i].spec;
            String d = s.description();
            if (d.equals("EDF Annotations") || d.equals("BDF Annotations")) {
                continue;
            }
            shown.add(i);
            double lo = -Math.pow(2, s.adcResolution() - 1) + s.adcZero();
            double hi = Math.pow(2, s.adcResolution() - 1) - 1 + s.adcZero();
            info.add(new SignalInfo(d, "", s.units(), "", header.frameRate() * s.samplesPerFrame(),
                    frames * s.samplesPerFrame(), s.toPhysical((int) Math.max(lo, Integer.MIN_VALUE)),
                    s.toPhysical((int) Math.min(hi, Integer.MAX_VALUE)), lo, hi));
        }
        this.visible = shown.stream().mapToInt(Integer::intValue).toArray();
        this.infos = List.copyOf(info);
        List<Annotation> ann = new ArrayList<>(mitAnnotations.size());
        for (MitAnnotation a : mitAnnotations) {
            ann.add(new Annotation(a.time(), Double.NaN, a.aux().isEmpty() ? a.label() : a.label() + " " + a.aux()));
        }
        this.annotations = List.copyOf(ann);
    }

    /** Opens a record from its header; see {@link WfdbReader#open(Path)}. */
    static WfdbRecording open(Path hea) throws IOException {
        WfdbHeader header = WfdbHeader.read(hea);
        List<String> warnings = new ArrayList<>();
        Map<String, SignalFile> byName = new LinkedHashMap<>();
        Channel[] channels = new Channel[header.signalCount()];
        for (int i = 0; i < channels.length; i++) {
            WfdbSignalSpec s = header.signals().get(i);
            if (!s.gainGiven()) {
                warnings.add("signal " + i + " (" + s.description() + ") is uncalibrated (gain 0 or absent): using "
                        + WfdbSignalSpec.DEFAULT_GAIN + " adu/" + s.units());
            }
            if (s.isNull()) {
                channels[i] = new Channel(s, null, 0);
                continue;
            }
            SignalFile f = byName.get(s.fileName());
            if (f == null) {
                f = new SignalFile(hea.resolveSibling(s.fileName()), s.format(), s.byteOffset());
                byName.put(s.fileName(), f);
            } else if (f.format != s.format() || f.byteOffset != s.byteOffset()) {
                throw new HypnosFormatException(hea, "signal " + i + " format", s.format().code() + "+" + s.byteOffset(),
                        "signals of one file (" + s.fileName() + ") must share format and byte offset, the first has "
                                + f.format.code() + "+" + f.byteOffset);
            }
            channels[i] = new Channel(s, f, f.frameSamples);
            long frameSamples = (long) f.frameSamples + s.samplesPerFrame();
            if (s.format().bytesFor(frameSamples) > MAX_FRAME_BYTES) {
                throw new HypnosFormatException(hea, "signal " + i + " samples per frame", s.samplesPerFrame(),
                        "frames of " + s.fileName() + " would exceed " + (MAX_FRAME_BYTES >> 20) + " MiB");
            }
            f.frameSamples = (int) frameSamples;
        }
        List<SignalFile> files = new ArrayList<>(byName.values());
        long frames = checkFiles(hea, header, files, warnings);

        List<MitAnnotation> mit = List.of();
        Path atr = hea.resolveSibling(header.recordName() + ".atr");
        if (Files.isRegularFile(atr)) {
            try {
                mit = MitAnnotationReader.read(atr, header.frameRate());
            } catch (IOException e) {
                warnings.add("annotations " + atr.getFileName() + " not read: " + e.getMessage());
            }
        }
        try {
            for (SignalFile f : files) {
                f.channel = FileChannel.open(f.path, StandardOpenOption.READ);
            }
        } catch (IOException e) {
            closeAll(files);
            throw e;
        }
        for (String w : warnings) {
            LOG.warn("{}: {}", hea, w);
        }
        return new WfdbRecording(header, frames, files, channels, warnings, mit);
    }

    /** Checks that every signal file exists and holds the frames the header promises; returns the frame count. */
    private static long checkFiles(Path hea, WfdbHeader header, List<SignalFile> files, List<String> warnings)
            throws HypnosFormatException, IOException {
        long derived = Long.MAX_VALUE;
        for (SignalFile f : files) {
            if (!Files.isRegularFile(f.path)) {
                throw new HypnosFormatException(hea, "signal file", f.path.getFileName(), "signal file not found: " + f.path);
            }
            long size = Files.size(f.path);
            if (f.byteOffset > size) {
                throw new HypnosFormatException(f.path, "byte offset", f.byteOffset, "beyond the end of the file (" + size + " bytes)");
            }
            long available = f.format.samplesIn(size - f.byteOffset) / f.frameSamples;
            if (header.frameCount().isPresent()) {
                long need = header.frameCount().getAsLong();
                long bytes = need > Long.MAX_VALUE / f.frameSamples ? Long.MAX_VALUE
                        : f.format.bytesFor(need * f.frameSamples);
                bytes = bytes > Long.MAX_VALUE - f.byteOffset ? Long.MAX_VALUE : bytes + f.byteOffset;
                if (bytes > size) {
                    throw new HypnosFormatException(f.path, "number of samples", need, "the header promises " + need
                            + " frames (" + bytes + " bytes) but the file has " + size + " bytes (" + available + " frames)");
                }
            } else {
                if (derived != Long.MAX_VALUE && derived != available) {
                    warnings.add("signal files hold different numbers of frames; using the smallest");
                }
                derived = Math.min(derived, available);
            }
        }
        if (header.frameCount().isPresent()) {
            return header.frameCount().getAsLong();
        }
        long n = derived == Long.MAX_VALUE ? 0 : derived;
        warnings.add("header gives no sample count: " + n + " frames derived from the signal file size");
        return n;
    }

    private static void closeAll(List<SignalFile> files) {
        for (SignalFile f : files) {
            if (f.channel != null) {
                try {
                    f.channel.close();
                } catch (IOException e) {
                    LOG.debug("closing {}: {}", f.path, e.getMessage());
                }
            }
        }
    }

    /** The parsed header (all fields, comments included). */
    public WfdbHeader header() {
        return header;
    }

    /** Number of frames ({@code nsamp}); a signal with k samples per frame has k × frames samples. */
    public long frameCount() {
        return frames;
    }

    /** Things that were odd but readable (uncalibrated signals, a derived sample count...). */
    public List<String> warnings() {
        return warnings;
    }

    /** The annotations of the {@code .atr} file beside the header (empty when there is none). */
    public List<MitAnnotation> mitAnnotations() {
        return mitAnnotations;
    }

    /** The header's specification of a signal listed by {@link #signals()}. */
    public WfdbSignalSpec spec(int signal) {
        return channels[visible[checkIndex(signal)]].spec;
    }

    @Override
    public Path source() {
        return header.file();
    }

    @Override
    public String format() {
        return "WFDB";
    }

    /** Base date and time from the header; 1970-01-01 and 00:00 stand in for absent fields. */
    @Override
    public LocalDateTime startTime() {
        return LocalDateTime.of(header.baseDate().orElse(LocalDate.EPOCH), header.baseTime().orElse(LocalTime.MIDNIGHT));
    }

    @Override
    public double durationSeconds() {
        return frames / header.frameRate();
    }

    @Override
    public List<SignalInfo> signals() {
        return infos;
    }

    @Override
    public List<Segment> segments() {
        return List.of(new Segment(0, durationSeconds(), 0, 1));
    }

    /** The {@code .atr} annotations as text annotations: the mnemonic, then the aux text if any ({@code "+ (N"}). */
    @Override
    public List<Annotation> annotations() {
        return annotations;
    }

    @Override
    public double[] read(int signal, long fromSample, int count) throws IOException {
        Channel ch = channels[visible[checkIndex(signal)]];
        int[] d = digital(ch, fromSample, count);
        double[] out = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = d[i] == INVALID ? Double.NaN : ch.spec.toPhysical(d[i]);
        }
        return out;
    }

    /**
     * Reads digital (ADC) values; invalid samples are {@link #INVALID}. The range is clamped to
     * the signal like {@link #read(int, long, int)}.
     */
    public int[] readDigital(int signal, long fromSample, int count) throws IOException {
        return digital(channels[visible[checkIndex(signal)]], fromSample, count);
    }

    /**
     * Recomputes each signal's 16-bit checksum over all its samples and compares it with the
     * header's. Reads the whole record in chunks.
     *
     * @return one line per mismatch; empty when every checksum given in the header matches
     */
    public List<String> verifyChecksums() throws IOException {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < channels.length; i++) {
            Channel ch = channels[i];
            if (ch.spec.checksum().isEmpty() || ch.file == null) {
                continue;
            }
            long total = frames * ch.spec.samplesPerFrame();
            long[] sum = {0};
            if (ch.spec.format().isDifferential()) {
                sum[0] = differentialSum(ch, total);
            } else {
                scan(ch, 0, total, (first, values, n) -> {
                    for (int k = 0; k < n; k++) {
                        sum[0] += values[k];
                    }
                });
            }
            int got = (short) sum[0];
            int want = (short) ch.spec.checksum().getAsInt();
            if (got != want) {
                problems.add("signal " + i + " (" + ch.spec.description() + "): checksum " + got + ", header says " + want);
            }
        }
        return problems;
    }

    @Override
    public void close() throws IOException {
        closeAll(files);
    }

    private int checkIndex(int signal) {
        if (signal < 0 || signal >= visible.length) {
            throw new IllegalArgumentException("signal index " + signal + " outside 0.." + (visible.length - 1));
        }
        return signal;
    }

    /** Samples of a signal in digital units, sentinel and missing samples as INVALID. */
    private int[] digital(Channel ch, long fromSample, int count) throws IOException {
        int spf = ch.spec.samplesPerFrame();
        long total = frames * spf;
        long from = Math.min(Math.max(0, fromSample), total);
        long to = Math.min(total, from + Math.max(0, count));
        int n = (int) (to - from);
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        if (ch.file == null) {
            Arrays.fill(out, INVALID);
            return out;
        }
        // A signal skewed by s frames finds sample i at raw position i + s·spf of its own stream.
        long shift = (long) ch.spec.skew() * spf;
        long rawFrom = from + shift;
        long rawTo = Math.min(to + shift, total);
        Arrays.fill(out, INVALID);
        if (rawFrom >= rawTo) {
            return out;
        }
        SampleFormat format = ch.spec.format();
        if (format.isDifferential()) {
            readDifferential(ch, rawFrom, rawTo, out);
            return out;
        }
        scan(ch, rawFrom, rawTo, (first, values, len) -> {
            int base = (int) (first - rawFrom);
            for (int k = 0; k < len; k++) {
                int v = values[k];
                out[base + k] = format.isInvalid(v) ? INVALID : v;
            }
        });
        return out;
    }

    /** Format 8: sums differences from the last remembered position (or the start) up to the range. */
    private synchronized void readDifferential(Channel ch, long rawFrom, long rawTo, int[] out) throws IOException {
        long start = ch.checkpointRaw <= rawFrom ? ch.checkpointRaw : 0;
        long[] acc = {start == 0 ? ch.spec.initialValue() : ch.checkpointValue};
        scan(ch, start, rawTo, (first, values, len) -> {
            for (int k = 0; k < len; k++) {
                acc[0] += values[k];
                long r = first + k;
                if (r >= rawFrom) {
                    out[(int) (r - rawFrom)] = (int) acc[0];
                }
            }
        });
        ch.checkpointRaw = rawTo;
        ch.checkpointValue = acc[0];
    }

    private synchronized long differentialSum(Channel ch, long total) throws IOException {
        long[] acc = {ch.spec.initialValue()};
        long[] sum = {0};
        scan(ch, 0, total, (first, values, len) -> {
            for (int k = 0; k < len; k++) {
                acc[0] += values[k];
                sum[0] += acc[0];
            }
        });
        return sum[0];
    }

    /** Receives decoded values of consecutive raw samples of one signal. */
    private interface Sink {
        void accept(long firstRaw, int[] values, int count);
    }

    /**
     * Decodes raw samples [rawFrom, rawTo) of one signal (its own stream, before deskewing),
     * reading the file in chunks of whole frames.
     */
    private void scan(Channel ch, long rawFrom, long rawTo, Sink sink) throws IOException {
        SignalFile f = ch.file;
        SampleFormat format = f.format;
        int spf = ch.spec.samplesPerFrame();
        int fs = f.frameSamples;
        long bytesPerFrame = Math.max(1, (long) fs * format.groupBytes() / format.groupSamples());
        long framesPerChunk = Math.max(1, CHUNK_BYTES / bytesPerFrame);
        long frameTo = (rawTo - 1) / spf + 1;
        int[] values = new int[(int) Math.min((long) Integer.MAX_VALUE - 8, framesPerChunk * spf)];
        byte[] buf = null;
        for (long fa = rawFrom / spf; fa < frameTo; fa += framesPerChunk) {
            long fb = Math.min(frameTo, fa + framesPerChunk);
            long streamFrom = fa * fs;
            long streamTo = fb * fs;
            long groupFrom = streamFrom / format.groupSamples();
            long groupTo = (streamTo + format.groupSamples() - 1) / format.groupSamples();
            int len = (int) ((groupTo - groupFrom) * format.groupBytes());
            if (buf == null || buf.length < len) {
                buf = new byte[len];
            }
            readFully(f, f.byteOffset + groupFrom * format.groupBytes(), buf, len);
            long firstSample = groupFrom * format.groupSamples();
            long firstRaw = -1;
            int n = 0;
            for (long fr = fa; fr < fb; fr++) {
                int k = (int) (fr * fs + ch.offsetInFrame - firstSample);
                for (int w = 0; w < spf; w++) {
                    long r = fr * spf + w;
                    if (r < rawFrom || r >= rawTo) {
                        continue;
                    }
                    if (firstRaw < 0) {
                        firstRaw = r;
                    }
                    values[n++] = format.decode(buf, k + w);
                }
            }
            if (n > 0) {
                sink.accept(firstRaw, values, n);
            }
        }
    }

    /** Positioned read of len bytes; bytes past the end of the file (a partial last group) read as zero. */
    private static void readFully(SignalFile f, long position, byte[] buf, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        long pos = position;
        while (bb.hasRemaining()) {
            int r = f.channel.read(bb, pos);
            if (r < 0) {
                break;
            }
            pos += r;
        }
        Arrays.fill(buf, bb.position(), len, (byte) 0);
    }
}
