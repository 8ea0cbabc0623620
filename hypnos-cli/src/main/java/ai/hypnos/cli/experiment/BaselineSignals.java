package ai.hypnos.cli.experiment;

import ai.hypnos.core.modality.ChannelResolution;
import ai.hypnos.core.modality.ChannelResolver;
import ai.hypnos.core.modality.Modality;
import ai.hypnos.core.preprocess.PreprocessOptions;
import ai.hypnos.core.preprocess.Preprocessor;
import ai.hypnos.core.recording.Recording;
import ai.hypnos.core.recording.Recordings;
import ai.hypnos.eval.baseline.BandPowerFeatures;
import ai.hypnos.eval.baseline.SignalRecording;
import ai.hypnos.eval.data.EpochDatasetBuilder;
import ai.hypnos.eval.data.LabelFiles;
import ai.hypnos.eval.data.LabeledDataset;
import ai.hypnos.eval.data.Manifest;
import ai.hypnos.eval.linalg.FloatMatrix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inputs of the two non-foundation baselines: per night three preprocessed 128-Hz channels
 * (central EEG, left EOG, chin EMG — the classic single-derivation staging montage) with the
 * scored stages, from the same causal preprocessing the tokenizers see (DESIGN §4).
 *
 * <p>Synthetic nights miss channels the way real cohorts do: the central EEG is C3 where the
 * recording has it and C4 otherwise (MESA-like nights have no C3); a night without EOG or chin
 * EMG gets a zero channel in its place, so the CNN sees a fixed layout. For the band-power
 * probe a missing channel's features are imputed with that feature's mean over the nights that
 * have the channel (labels are not used), since the log power of a zero channel would be an
 * extreme outlier after standardisation.
 *
 * @param nights  preprocessed nights with their stages
 * @param present per night, which of {@link #CHANNELS} it really has
 */
record BaselineSignals(List<SignalRecording> nights, List<boolean[]> present) {
    private static final Logger LOG = LoggerFactory.getLogger(BaselineSignals.class);
    /** Sample rate of the preprocessed EEG, EOG and EMG (DESIGN §3). */
    static final double RATE = 128.0;
    /** Channel names, in column order. */
    static final List<String> CHANNELS = List.of("eeg_central", "eog_e1", "emg_chin");

    /** Reads, resolves and preprocesses every night of the manifest. */
    static BaselineSignals read(Manifest manifest) throws IOException {
        List<SignalRecording> out = new ArrayList<>();
        List<boolean[]> present = new ArrayList<>();
        Set<Modality> wanted = EnumSet.of(Modality.EEG_C3, Modality.EEG_C4, Modality.EOG_E1, Modality.EMG_CHIN);
        for (Manifest.Entry e : manifest.entries()) {
            try (Recording rec = Recordings.open(e.recording())) {
                ChannelResolution resolution = ChannelResolver.defaults().resolve(rec);
                PreprocessOptions po = (e.notch() > 0 ? PreprocessOptions.defaults().withNotchHz(e.notch())
                        : PreprocessOptions.defaults()).withModalities(wanted);
                Map<Modality, float[]> a = new Preprocessor(po).run(resolution).arrays();
                float[] eeg = a.containsKey(Modality.EEG_C3) ? a.get(Modality.EEG_C3) : a.get(Modality.EEG_C4);
                if (eeg == null) {
                    LOG.warn("{}: no central EEG, left out of the baselines", e.recording());
                    continue;
                }
                int n = eeg.length;
                float[] eog = a.get(Modality.EOG_E1);
                float[] emg = a.get(Modality.EMG_CHIN);
                n = Math.min(n, eog == null ? n : eog.length);
                n = Math.min(n, emg == null ? n : emg.length);
                float[][] channels = {Arrays.copyOf(eeg, n), fixed(eog, n), fixed(emg, n)};
                int[] labels = LabelFiles.read(e.annotations(), LabelFiles.Task.STAGING, n / RATE, 30);
                out.add(new SignalRecording(e.subject(), e.recordingId(), channels, RATE, labels));
                present.add(new boolean[] {true, eog != null, emg != null});
            }
        }
        LOG.info("baseline signals: {} nights, channels {}", out.size(), CHANNELS);
        return new BaselineSignals(out, present);
    }

    /** {@code signal} cut to {@code n} samples, or zeros when the night lacks it. */
    private static float[] fixed(float[] signal, int n) {
        return signal == null ? new float[n] : Arrays.copyOf(signal, n);
    }

    /**
     * Band-power features (log absolute and relative powers per channel and band) of every scored
     * epoch; a missing channel's features are the mean of that feature over nights that have it.
     */
    LabeledDataset bandPowers() {
        BandPowerFeatures features = BandPowerFeatures.defaults(RATE);
        int per = features.featuresPerChannel();
        List<FloatMatrix> xs = new ArrayList<>();
        double[] sum = new double[CHANNELS.size() * per];
        long[] count = new long[CHANNELS.size()];
        for (int r = 0; r < nights.size(); r++) {
            FloatMatrix x = features.compute(nights.get(r).channels());
            xs.add(x);
            for (int c = 0; c < CHANNELS.size(); c++) {
                if (!present.get(r)[c]) {
                    continue;
                }
                count[c] += x.rows();
                for (int i = 0; i < x.rows(); i++) {
                    for (int j = 0; j < per; j++) {
                        sum[c * per + j] += x.get(i, c * per + j);
                    }
                }
            }
        }
        LabeledDataset.Builder b = LabeledDataset.builder(EpochDatasetBuilder.STAGE_NAMES);
        for (int r = 0; r < nights.size(); r++) {
            FloatMatrix x = xs.get(r);
            for (int c = 0; c < CHANNELS.size(); c++) {
                if (present.get(r)[c] || count[c] == 0) {
                    continue;
                }
                for (int i = 0; i < x.rows(); i++) {
                    for (int j = 0; j < per; j++) {
                        x.set(i, c * per + j, (float) (sum[c * per + j] / count[c]));
                    }
                }
            }
            SignalRecording night = nights.get(r);
            int[] y = Arrays.copyOf(night.labels(), x.rows());
            for (int i = Math.min(x.rows(), night.labels().length); i < y.length; i++) {
                y[i] = -1;
            }
            b.add(night.subject(), night.recording(), x, y);
        }
        return b.build();
    }
}
