package ai.hypnos.embed.pipeline;

import ai.hypnos.core.HypnosFormatException;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.preprocess.FilterSpec;
import ai.hypnos.core.modality.SignalType;
import ai.hypnos.embed.bundle.Bundle;
import ai.hypnos.embed.bundle.BundleModality;
import ai.hypnos.tokenizer.SignalTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one of a bundle's modalities meets a recording: the standard {@link Modality} whose channel
 * feeds it (found by the config's {@code channels[0]}, as the reference does, or by name), its
 * channel id, its tokenizer and its token columns. Made once per loaded model.
 *
 * @param index        position in the bundle's modality list
 * @param spec         the config entry
 * @param modality     the standard modality, {@code null} when the bundle's entry is none of the eight
 * @param channelId    the channel-embedding row fed to the transformer
 * @param tokenizer    the modality's tokenizer
 * @param columnOffset first token column
 */
public record ModalityBinding(int index, BundleModality spec, Modality modality, int channelId,
        SignalTokenizer tokenizer, int columnOffset) {

    /** The bindings of every modality of a bundle, in column order. */
    public static List<ModalityBinding> of(Bundle bundle) {
        List<ModalityBinding> out = new ArrayList<>();
        int offset = 0;
        List<BundleModality> mods = bundle.config().modalities();
        for (int i = 0; i < mods.size(); i++) {
            BundleModality m = mods.get(i);
            Modality std = m.modality().orElse(null);
            int channel = m.channelId().orElse(i < 8 ? i : 0);
            out.add(new ModalityBinding(i, m, std, channel, bundle.tokenizers().get(m.tokenizer()), offset));
            offset += m.numQuantizers();
        }
        return out;
    }

    public String name() {
        return spec.name();
    }

    public int numQuantizers() {
        return spec.numQuantizers();
    }

    /**
     * The standard modality, checked to be preprocessed the way the bundle asks (same rate, same
     * filters): the library's preprocessing is per standard modality.
     *
     * @throws IllegalStateException naming the modality and the mismatch, for entries that cannot
     *                               be computed from a recording
     */
    public Modality requireStandard() {
        if (modality == null) {
            throw new IllegalStateException("bundle modality '" + name() + "' (channel " + spec.channels().get(0)
                    + ") is none of the eight standard modalities, so it cannot be read from a recording; "
                    + "embed it from preprocessed signals or tokens instead");
        }
        if (spec.sampleRate() != modality.sampleRate()) {
            throw new IllegalStateException("bundle modality '" + name() + "' wants " + spec.sampleRate()
                    + " Hz but the " + modality.key() + " preprocessing runs at " + modality.sampleRate() + " Hz");
        }
        SignalType wanted = preprocessType(spec.preprocessModality());
        if (!FilterSpec.of(wanted).equals(FilterSpec.of(modality.signalType()))) {
            throw new IllegalStateException("bundle modality '" + name() + "' asks for the '" + spec.preprocessModality()
                    + "' preprocessing, which differs from the " + modality.key() + " filters "
                    + FilterSpec.of(modality.signalType()));
        }
        return modality;
    }

    private static SignalType preprocessType(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.startsWith("resp") ? SignalType.RESP : SignalType.fromKey(k);
    }

    /** Checks that the bundle can be embedded from recordings (every modality standard and consistent). */
    public static void checkRecordingCompatible(List<ModalityBinding> bindings, java.nio.file.Path file)
            throws HypnosFormatException {
        for (ModalityBinding b : bindings) {
            try {
                b.requireStandard();
            } catch (IllegalStateException e) {
                throw new HypnosFormatException(file, "config.modalities[" + b.index() + "]", b.name(), e.getMessage());
            }
        }
    }
}
