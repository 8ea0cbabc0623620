package ai.hypnos.embed.djl;

import ai.djl.Model;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.embed.Embeddings;
import ai.hypnos.embed.HypnosModel;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;

/**
 * Makes {@link HypnosTranslator}s for {@code Recording → Embeddings}; named in a bundle folder's
 * {@code serving.properties} ({@code translatorFactory=ai.hypnos.embed.djl.HypnosTranslatorFactory})
 * or passed with {@code Criteria.optTranslatorFactory}. Arguments {@code notch},
 * {@code chunkTokens} and {@code outputType} override the model's embed defaults.
 */
public final class HypnosTranslatorFactory implements TranslatorFactory {
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(new Pair<>(Recording.class, Embeddings.class));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model, Map<String, ?> arguments) {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException("Hypnos translates Recording → Embeddings, not " + input + " → " + output);
        }
        HypnosModel hm = HypnosTranslator.hypnosModel(model);
        return (Translator<I, O>) new HypnosTranslator(DjlArguments.embedOptions(arguments, hm.options().embedDefaults()));
    }
}
