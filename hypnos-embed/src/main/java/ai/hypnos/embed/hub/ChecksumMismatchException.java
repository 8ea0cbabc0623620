package ai.hypnos.embed.hub;

import java.io.IOException;
import java.net.URI;

/** A downloaded file whose SHA-256 is not the expected one (the partial file is deleted). */
public final class ChecksumMismatchException extends IOException {
    private final String expected;
    private final String found;

    public ChecksumMismatchException(URI source, String expected, String found) {
        super("checksum mismatch for " + source + ": expected sha256 " + expected + ", downloaded file has " + found
                + " (the download was discarded; retry, or check the --sha256 value)");
        this.expected = expected;
        this.found = found;
    }

    public String expected() {
        return expected;
    }

    public String found() {
        return found;
    }
}
