package ai.hypnos.examples;

import ai.hypnos.embed.Devices;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.embed.OutputType;

/**
 * How the examples load a bundle: float32 embeddings (full precision; the library's default,
 * float16, halves the memory and file size as the reference does), on the device named by the
 * system property {@code hypnos.device}: {@code cpu} (default), {@code gpu} or {@code gpu:N}.
 *
 * <pre>
 * java -Dhypnos.device=gpu -cp … ai.hypnos.examples.EmbedNight my-bundle.safetensors night.edf
 * </pre>
 *
 * A GPU needs a CUDA build of libtorch on the classpath or named by {@code PYTORCH_LIBRARY_PATH}
 * ({@code docs/faq.md}, "Can I use a GPU?").
 */
public final class ExampleLoadOptions {
    /** The system property naming the device. */
    public static final String DEVICE_PROPERTY = "hypnos.device";

    private ExampleLoadOptions() {
    }

    /** Float32 output on the device of {@code -Dhypnos.device} (default {@code cpu}). */
    public static LoadOptions get() {
        return LoadOptions.defaults()
                .withDevice(Devices.parse(System.getProperty(DEVICE_PROPERTY, "cpu")))
                .withOutputType(OutputType.FLOAT32);
    }
}
