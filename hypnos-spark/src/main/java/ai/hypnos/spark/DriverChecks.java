package ai.hypnos.spark;

import ai.hypnos.embed.OutputType;
import ai.hypnos.embed.Precision;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Option checks run on the driver when a job is built, before Spark starts. Without them a typo
 * in {@code --dtype}, {@code --precision} or {@code --device} surfaced only on the executors, as
 * one failed row per recording after the cluster had been paid for. Each failure is an
 * {@link IllegalArgumentException} naming the option and its value, which the CLI's error
 * handler turns into exit code 2.
 */
final class DriverChecks {
    /** The spellings {@code ai.hypnos.embed.Devices#parse} accepts: cpu, gpu, cuda, gpu:N, cuda:N. */
    private static final Pattern DEVICE = Pattern.compile("cpu|gpu|cuda|(gpu|cuda):[0-9]+");

    private DriverChecks() {
    }

    /**
     * Checks the spelling of a device option. Only the syntax: whether {@code gpu:N} exists is
     * known on the executors alone (a driver often has no GPU, and loading libtorch on it just to
     * count GPUs would cost seconds and native memory for nothing).
     */
    static String device(String option, String value) {
        if (value == null || !DEVICE.matcher(value.trim().toLowerCase(Locale.ROOT)).matches()) {
            throw new IllegalArgumentException(option + ": unknown device '" + value + "' (expected cpu, gpu or gpu:N)");
        }
        return value;
    }

    /** Checks a precision option as the executors will parse it ({@link Precision#parse}). */
    static String precision(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + ": missing (expected fp32, tf32 or fp16)");
        }
        try {
            Precision.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " '" + value + "': " + e.getMessage(), e);
        }
        return value;
    }

    /** Checks an output dtype option as the executors will parse it ({@link OutputType#parse}). */
    static String outputType(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + ": missing (expected float16 or float32)");
        }
        try {
            OutputType.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " '" + value + "': " + e.getMessage(), e);
        }
        return value;
    }
}
