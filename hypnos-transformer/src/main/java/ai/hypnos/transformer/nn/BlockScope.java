package ai.hypnos.transformer.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One {@link NDManager} scope per block (DESIGN §2): the block's inputs are temporarily attached
 * to a sub-manager, every intermediate the block creates lands there and is freed when the scope
 * closes, and only the output is kept, attached to the caller's manager. This keeps memory at
 * PyTorch's level (a DJL array otherwise lives until its manager closes) and is safe under
 * autograd: the graph keeps what backward needs.
 *
 * <p>Rule for code inside a scope: the first operand of every op must be a scoped array (an
 * input or an intermediate), because DJL attaches a result to its first operand's manager. An op
 * that starts from a weight (a slice of a table, a stack of vectors) must {@link #own} its result.
 */
public final class BlockScope implements AutoCloseable {
    private final NDManager parent;
    private final NDManager scope;

    private BlockScope(NDManager parent) {
        this.parent = parent;
        this.scope = parent.newSubManager();
    }

    /** A scope under {@code first}'s manager holding {@code inputs} for its lifetime. */
    public static BlockScope open(NDArray first, NDArray... more) {
        BlockScope s = new BlockScope(first.getManager());
        first.tempAttach(s.scope);
        for (NDArray a : more) {
            if (a != null) {
                a.tempAttach(s.scope);
            }
        }
        return s;
    }

    /** A scope under {@code parent} with no inputs. */
    public static BlockScope under(NDManager parent) {
        return new BlockScope(parent);
    }

    /** The scope's manager (for arrays created from nothing: zeros, masks, host data). */
    public NDManager manager() {
        return scope;
    }

    /** Attaches an array that was created from a weight (or elsewhere) to this scope. */
    public NDArray own(NDArray a) {
        a.attach(scope);
        return a;
    }

    /** Keeps {@code out} beyond the scope: attaches it to the caller's manager (or the target). */
    public NDArray keep(NDArray out) {
        out.attach(parent);
        return out;
    }

    @Override
    public void close() {
        if (OpCounter.isEnabled()) {
            OpCounter.add(scope.getManagedArrays().size());
        }
        scope.close();
    }
}
