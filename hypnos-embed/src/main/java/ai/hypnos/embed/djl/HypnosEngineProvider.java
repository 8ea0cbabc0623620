package ai.hypnos.embed.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineProvider;

/** Registers {@link HypnosEngine} with DJL (listed in {@code META-INF/services/ai.djl.engine.EngineProvider}). */
public final class HypnosEngineProvider implements EngineProvider {
    private volatile Engine engine;

    @Override
    public String getEngineName() {
        return HypnosEngine.ENGINE_NAME;
    }

    @Override
    public int getEngineRank() {
        return HypnosEngine.RANK;
    }

    @Override
    public Engine getEngine() {
        if (engine == null) {
            synchronized (this) {
                if (engine == null) {
                    engine = new HypnosEngine();
                }
            }
        }
        return engine;
    }
}
