package ai.hypnos.embed.djl;

import ai.djl.BaseModel;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.HypnosModel;
import ai.hypnos.embed.LoadOptions;
import ai.hypnos.core.HypnosFormatException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Hypnos bundle as a DJL {@link ai.djl.Model}: {@link #load} reads the bundle with
 * {@link Hypnos#load} and sets a {@link HypnosBlock} (the chunked temporal transformer) as the
 * block; {@link HypnosTranslator} does the recording → tokens and outputs → {@code Embeddings}
 * steps. The underlying {@link HypnosModel} is reachable with {@link #hypnosModel()}.
 */
public final class HypnosDjlModel extends BaseModel {
    private final Device device;
    private HypnosModel model;

    HypnosDjlModel(String name, Device device) {
        super(name);
        this.device = device;
        this.manager = Engine.getEngine("PyTorch").newBaseManager(device);
        this.dataType = DataType.FLOAT32;
    }

    /**
     * Loads the bundle. {@code modelPath} is the bundle file or a folder holding
     * {@code <prefix>.safetensors}, {@code hypnos.safetensors} or a single {@code .safetensors}
     * file; {@code options} may set {@code notch}, {@code chunkTokens}, {@code outputType},
     * {@code precision}, {@code tokenizerChunkTokens} (strings or numbers).
     */
    @Override
    public void load(Path modelPath, String prefix, Map<String, ?> options) throws IOException, MalformedModelException {
        Path file = locate(modelPath, prefix);
        setModelDir(file.toAbsolutePath().getParent());
        LoadOptions lo = DjlArguments.loadOptions(options).withDevice(device);
        try {
            this.model = Hypnos.load(file, lo);
        } catch (HypnosFormatException e) {
            throw new MalformedModelException(e.getMessage(), e);
        }
        this.block = new HypnosBlock(model);
        this.modelName = prefix == null ? modelName : prefix;
        this.wasLoaded = true;
    }

    private static Path locate(Path modelPath, String prefix) throws IOException {
        if (Files.isRegularFile(modelPath)) {
            return modelPath;
        }
        if (!Files.isDirectory(modelPath)) {
            throw new FileNotFoundException("no Hypnos bundle at " + modelPath);
        }
        if (prefix != null) {
            for (String candidate : new String[] {prefix, prefix + ".safetensors"}) {
                Path p = modelPath.resolve(candidate);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        Path published = modelPath.resolve("hypnos.safetensors");
        if (Files.isRegularFile(published)) {
            return published;
        }
        try (Stream<Path> files = Files.list(modelPath)) {
            List<Path> bundles = files.filter(p -> p.getFileName().toString().endsWith(".safetensors")).toList();
            if (bundles.size() == 1) {
                return bundles.get(0);
            }
            throw new FileNotFoundException(modelPath + " holds " + bundles.size() + " .safetensors files; name the "
                    + "bundle with optModelName or point optModelPath at the file");
        }
    }

    /** The loaded Hypnos model (after {@link #load}). */
    public HypnosModel hypnosModel() {
        if (model == null) {
            throw new IllegalStateException("the bundle is not loaded yet");
        }
        return model;
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
            model = null;
        }
        super.close();
    }
}
