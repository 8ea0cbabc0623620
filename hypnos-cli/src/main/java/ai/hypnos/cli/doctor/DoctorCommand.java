package ai.hypnos.cli.doctor;

import ai.hypnos.embed.Precision;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hypnos doctor}: the native engine as this JVM sees it — DJL and libtorch versions,
 * libtorch's flavour and where it came from, GPUs and their memory, threads, the precision modes
 * of the chosen device — and, when a GPU was asked for and is not there, why (docs/gpu.md).
 * Exit code 0, or 1 when the requested GPU is missing (2 for a malformed option).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check the native engine: DJL and libtorch versions, flavour (cpu / cuXXX), where libtorch "
                + "came from, visible GPUs and their memory, threads, precision modes.",
            "With --device gpu[:N], explain why that GPU is not visible (exit code 1)."})
public final class DoctorCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "cpu|gpu|gpu:N",
            description = "The device to check (default: gpu:0 when a GPU is visible, else cpu).")
    String device;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        int requestedGpu = requestedGpu(device); // validates before the engine loads
        EngineReport r = EngineReport.collect();
        boolean gpuVisible = requestedGpu >= 0 && requestedGpu < r.gpus().size();
        boolean onGpu = requestedGpu >= 0 ? gpuVisible : (device == null && !r.gpus().isEmpty());
        String checked = onGpu ? "gpu:" + Math.max(requestedGpu, 0) : "cpu";
        List<PrecisionSupport.Mode> modes = PrecisionSupport.on(onGpu, Precision.tf32OverrideSet());
        List<String> problems = requestedGpu >= 0 && !gpuVisible ? GpuDiagnosis.explain(r, requestedGpu) : List.of();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(r, checked, modes, requestedGpu, problems).toPrettyString());
        } else {
            print(out, r, checked, modes, requestedGpu, problems);
        }
        out.flush();
        return problems.isEmpty() ? 0 : 1;
    }

    /**
     * The GPU index asked for, −1 for the CPU or no request.
     *
     * @throws IllegalArgumentException for anything but cpu, gpu, gpu:N (cuda, cuda:N)
     */
    static int requestedGpu(String device) {
        if (device == null) {
            return -1;
        }
        String s = device.strip().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return -1;
        }
        if (s.equals("gpu") || s.equals("cuda")) {
            return 0;
        }
        if (s.matches("(gpu|cuda):\\d{1,4}")) {
            return Integer.parseInt(s.substring(s.indexOf(':') + 1));
        }
        throw new IllegalArgumentException("unknown device '" + device + "' (expected cpu, gpu or gpu:N)");
    }

    private static void print(PrintWriter o, EngineReport r, String checked, List<PrecisionSupport.Mode> modes,
            int requestedGpu, List<String> problems) {
        o.printf(Locale.ROOT, "engine     %s %s through DJL %s%n", r.engine(), r.libtorchVersion(), r.djlVersion());
        o.printf(Locale.ROOT, "libtorch   flavour %s (%s), features %s%n", r.flavour(),
                r.cudaBuild() ? "CUDA build" : "CPU only", String.join(", ", r.features()));
        o.printf(Locale.ROOT, "native     %s%n           %s%n", r.libtorchPath(), r.nativeSource()
                + (r.nativeJar() != null ? ": " + r.nativeJar() : ""));
        o.printf(Locale.ROOT, "CUDA       runtime %s, NVIDIA driver %s%n",
                r.cudaRuntime() == null ? "not found" : r.cudaRuntime(),
                r.nvidiaDriver() == null ? "not loaded" : r.nvidiaDriver());
        o.printf(Locale.ROOT, "GPUs       %d visible%s%n", r.gpus().size(), r.environment().containsKey(
                "CUDA_VISIBLE_DEVICES") ? " (CUDA_VISIBLE_DEVICES=" + r.environment().get("CUDA_VISIBLE_DEVICES") + ")" : "");
        for (EngineReport.Gpu g : r.gpus()) {
            o.printf(Locale.ROOT, "  gpu:%d    compute capability %s, memory %s%n", g.index(),
                    g.computeCapability() == null ? "?" : g.computeCapability(), g.totalBytes() < 0 ? "unknown"
                            : String.format(Locale.ROOT, "%.1f of %.1f GiB in use", g.usedBytes() / 1073741824.0,
                                    g.totalBytes() / 1073741824.0));
        }
        o.printf(Locale.ROOT, "threads    intra-op %d, inter-op %d (%d processors)%n", r.intraOpThreads(),
                r.interOpThreads(), r.processors());
        if (!r.environment().isEmpty()) {
            o.println("settings");
            r.environment().forEach((k, v) -> o.printf(Locale.ROOT, "  %s=%s%n", k, v));
        }
        o.printf(Locale.ROOT, "precision on %s%n", checked);
        for (PrecisionSupport.Mode m : modes) {
            o.printf(Locale.ROOT, "  %-5s %-8s %s%n", m.name(), m.usable() ? "yes" : "no", m.effect());
        }
        if (!problems.isEmpty()) {
            o.printf(Locale.ROOT, "%ngpu:%d is not available:%n", requestedGpu);
            for (String p : problems) {
                o.println("  - " + p);
            }
            o.println("  (docs/gpu.md)");
        }
    }

    private static ObjectNode toJson(EngineReport r, String checked, List<PrecisionSupport.Mode> modes, int requestedGpu,
            List<String> problems) {
        ObjectNode j = JSON.createObjectNode();
        j.put("djl_version", r.djlVersion());
        j.put("engine", r.engine());
        j.put("libtorch_version", r.libtorchVersion());
        j.put("flavour", r.flavour());
        j.put("cuda_build", r.cudaBuild());
        j.set("features", JSON.valueToTree(r.features()));
        j.put("libtorch_path", r.libtorchPath());
        j.put("native_source", r.nativeSource());
        j.put("native_jar", r.nativeJar());
        j.put("cuda_runtime", r.cudaRuntime());
        j.put("nvidia_driver", r.nvidiaDriver());
        j.put("gpu_count", r.gpus().size());
        ArrayNode gpus = j.putArray("gpus");
        for (EngineReport.Gpu g : r.gpus()) {
            gpus.addObject().put("device", "gpu:" + g.index()).put("compute_capability", g.computeCapability())
                    .put("memory_used_bytes", g.usedBytes()).put("memory_total_bytes", g.totalBytes());
        }
        j.put("intra_op_threads", r.intraOpThreads());
        j.put("inter_op_threads", r.interOpThreads());
        j.put("processors", r.processors());
        j.set("settings", JSON.valueToTree(r.environment()));
        j.put("device", checked);
        ArrayNode p = j.putArray("precision");
        for (PrecisionSupport.Mode m : modes) {
            p.addObject().put("name", m.name()).put("usable", m.usable()).put("effect", m.effect());
        }
        if (requestedGpu >= 0) {
            j.put("requested", "gpu:" + requestedGpu);
            j.put("ok", problems.isEmpty());
            j.set("problems", JSON.valueToTree(problems));
        }
        return j;
    }
}
