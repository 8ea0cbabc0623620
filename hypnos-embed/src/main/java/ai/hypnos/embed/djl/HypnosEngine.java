package ai.hypnos.embed.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

/**
 * A DJL {@link Engine} named {@value #ENGINE_NAME} whose models are Hypnos weight bundles: DJL's
 * {@code Criteria} picks it with {@code optEngine("Hypnos")} (or {@code engine=Hypnos} in a
 * folder's {@code serving.properties}) and then loads a {@code .safetensors} bundle through
 * {@link HypnosDjlModel}. Arrays, devices and autograd are PyTorch's: every other call is passed
 * to DJL's PyTorch engine. Its rank is low, so it never becomes DJL's default engine.
 */
public final class HypnosEngine extends Engine {
    /** The engine's name in DJL. */
    public static final String ENGINE_NAME = "Hypnos";
    /** Lower ranks win DJL's default-engine choice; PyTorch's is far lower. */
    public static final int RANK = 100;

    private final Engine pytorch;

    HypnosEngine() {
        this.pytorch = Engine.getEngine("PyTorch");
    }

    @Override
    public Engine getAlternativeEngine() {
        return null;
    }

    @Override
    public String getEngineName() {
        return ENGINE_NAME;
    }

    @Override
    public int getRank() {
        return RANK;
    }

    @Override
    public String getVersion() {
        return pytorch.getVersion();
    }

    @Override
    public boolean hasCapability(String capability) {
        return pytorch.hasCapability(capability);
    }

    @Override
    public int getGpuCount() {
        return pytorch.getGpuCount();
    }

    @Override
    public Model newModel(String name, Device device) {
        return new HypnosDjlModel(name, device == null ? Device.cpu() : device);
    }

    @Override
    public NDManager newBaseManager() {
        return pytorch.newBaseManager();
    }

    @Override
    public NDManager newBaseManager(Device device) {
        return pytorch.newBaseManager(device);
    }

    @Override
    public GradientCollector newGradientCollector() {
        return pytorch.newGradientCollector();
    }

    @Override
    public void setRandomSeed(int seed) {
        pytorch.setRandomSeed(seed);
    }
}
