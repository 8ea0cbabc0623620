package ai.hypnos.train.data;

/**
 * Where the data stream stands: the next window to read is window {@code index} of epoch
 * {@code epoch}. With the seed it pins the data order completely, so a checkpoint stores it and
 * a resumed run reads exactly the windows the interrupted one would have read.
 */
public record DataPosition(long epoch, long index) {

    public DataPosition {
        if (epoch < 0 || index < 0) {
            throw new IllegalArgumentException("data position must be >= 0: epoch " + epoch + ", index " + index);
        }
    }

    /** The start of the stream. */
    public static DataPosition start() {
        return new DataPosition(0, 0);
    }
}
