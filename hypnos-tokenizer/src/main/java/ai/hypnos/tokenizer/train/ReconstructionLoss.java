package ai.hypnos.tokenizer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.hypnos.nn.HostData;
import ai.hypnos.tokenizer.nn.Im2colConv;
import java.util.Arrays;

/**
 * The tokenizer's reconstruction loss (DESIGN §5): L1 on the waveform plus a multi-resolution
 * log-magnitude spectral loss, mean over resolutions of mean |log|X| − log|X̂||.
 *
 * <p>Spectra are short-time Fourier transforms (periodic Hann window, hop n/4, no centring)
 * computed as one strided conv with a windowed DFT basis: real arithmetic only, differentiable
 * on every device, and as fast as an FFT at these window sizes (≤ 2 s). log|X| is computed as
 * ½·log(re² + im² + 1e-7), smooth at zero and floored at an amplitude of ~3e-4.
 */
public final class ReconstructionLoss implements AutoCloseable {
    private static final float POWER_FLOOR = 1e-7f;

    private final int[] fftSizes;
    private final double spectralWeight;
    private final NDManager manager;
    private final java.util.Map<Integer, NDArray> windows = new java.util.HashMap<>();

    /**
     * @param fftSizes STFT sizes (each a window length; hop = size/4)
     * @param spectralWeight weight of the spectral term relative to the L1 term
     * @param parent where the STFT windows live (uploaded once, on the model's device)
     */
    public ReconstructionLoss(int[] fftSizes, double spectralWeight, NDManager parent) {
        for (int n : fftSizes) {
            if (n < 4) {
                throw new IllegalArgumentException("STFT size must be at least 4, got " + n);
            }
        }
        this.fftSizes = fftSizes.clone();
        this.spectralWeight = spectralWeight;
        this.manager = parent.newSubManager();
    }

    /** Default resolutions for a sample rate: windows of ¼, ½, 1 and 2 s (at least 16 samples). */
    public static int[] defaultFftSizes(int sampleRate) {
        return Arrays.stream(new double[] {0.25, 0.5, 1, 2})
                .mapToInt(s -> Integer.highestOneBit((int) Math.max(16, s * sampleRate)))
                .distinct()
                .toArray();
    }

    public int[] fftSizes() {
        return fftSizes.clone();
    }

    /** Loss terms of one batch. */
    public record Terms(NDArray l1, NDArray spectral) {
        public NDArray total(double spectralWeight) {
            return l1.add(spectral.mul(HostData.scalar(spectral.getManager(), (float) spectralWeight)));
        }
    }

    /** L1 + weighted spectral loss of {@code recon} vs {@code target}, both [B, C, T]. */
    public NDArray loss(NDArray recon, NDArray target) {
        Terms t = terms(recon, target);
        return t.total(spectralWeight);
    }

    /** Both terms separately (for logging). */
    public Terms terms(NDArray recon, NDArray target) {
        NDArray l1 = recon.sub(target).abs().mean();
        long t = target.getShape().get(2);
        NDArray x = recon.reshape(-1, t);
        NDArray y = target.reshape(-1, t);
        NDArray spectral = null;
        int used = 0;
        for (int n : fftSizes) {
            if (n > t) {
                continue;
            }
            NDArray window = windows.computeIfAbsent(n, k -> dftBasis(manager, k));
            NDArray d = logMagnitude(x, n, window).sub(logMagnitude(y, n, window)).abs().mean();
            spectral = spectral == null ? d : spectral.add(d);
            used++;
        }
        if (spectral == null) {
            throw new IllegalArgumentException("windows of " + t + " samples are shorter than every STFT size " + Arrays.toString(fftSizes));
        }
        return new Terms(l1, spectral.mul(HostData.scalar(spectral.getManager(), 1f / used)));
    }

    public double spectralWeight() {
        return spectralWeight;
    }

    private static NDArray logMagnitude(NDArray x, int n, NDArray basis) {
        // Real and imaginary parts of the windowed DFT of every frame, as one strided conv.
        // Im2colConv, not libtorch's conv: the latter's input gradient is wrong on our CPUs (see there).
        NDArray spectra = Im2colConv.conv1d(x.expandDims(1), basis, null, n / 4, 1);
        long bins = n / 2 + 1;
        NDArray re = spectra.get(new ai.djl.ndarray.index.NDIndex(":, :{}, :", bins));
        NDArray im = spectra.get(new ai.djl.ndarray.index.NDIndex(":, {}:, :", bins));
        NDArray power = re.square().add(im.square());
        return power.add(POWER_FLOOR).log().mul(HostData.scalar(power.getManager(), 0.5f));
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * The STFT as conv kernels [2·(n/2+1), 1, n]: rows w(t)·cos(2πft/n), then w(t)·sin(2πft/n),
     * f = 0…n/2, with w the periodic Hann window ({@code torch.hann_window(n)}).
     */
    static NDArray dftBasis(NDManager m, int n) {
        int bins = n / 2 + 1;
        float[] k = new float[2 * bins * n];
        for (int f = 0; f < bins; f++) {
            for (int t = 0; t < n; t++) {
                double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / n);
                double a = 2 * Math.PI * f * (long) t / n;
                k[f * n + t] = (float) (w * Math.cos(a));
                k[(bins + f) * n + t] = (float) (-w * Math.sin(a));
            }
        }
        return ai.hypnos.nn.HostData.floats(m, k, new ai.djl.ndarray.types.Shape(2L * bins, 1, n));
    }
}
