package ai.hypnos.embed.generate;

import ai.hypnos.core.recording.InMemoryRecording;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generated signals: the token rows the transformer sampled and, for each generated modality,
 * the waveform its tokenizer decodes them to (preprocessed units: the rolling z-score scale).
 *
 * @param tokens      {@code [S][ΣK]}: the prompt or conditioning seconds, then the generated ones
 * @param waveforms   generated modality name → samples at its {@code sampleRates} rate
 * @param sampleRates generated modality name → Hz
 * @param channels    generated modality name → canonical channel name (e.g. {@code C3})
 */
public record Generated(int[][] tokens, Map<String, float[]> waveforms, Map<String, Integer> sampleRates,
        Map<String, String> channels) {

    public Generated {
        waveforms = Collections.unmodifiableMap(new LinkedHashMap<>(waveforms));
        sampleRates = Collections.unmodifiableMap(new LinkedHashMap<>(sampleRates));
        channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    }

    /** Names of the generated modalities. */
    public List<String> modalities() {
        return List.copyOf(waveforms.keySet());
    }

    /**
     * The waveforms as a recording (one signal per generated modality, labelled
     * {@code "<channel> (generated)"}, unit {@code "z"}), e.g. for {@code EdfWriter.write}.
     */
    public InMemoryRecording toRecording(LocalDateTime start) {
        InMemoryRecording.Builder b = InMemoryRecording.builder().start(start);
        waveforms.forEach((name, x) -> {
            double[] d = new double[x.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = x[i];
            }
            b.signal(channels.get(name) + " (generated)", "z", sampleRates.get(name), d);
        });
        return b.build();
    }
}
