package ai.hypnos.embed.djl;

import ai.djl.Application;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Progress;
import ai.hypnos.embed.Hypnos;
import ai.hypnos.embed.hub.HubOptions;
import ai.hypnos.embed.hub.HubRepo;
import ai.hypnos.embed.hub.WeightsCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Loads {@code ai.hypnos:hypnos} for a {@code Criteria}: the bundle named by the argument
 * {@code bundle} (a path or a Hub repository id; default {@value HubOptions#DEFAULT_REPO}, fetched
 * into the weights cache), on the criteria's device, with a {@link HypnosTranslator} (or the
 * criteria's own translator).
 */
public final class HypnosModelLoader implements ModelLoader {
    /** The model's artifact id. */
    public static final String ARTIFACT_ID = "hypnos";

    @Override
    public String getGroupId() {
        return HypnosModelZoo.GROUP_ID;
    }

    @Override
    public String getArtifactId() {
        return ARTIFACT_ID;
    }

    @Override
    public Application getApplication() {
        return Application.UNDEFINED;
    }

    @Override
    public MRL getMrl() {
        return MRL.undefined(Repository.newInstance("hypnos", HubOptions.DEFAULT_BASE_URL + "/" + HubOptions.DEFAULT_REPO),
                HypnosModelZoo.GROUP_ID, ARTIFACT_ID);
    }

    @Override
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException {
        TranslatorFactory factory = criteria.getTranslatorFactory();
        HypnosTranslatorFactory ours = new HypnosTranslatorFactory();
        boolean theirs = factory != null && factory.isSupported(criteria.getInputClass(), criteria.getOutputClass());
        if (!theirs && !ours.isSupported(criteria.getInputClass(), criteria.getOutputClass())) {
            throw new ModelNotFoundException("the Hypnos zoo serves Recording → Embeddings, not "
                    + criteria.getInputClass().getName() + " → " + criteria.getOutputClass().getName());
        }
        Map<String, Object> args = arguments(criteria);
        Path bundle = Hypnos.locate(bundleName(criteria), HubOptions.defaults());
        Device device = criteria.getDevice() == null ? Device.cpu() : criteria.getDevice();
        HypnosDjlModel model = new HypnosDjlModel(ARTIFACT_ID, device);
        try {
            model.load(bundle, null, args);
            Translator<I, O> translator = (theirs ? factory : ours).newInstance(criteria.getInputClass(),
                    criteria.getOutputClass(), model, args);
            return new ZooModel<>(model, translator);
        } catch (TranslateException e) {
            model.close();
            throw new ModelNotFoundException(e.getMessage(), e);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The criteria's arguments and options in one map ({@code optOption} wins on a clash). Every
     * method reads this, so that {@code loadModel}, {@code isDownloaded} and {@code downloadModel}
     * agree on which bundle is meant.
     */
    static Map<String, Object> arguments(Criteria<?, ?> criteria) {
        Map<String, Object> args = new LinkedHashMap<>();
        if (criteria.getArguments() != null) {
            args.putAll(criteria.getArguments());
        }
        if (criteria.getOptions() != null) {
            args.putAll(criteria.getOptions());
        }
        return args;
    }

    /** The {@code bundle} argument or option: a path or a Hub repository id. */
    static String bundleName(Criteria<?, ?> criteria) {
        Object b = arguments(criteria).get("bundle");
        return b == null ? HubOptions.DEFAULT_REPO : b.toString();
    }

    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
        String name = bundleName(criteria);
        if (Files.exists(Path.of(name))) {
            return true;
        }
        Optional<HubRepo> repo = HubRepo.parse(name);
        return repo.isPresent() && WeightsCache.cached(repo.get(), HubOptions.defaults()).isPresent();
    }

    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress) throws IOException {
        Hypnos.locate(bundleName(criteria), HubOptions.defaults());
    }

    @Override
    public String toString() {
        return HypnosModelZoo.GROUP_ID + ":" + ARTIFACT_ID;
    }
}
