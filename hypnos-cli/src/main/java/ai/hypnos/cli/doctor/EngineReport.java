package ai.hypnos.cli.doctor;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.MemoryUsage;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * What the native engine looks like from inside this JVM: DJL and libtorch versions, the libtorch
 * flavour ({@code cpu}, {@code cu124}, …) and where the library came from, libtorch's build
 * features, the GPUs DJL sees with their memory, thread counts and the environment variables that
 * steer all of this. Collecting it loads libtorch (as any model would).
 *
 * @param djlVersion       DJL's version
 * @param engine           the engine's name (PyTorch)
 * @param libtorchVersion  the libtorch version the engine reports
 * @param flavour          {@code cpu}, {@code cuXXX}, or {@code unknown}
 * @param libtorchPath     the folder libtorch was loaded from
 * @param nativeSource     how that folder got there (a sentence)
 * @param nativeJar        the {@code pytorch-native-*} jar on the classpath, or null
 * @param features         libtorch's build features (CUDA, CUDNN, MKL, MKLDNN, OPENMP, …)
 * @param cudaRuntime      the CUDA runtime version DJL finds (e.g. {@code 12.4}), or null
 * @param nvidiaDriver     the loaded NVIDIA kernel driver ({@code /proc/driver/nvidia/version}), or null
 * @param gpus             the GPUs libtorch can use
 * @param intraOpThreads   libtorch's intra-op threads
 * @param interOpThreads   libtorch's inter-op threads
 * @param processors       processors available to the JVM
 * @param environment      the variables that matter here (unset ones omitted)
 */
public record EngineReport(String djlVersion, String engine, String libtorchVersion, String flavour,
        String libtorchPath, String nativeSource, String nativeJar, List<String> features, String cudaRuntime,
        String nvidiaDriver, List<Gpu> gpus, int intraOpThreads, int interOpThreads, int processors,
        Map<String, String> environment) {

    /** Environment variables and system properties that decide which libtorch loads and how it runs. */
    public static final List<String> VARIABLES = List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR",
            "PYTORCH_PRECXX11", "CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH", "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE",
            "ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads", "ai.djl.offline");

    /**
     * One GPU.
     *
     * @param index          its index ({@code gpu:N})
     * @param computeCapability e.g. {@code 90} for an H100, or null when unknown
     * @param usedBytes      memory in use on the card (all processes), −1 if unknown
     * @param totalBytes     the card's memory, −1 if unknown
     */
    public record Gpu(int index, String computeCapability, long usedBytes, long totalBytes) {
    }

    /** Looks at the engine (loads libtorch). */
    public static EngineReport collect() {
        Engine engine = Engine.getInstance(); // loads the native library
        String path = LibUtils.getLibtorchPath();
        URL jar = Thread.currentThread().getContextClassLoader().getResource("native/lib/pytorch.properties");
        String jarText = jar == null ? null : jar.toString().replaceFirst("!/native/lib/pytorch.properties$", "")
                .replaceFirst("^jar:", "");
        Map<String, String> env = new LinkedHashMap<>();
        for (String v : VARIABLES) {
            String value = Utils.getEnvOrSystemProperty(v);
            if (value != null) {
                env.put(v, value);
            }
        }
        List<Gpu> gpus = new ArrayList<>();
        int count = engine.getGpuCount();
        for (int i = 0; i < count; i++) {
            gpus.add(gpu(i));
        }
        return new EngineReport(Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion(),
                flavour(path, jar, env), path, source(path, jarText, env), jarText,
                new ArrayList<>(new TreeSet<>(JniUtils.getFeatures())), findCudaRuntime(), readNvidiaDriver(), gpus,
                JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), Runtime.getRuntime().availableProcessors(),
                env);
    }

    /** Whether libtorch was built with CUDA. */
    public boolean cudaBuild() {
        return features.contains("CUDA");
    }

    /**
     * The flavour: from {@code PYTORCH_FLAVOR} for a local libtorch, else from the cache folder's
     * name ({@code <version>-<flavour>-<classifier>}) or the native jar's properties.
     */
    private static String flavour(String path, URL jar, Map<String, String> env) {
        if (env.containsKey("PYTORCH_LIBRARY_PATH") && env.containsKey("PYTORCH_FLAVOR")) {
            return env.get("PYTORCH_FLAVOR");
        }
        String name = path == null ? "" : Path.of(path).getFileName().toString();
        for (String part : name.split("-")) {
            if (part.equals("cpu") || part.matches("cu\\d+")) {
                return part;
            }
        }
        if (jar != null) {
            try (InputStream in = jar.openStream()) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("flavor", "unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }
        return "unknown";
    }

    private static String source(String path, String jar, Map<String, String> env) {
        if (env.containsKey("PYTORCH_LIBRARY_PATH")) {
            return "a local libtorch named by PYTORCH_LIBRARY_PATH";
        }
        if (jar != null) {
            return "extracted from the native jar on the classpath into DJL's cache";
        }
        return "downloaded by DJL into its cache" + (env.containsKey("PYTORCH_FLAVOR")
                ? " (flavour from PYTORCH_FLAVOR)" : " (flavour chosen by DJL from the CUDA it found)");
    }

    private static String findCudaRuntime() {
        try {
            int v = CudaUtils.getCudaVersion(); // e.g. 12040 or 130 (DJL's encoding varies), -1 without libcudart
            if (v <= 0) {
                return null;
            }
            String s = CudaUtils.getCudaVersionString(); // "124" for 12.4
            return s.length() >= 2 ? s.substring(0, s.length() - 1) + "." + s.charAt(s.length() - 1) : s;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static String readNvidiaDriver() {
        Path p = Path.of("/proc/driver/nvidia/version");
        try {
            return Files.isReadable(p) ? Files.readAllLines(p).get(0).strip() : null;
        } catch (IOException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static Gpu gpu(int i) {
        String cc = null;
        long used = -1;
        long total = -1;
        try {
            cc = CudaUtils.getComputeCapability(i);
            MemoryUsage m = CudaUtils.getGpuMemory(Device.gpu(i));
            used = m.getCommitted();
            total = m.getMax();
        } catch (RuntimeException | LinkageError e) {
            // a libtorch that sees the card while DJL's JNA probe does not: report what is known
        }
        return new Gpu(i, cc, used, total);
    }
}
